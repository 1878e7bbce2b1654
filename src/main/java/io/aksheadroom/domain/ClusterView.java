package io.aksheadroom.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A read-only snapshot of one monitored cluster for people and metrics.
 *
 * @param backendUsage backend subject ({@code ip/protocol}) to {used ports, allocated ports, failed connections} of
 *        its newest sample
 * @param backendNodes backend subject to its node, where node events told us
 */
public record ClusterView(String clusterId, Plan plan, List<Alert> firingAlerts, int nodes, int backends,
        Instant lastEventAt, Map<String, long[]> backendUsage, Map<String, NodeInfo> backendNodes) {

    static ClusterView of(String clusterId, ClusterMonitor monitor) {
        Map<String, long[]> usage = monitor.backendUsage();
        Map<String, NodeInfo> nodes = new java.util.HashMap<>();
        for (String subject : usage.keySet()) {
            NodeInfo node = monitor.nodeOf(subject);
            if (node != null) {
                nodes.put(subject, node);
            }
        }
        return new ClusterView(clusterId, monitor.plan(), monitor.firingAlerts(), monitor.nodeCount(),
                monitor.backendCount(), monitor.lastEventAt(), usage, nodes);
    }
}
