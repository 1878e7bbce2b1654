package io.aksheadroom.actuator.core;

import java.util.Objects;

/**
 * One field a write sets.
 *
 * @param field the managed cluster's (or, for {@link #POOL_MAX_COUNT}, the agent pool's) property, as a path under
 *        {@code properties}
 */
public record Change(String field, int from, int to) {

    public static final String LB_MANAGED_IPS = "networkProfile.loadBalancerProfile.managedOutboundIPs.count";
    public static final String LB_PORTS = "networkProfile.loadBalancerProfile.allocatedOutboundPorts";
    public static final String NAT_MANAGED_IPS = "networkProfile.natGatewayProfile.managedOutboundIPProfile.count";
    /** An agent pool's own property: the write goes to the pool, not the managed cluster. */
    public static final String POOL_MAX_COUNT = "maxCount";

    public Change {
        Objects.requireNonNull(field, "field");
        if (from == to) {
            throw new IllegalArgumentException(field + " is not changed by " + from + " -> " + to);
        }
    }
}
