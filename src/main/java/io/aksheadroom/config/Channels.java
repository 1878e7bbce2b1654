package io.aksheadroom.config;

/**
 * Reactive Messaging channel names. The channels take their topic names from {@link TopicsConfig}
 * ({@code aks-headroom.topics.*}, wired in {@code application.properties}); code refers to channels only.
 *
 * <p>Each outgoing channel has exactly one emitter, in the class that publishes it: Quarkus fails the build when one
 * channel is injected twice with different emitter settings, which is why the demo feed has channels of its own. Every
 * record sent is a fresh one made by {@code io.aksheadroom.json.OutgoingRecords}: a message that still carried an
 * incoming record's metadata would go to the topic and partition named by that record's {@code REPLY_TOPIC} /
 * {@code REPLY_PARTITION} headers, if it had them.
 */
public final class Channels {

    /**
     * In: the one consumer of the four input topics (cluster profiles, node events, LB metrics, NAT gateway metrics),
     * so that a cluster's records, all keyed by clusterId, meet in one instance. The record's topic tells which role
     * it plays. Order holds within one topic's partition only: a cluster's node event may arrive before a profile
     * written earlier. A tombstone arrives as a {@code null} payload.
     */
    public static final String CLUSTER_EVENTS = "cluster-events";
    /** Out: the plan answer per cluster, compacted, key = clusterId. */
    public static final String RECOMMENDATIONS = "recommendations";
    /** Out: alert lifecycle records, compacted, key = fingerprint. */
    public static final String ALERTS = "alerts";
    /**
     * In: the actuator's feed, its own consumer group over the recommendations and the cluster profiles (both keyed by
     * clusterId, co-partitioned), read from the beginning on each assignment.
     */
    public static final String ACTUATOR_FEED = "actuator-feed";
    /** Out: every decision of the actuator, append-only, key = clusterId. */
    public static final String ACTIONS = "actions";
    /** Out: records that could not be used, with the reason in a header. */
    public static final String DEAD_LETTER = "dead-letter";
    /** Out: SNAT samples the Azure Monitor poller produces onto the lb-metrics topic. */
    public static final String LB_METRICS_PUBLISH = "lb-metrics-publish";
    /** Out: per-NAT-gateway minutes the Azure Monitor poller produces onto the natgw-metrics topic. */
    public static final String NATGW_METRICS_PUBLISH = "natgw-metrics-publish";
    /** Out: node events the node watcher produces onto the node-events topic. */
    public static final String NODE_EVENTS_PUBLISH = "node-events-publish";
    /** Out: the profiles fleet discovery finds in Azure, and their tombstones, onto the cluster-profiles topic. */
    public static final String DISCOVERED_PROFILES = "discovered-profiles";
    /** Out: the demo feed's profiles onto the cluster-profiles topic. */
    public static final String DEMO_CLUSTER_PROFILES = "demo-cluster-profiles";
    /** Out: the demo feed's node events onto the node-events topic. */
    public static final String DEMO_NODE_EVENTS = "demo-node-events";
    /** Out: the demo feed's SNAT samples onto the lb-metrics topic. */
    public static final String DEMO_LB_METRICS = "demo-lb-metrics";

    private Channels() {
    }
}
