package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.InvalidInputException.require;

/**
 * One entry of {@code agentPoolProfiles}. {@code liveNodes}, when known from node events, overrides
 * {@code count} as the current node count; it is not range-checked against the autoscaler bounds because
 * a pool really does run outside them while it upgrades.
 *
 * @param maxPods null when the profile leaves it out (the plugin mode's default then applies, IP-9)
 * @param vnetSubnetId null when the pool sits in the AKS-managed subnet (key {@code default} of {@code subnets})
 */
public record AgentPool(
        String name,
        int count,
        Integer maxPods,
        boolean autoscaling,
        Integer minCount,
        Integer maxCount,
        MaxSurge maxSurge,
        String vnetSubnetId,
        String podSubnetId,
        PodIpAllocation podIpAllocation,
        Integer liveNodes) {

    public static final int MIN_MAX_PODS = 10;
    public static final int MAX_MAX_PODS = 250;
    public static final String DEFAULT_SUBNET_KEY = "default";

    public AgentPool {
        require(name != null && !name.isBlank(), "name", "a pool needs a name");
        require(count >= 0, "count", "must not be negative, got " + count);
        require(maxPods == null || (maxPods >= MIN_MAX_PODS && maxPods <= MAX_MAX_PODS), "maxPods",
                "must be within " + MIN_MAX_PODS + ".." + MAX_MAX_PODS + ", got " + maxPods);
        require(minCount == null || minCount >= 0, "minCount", "must not be negative, got " + minCount);
        require(maxCount == null || maxCount >= 0, "maxCount", "must not be negative, got " + maxCount);
        if (autoscaling) {
            require(minCount != null, "minCount", "required when enableAutoScaling is true");
            require(maxCount != null, "maxCount", "required when enableAutoScaling is true");
            require(minCount <= maxCount, "minCount", "minCount " + minCount + " exceeds maxCount " + maxCount);
            require(count >= minCount && count <= maxCount, "count",
                    "count " + count + " lies outside minCount..maxCount " + minCount + ".." + maxCount);
        }
        require(liveNodes == null || liveNodes >= 0, "liveNodes", "must not be negative, got " + liveNodes);
        maxSurge = maxSurge == null ? MaxSurge.DEFAULT : maxSurge;
        podIpAllocation = podIpAllocation == null ? PodIpAllocation.DYNAMIC_INDIVIDUAL : podIpAllocation;
        vnetSubnetId = vnetSubnetId == null || vnetSubnetId.isBlank() ? null : vnetSubnetId;
        podSubnetId = podSubnetId == null || podSubnetId.isBlank() ? null : podSubnetId;
    }

    /** {@code current(p)}: live nodes when node events told us, else the profile's count. */
    public int currentNodes() {
        return liveNodes != null ? liveNodes : count;
    }

    /** {@code planned(p)}: what the resource provider validates, the autoscaler's ceiling when it runs. */
    public int plannedNodes() {
        return autoscaling ? maxCount : count;
    }

    /** {@code surge(p)}: surge nodes at the planned size. */
    public int plannedSurge() {
        return maxSurge.surgeAt(plannedNodes());
    }

    public int plannedNodesWithSurge() {
        return plannedNodes() + plannedSurge();
    }

    /** The key of this pool's node subnet in {@code subnets}. */
    public String nodeSubnetKey() {
        return vnetSubnetId != null ? vnetSubnetId : DEFAULT_SUBNET_KEY;
    }

    public int maxPodsOr(int defaultMaxPods) {
        return maxPods != null ? maxPods : defaultMaxPods;
    }

    /** The same pool naming its subnets with other spellings of the same ids. */
    AgentPool inSubnets(String nodeSubnetId, String podSubnet) {
        return new AgentPool(name, count, maxPods, autoscaling, minCount, maxCount, maxSurge, nodeSubnetId, podSubnet,
                podIpAllocation, liveNodes);
    }

    public AgentPool withLiveNodes(Integer nodes) {
        return new AgentPool(name, count, maxPods, autoscaling, minCount, maxCount, maxSurge, vnetSubnetId,
                podSubnetId, podIpAllocation, nodes);
    }
}
