package io.aksheadroom.capacity;

/**
 * One pool's address figures.
 *
 * @param perNodeIps addresses each node takes from its node subnet (IP-2)
 * @param podSubnetIpsPerNode addresses each node holds in its pod subnet now (IP-8), null without one
 * @param podSubnetIpsPerNodePlanned the same at full pods
 * @param additionalNodes IP-5: nodes the pool can still add with a surge slot kept free
 * @param maxCount the autoscaler's {@code maxCount}; null when the pool does not autoscale
 * @param maxCountCeiling CAP-1: the largest {@code maxCount} the network takes for this pool, every other pool at its
 *        planned size; null when the rest of the profile already breaks a bound
 */
public record PoolFigures(
        String name,
        String pluginMode,
        int currentNodes,
        int plannedNodes,
        int surgeNodes,
        int maxPods,
        long perNodeIps,
        Long podSubnetIpsPerNode,
        Long podSubnetIpsPerNodePlanned,
        int additionalNodes,
        Integer maxCount,
        Integer maxCountCeiling) {
}
