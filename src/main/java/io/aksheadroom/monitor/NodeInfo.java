package io.aksheadroom.monitor;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Ipv4;

import static io.aksheadroom.capacity.InvalidInputException.require;

/**
 * A node as the node watcher sees it.
 *
 * @param pool the {@code kubernetes.azure.com/agentpool} label
 * @param ip the InternalIP, which is the node's backend IP in the load balancer
 * @param maxPods {@code status.capacity.pods}, null when unknown
 */
public record NodeInfo(String name, String pool, String ip, Integer maxPods) {

    public NodeInfo {
        require(name != null && !name.isBlank(), "name", "required");
        require(pool != null && !pool.isBlank(), "pool", "required");
        if (ip != null) {
            try {
                Ipv4.parse(ip);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("ip", e.getMessage());
            }
        }
        require(maxPods == null || maxPods >= 0, "maxPods", "must not be negative, got " + maxPods);
    }
}
