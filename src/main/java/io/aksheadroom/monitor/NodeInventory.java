package io.aksheadroom.monitor;

import io.aksheadroom.capacity.AgentPool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One cluster's nodes as its node events tell them: by name, by IP (a backend's IP is its node's), and how many each
 * pool has. Not thread-safe: its monitor's fleet guards it.
 */
final class NodeInventory {

    private final Map<String, NodeInfo> byName = new HashMap<>();
    private final Map<String, String> nameByIp = new HashMap<>();
    private final Map<String, Integer> liveByPool = new HashMap<>();
    private boolean inventorySeen;

    /** A node joined, or one of that name changed. */
    void add(NodeInfo node) {
        NodeInfo previous = byName.put(node.name(), node);
        if (previous != null) {
            liveByPool.merge(previous.pool(), -1, Integer::sum);
            if (previous.ip() != null) {
                nameByIp.remove(previous.ip());
            }
        }
        liveByPool.merge(node.pool(), 1, Integer::sum);
        if (node.ip() != null) {
            nameByIp.put(node.ip(), node.name());
        }
    }

    /** The node of that name left; returns it, or null when it was not known. */
    NodeInfo remove(String name) {
        NodeInfo node = byName.remove(name);
        if (node != null) {
            liveByPool.merge(node.pool(), -1, Integer::sum);
            if (node.ip() != null) {
                nameByIp.remove(node.ip());
            }
        }
        return node;
    }

    /** A full inventory replaces what was known; returns the nodes it no longer lists, which are removed. */
    List<NodeInfo> replaceWith(List<NodeInfo> nodes) {
        Set<String> listed = new HashSet<>();
        nodes.forEach(node -> listed.add(node.name()));
        List<NodeInfo> gone = new ArrayList<>();
        for (String name : List.copyOf(byName.keySet())) {
            if (!listed.contains(name)) {
                gone.add(remove(name));
            }
        }
        nodes.forEach(this::add);
        inventorySeen = true;
        return gone;
    }

    int size() {
        return byName.size();
    }

    /** The nodes, the IP index, the pool counts and whether an inventory came, for a state snapshot. */
    void exportTo(List<NodeInfo> nodes, Map<String, String> byIp, Map<String, Integer> pools, boolean[] seen) {
        nodes.addAll(byName.values());
        byIp.putAll(nameByIp);
        pools.putAll(liveByPool);
        seen[0] = inventorySeen;
    }

    /** Takes back what {@link #exportTo} gave, into an empty inventory. */
    void restore(List<NodeInfo> nodes, Map<String, String> byIp, Map<String, Integer> pools, boolean seen) {
        nodes.forEach(node -> byName.put(node.name(), node));
        nameByIp.putAll(byIp);
        liveByPool.putAll(pools);
        inventorySeen = seen;
    }

    /** The node whose IP this is, when node events told us. */
    NodeInfo withIp(String ip) {
        String name = nameByIp.get(ip);
        return name == null ? null : byName.get(name);
    }

    /** Live counts for the pools node events told us about; after an inventory, unseen pools have none. */
    Map<String, Integer> liveCounts(List<AgentPool> pools) {
        Map<String, Integer> counts = new HashMap<>();
        for (AgentPool pool : pools) {
            Integer live = liveByPool.get(pool.name());
            if (live != null && live > 0) {
                counts.put(pool.name(), live);
            } else if (inventorySeen || live != null) {
                counts.put(pool.name(), 0);
            }
        }
        return counts;
    }
}
