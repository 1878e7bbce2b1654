package io.aksheadroom.monitor;

import static io.aksheadroom.capacity.InvalidInputException.require;

import java.time.Instant;
import java.util.List;

/**
 * An {@code aks.node-events} record: one node added or removed, or the full inventory that replaces what was known.
 *
 * @param node the node of {@code NodeAdded} / {@code NodeRemoved}; null for an inventory
 * @param nodes the full list of an inventory; empty otherwise
 */
public record NodeEvent(String clusterId, NodeEventType type, Instant at, NodeInfo node, List<NodeInfo> nodes)
        implements ClusterEvent {

    public NodeEvent {
        require(clusterId != null && !clusterId.isBlank(), "clusterId", "required");
        require(type != null, "type", "required");
        require(at != null, "at", "required");
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        if (type == NodeEventType.NODE_INVENTORY) {
            require(node == null, "node", "an inventory lists its nodes in 'nodes'");
        } else {
            require(node != null, "node", "required for " + type.wireName());
            require(nodes.isEmpty(), "nodes", "only an inventory lists nodes");
        }
    }

    @Override
    public Outcome applyTo(ClusterMonitor monitor) {
        return monitor.applyNodeEvent(this);
    }

    public static NodeEvent added(String clusterId, Instant at, NodeInfo node) {
        return new NodeEvent(clusterId, NodeEventType.NODE_ADDED, at, node, List.of());
    }

    public static NodeEvent removed(String clusterId, Instant at, NodeInfo node) {
        return new NodeEvent(clusterId, NodeEventType.NODE_REMOVED, at, node, List.of());
    }

    public static NodeEvent inventory(String clusterId, Instant at, List<NodeInfo> nodes) {
        return new NodeEvent(clusterId, NodeEventType.NODE_INVENTORY, at, null, nodes);
    }
}
