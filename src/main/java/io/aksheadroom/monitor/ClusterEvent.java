package io.aksheadroom.monitor;

import java.time.Instant;

/**
 * An input record about one cluster's live state, other than its profile: what a {@link Fleet} applies to the
 * cluster's {@link ClusterMonitor}, or holds until the profile comes.
 */
public sealed interface ClusterEvent permits NodeEvent, SnatSample, LoadBalancerMinute, NatGatewaySample {

    String clusterId();

    /** Event time: when it happened, as its producer says. */
    Instant at();

    /** Hands this event to the monitor's method for its kind. */
    Outcome applyTo(ClusterMonitor monitor);
}
