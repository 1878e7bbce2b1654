package io.aksheadroom.actuator.core;

import io.aksheadroom.capacity.Plan;

/**
 * What {@code aks.recommendations} asks of one cluster's outbound path.
 *
 * @param outboundIps {@code N*}, the outbound IPs the plan wants (NAT gateway: {@code K}); null when it says none
 * @param portsPerNode {@code P*}, the ports per node the plan wants; null when it says none
 */
public record Recommendation(String clusterId, Integer outboundIps, Integer portsPerNode) {

    public Recommendation {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("a recommendation names its cluster");
        }
        if (outboundIps != null && outboundIps < 1) {
            throw new IllegalArgumentException("recommended outbound IPs must be positive, got " + outboundIps);
        }
        if (portsPerNode != null && portsPerNode < 0) {
            throw new IllegalArgumentException("recommended ports must not be negative, got " + portsPerNode);
        }
    }

    public static Recommendation of(Plan plan) {
        return new Recommendation(plan.clusterId(), plan.snat().recommendedOutboundIps(),
                plan.snat().recommendedPortsPerNode());
    }
}
