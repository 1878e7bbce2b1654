package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Plan;

import java.time.Instant;
import java.util.List;

/**
 * A read-only snapshot of one monitored cluster for people and metrics.
 *
 * @param backendUsage each backend's newest sample, with its node where node events told us
 */
public record ClusterView(String clusterId, Plan plan, List<Alert> firingAlerts, int nodes, int backends,
        Instant lastEventAt, List<BackendUsage> backendUsage) {

    static ClusterView of(String clusterId, ClusterMonitor monitor) {
        return new ClusterView(clusterId, monitor.plan(), monitor.firingAlerts(), monitor.nodeCount(),
                monitor.backendCount(), monitor.lastEventAt(), monitor.backendUsage());
    }
}
