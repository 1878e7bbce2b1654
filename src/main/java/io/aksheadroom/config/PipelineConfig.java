package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The event pipeline: alerting thresholds, replay windows and input limits. */
@ConfigMapping(prefix = "aks-headroom.pipeline")
public interface PipelineConfig {

    /** Consecutive samples at or above a utilization level before {@code SnatPortsHigh} fires. */
    @WithDefault("3")
    int highSamples();

    /** How often a firing alert is sent again while it lasts, in event time. */
    @WithDefault("PT5M")
    Duration resendInterval();

    /** How far back the busiest node's peak used ports count as demand for the recommendation (SNAT-8). */
    @WithDefault("PT1H")
    Duration demandWindow();

    /** A subnet with less than this share of its usable addresses free raises a {@code SubnetHeadroomLow} warning. */
    @WithDefault("0.2")
    double subnetFreeShareWarning();

    /** How long a node event or sample waits for its cluster's profile before it is dead-lettered as unknown. */
    @WithDefault("PT10S")
    Duration unknownClusterGrace();

    /** How many events may wait for their cluster's profile at once; beyond, they are dead-lettered at once. */
    @WithDefault("10000")
    int maxHeldEvents();

    /** How much node-event history an instance replays when it takes a partition (inventories repeat, so hours do). */
    @WithDefault("PT24H")
    Duration replayNodeEvents();

    /** How much SNAT sample history an instance replays when it takes a partition; at least the demand window. */
    @WithDefault("PT1H")
    Duration replayLbMetrics();

    /** Input records larger than this are dead-lettered (their first bytes only), never parsed. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /**
     * Input records whose key (a clusterId) is longer than this, in UTF-8 bytes, are dead-lettered, never parsed: a
     * dead letter keeps the key whole, and a cluster id of that length is no AKS cluster's.
     */
    @WithDefault("1024")
    int maxKeyBytes();

    /**
     * How long a handover waits for the outputs of the partitions given up to be acknowledged, so that the marker it
     * commits covers everything processed; what is still unacknowledged then is processed again by the next owner.
     */
    @WithDefault("PT5S")
    Duration handoverWait();
}
