package io.aksheadroom.config;

/**
 * Reactive Messaging channel names. Topic names are configured per channel in {@code application.properties}
 * ({@code mp.messaging.<direction>.<channel>.topic}); code refers to channels only.
 */
public final class Channels {

    /** In: cluster profiles, compacted, key = clusterId; a tombstone forgets the cluster. */
    public static final String CLUSTER_PROFILES = "cluster-profiles";
    /** In: node added / removed / inventory, key = clusterId. */
    public static final String NODE_EVENTS = "node-events";
    /** In: per-backend SNAT samples, key = clusterId. */
    public static final String LB_METRICS = "lb-metrics";
    /** Out: the plan answer per cluster, compacted, key = clusterId. */
    public static final String RECOMMENDATIONS = "recommendations";
    /** Out: alert lifecycle records, compacted, key = fingerprint. */
    public static final String ALERTS = "alerts";
    /** Out: records that could not be used, with the reason in a header. */
    public static final String DEAD_LETTER = "dead-letter";
    /** Out: SNAT samples the Azure Monitor poller produces onto the lb-metrics topic. */
    public static final String LB_METRICS_PUBLISH = "lb-metrics-publish";
    /** Out: per-NAT-gateway minutes the Azure Monitor poller produces onto the natgw-metrics topic. */
    public static final String NATGW_METRICS_PUBLISH = "natgw-metrics-publish";
    /** Out: node events the node watcher produces onto the node-events topic. */
    public static final String NODE_EVENTS_PUBLISH = "node-events-publish";
    /** Out: the demo feed's profiles onto the cluster-profiles topic. */
    public static final String CLUSTER_PROFILES_PUBLISH = "cluster-profiles-publish";

    private Channels() {
    }
}
