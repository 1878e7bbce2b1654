package io.aksheadroom.discovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the Azure Monitor poller should watch for the clusters discovery found: each cluster's outbound load
 * balancer or NAT gateways, region and size. Replaced whole after every listing.
 */
@ApplicationScoped
public class DiscoveredTargets {

    /**
     * The resources of one cluster.
     *
     * @param region the cluster's location
     * @param maxBackends the most nodes the cluster can have (its planned nodes, surge included)
     * @param frontendIps the load balancer's outbound frontend IPs (1 for NAT gateways)
     */
    public record Target(String clusterId, List<String> resourceIds, String region, int maxBackends, int frontendIps) {

        public Target {
            Objects.requireNonNull(clusterId, "clusterId");
            resourceIds = List.copyOf(resourceIds);
            Objects.requireNonNull(region, "region");
        }
    }

    private volatile Map<String, Target> targets = Map.of();
    private volatile long version;
    private volatile boolean enabled;

    /** Whether discovery runs at all; the poller then polls even without static targets. */
    public boolean enabled() {
        return enabled;
    }

    void enable() {
        this.enabled = true;
    }

    /** By clusterId. */
    public Map<String, Target> targets() {
        return targets;
    }

    /** Changes whenever the targets do, so the poller replans its calls only then. */
    public long version() {
        return version;
    }

    /** What the latest listing found, by clusterId. */
    public synchronized void replace(Map<String, Target> next) {
        if (!next.equals(targets)) {
            targets = Map.copyOf(next);
            version++;
        }
    }
}
