package io.aksheadroom.actuator.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PoolFigures;

/**
 * What {@code aks.recommendations} asks of one cluster's outbound path and of its autoscaling pools.
 *
 * @param outboundIps {@code N*}, the outbound IPs the plan wants (NAT gateway: {@code K}); null when it says none
 * @param portsPerNode {@code P*}, the ports per node the plan wants; null when it says none
 * @param generatedAt the record's {@code generatedAt}; null when not known
 * @param maxCountCeilings CAP-1 per pool name: the largest {@code maxCount} the network takes; pools without a
 *        ceiling are absent
 */
public record Recommendation(String clusterId, Integer outboundIps, Integer portsPerNode, Instant generatedAt,
        Map<String, Integer> maxCountCeilings) {

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
        maxCountCeilings = maxCountCeilings == null ? Map.of() : Map.copyOf(maxCountCeilings);
        maxCountCeilings.forEach((pool, ceiling) -> {
            if (ceiling == null || ceiling < 0) {
                throw new IllegalArgumentException("the maxCount ceiling of pool " + pool + " must not be negative, got "
                        + ceiling);
            }
        });
    }

    public Recommendation(String clusterId, Integer outboundIps, Integer portsPerNode) {
        this(clusterId, outboundIps, portsPerNode, null, Map.of());
    }

    public static Recommendation of(Plan plan) {
        return of(plan, null);
    }

    public static Recommendation of(Plan plan, Instant generatedAt) {
        Map<String, Integer> ceilings = new LinkedHashMap<>();
        for (PoolFigures pool : plan.pools()) {
            if (pool.maxCountCeiling() != null) {
                ceilings.put(pool.name(), pool.maxCountCeiling());
            }
        }
        return new Recommendation(plan.clusterId(), plan.snat().recommendedOutboundIps(),
                plan.snat().recommendedPortsPerNode(), generatedAt, ceilings);
    }
}
