package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The Kafka topics of the service. The channels in {@code application.properties} take their topic names from these
 * properties, so renaming a topic is one setting.
 */
@ConfigMapping(prefix = "aks-headroom.topics")
public interface TopicsConfig {

    /** Input, compacted, key = clusterId: the latest profile of each cluster; a tombstone forgets the cluster. */
    @WithDefault("aks.cluster-profiles")
    String clusterProfiles();

    /** Input, key = clusterId: node added / removed / inventory events (the node watcher writes them). */
    @WithDefault("aks.node-events")
    String nodeEvents();

    /** Input, key = clusterId: SNAT port samples per load-balancer backend (the Azure Monitor poller writes them). */
    @WithDefault("aks.lb-metrics")
    String lbMetrics();

    /**
     * Input, key = clusterId: NAT gateway minutes (failed SNAT connections, connections, packet drops) per gateway, as
     * the Azure Monitor poller writes them.
     */
    @WithDefault("aks.natgw-metrics")
    String natgwMetrics();

    /** Output, compacted, key = clusterId: the latest plan per cluster. */
    @WithDefault("aks.recommendations")
    String recommendations();

    /** Output, compacted, key = alert fingerprint: the alert lifecycle. */
    @WithDefault("aks.alerts")
    String alerts();

    /** Output, append-only, key = clusterId: every decision of the actuator; read back at start for the cooldowns. */
    @WithDefault("aks.actions")
    String actions();

    /**
     * Internal, compacted, key = clusterId (and one manifest per input partition): the state snapshots a new owner of
     * an input partition restores before it replays the records after them. Read only by the service.
     */
    @WithDefault("aks.monitor-state")
    String monitorState();

    /** Output: records that could not be used, with the reason in a header. */
    @WithDefault("aks.dead-letter")
    String deadLetter();

    /**
     * Partitions of every topic the service creates. The four inputs must keep one count between them: the consumer
     * co-partitions them by clusterId, so partition i of each input must hold the same clusters.
     */
    @WithDefault("6")
    int partitions();

    /** Replication factor of created topics; 1 suits the single-node embedded broker, use 3 on a real cluster. */
    @WithDefault("1")
    short replicationFactor();

    /**
     * {@code min.insync.replicas} given to created topics: with the producers' {@code acks=all}, how many replicas
     * must have a record before it counts as written. Unset, one less than the replication factor (2 of 3), at least 1.
     */
    OptionalInt minInsyncReplicas();

    /** Whether to create missing topics at startup; when false, existing topics are only checked. */
    @WithDefault("true")
    boolean create();

    /** {@code retention.ms} given to the non-compacted topics when they are created; existing topics keep theirs. */
    @WithDefault("P7D")
    Duration retention();

    /**
     * How long startup waits for the topics before the Kafka clients start anyway; provisioning then goes on in the
     * background until the broker answers.
     */
    @WithDefault("PT5S")
    Duration startupWait();
}
