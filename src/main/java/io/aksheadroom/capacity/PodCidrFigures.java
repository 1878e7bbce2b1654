package io.aksheadroom.capacity;

/**
 * IP-6 / IP-7: the pod CIDR carved into a /24 per node, and the plugin's node limit.
 *
 * @param nodeCapacity /24 blocks the pod CIDR holds
 * @param nodeLimit 400 for kubenet (route table), 5,000 for overlay
 */
public record PodCidrFigures(String cidr, long nodeCapacity, int nodeLimit, int currentNodes, int plannedNodes,
        boolean fits) {
}
