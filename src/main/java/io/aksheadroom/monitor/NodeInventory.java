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
    private final Map<String, PoolCount> liveByPool = new HashMap<>();
    private boolean inventorySeen;

    /** A node joined, or one of that name changed. */
    void add(NodeInfo node) {
        PoolCount pool = pool(node.pool());
        NodeInfo kept = withPoolName(node, pool.name);
        NodeInfo previous = byName.put(kept.name(), kept);
        if (previous != null) {
            pool(previous.pool()).live--;
            if (previous.ip() != null) {
                nameByIp.remove(previous.ip());
            }
        }
        pool.live++;
        if (kept.ip() != null) {
            nameByIp.put(kept.ip(), kept.name());
        }
    }

    /** The pool's count, made at zero the first time a node event names the pool: a pool once named stays. */
    private PoolCount pool(String name) {
        return liveByPool.computeIfAbsent(name, PoolCount::new);
    }

    /**
     * The node with the pool's name as this inventory first met it: every node event parses its own copy of the
     * name, and a pool's nodes would otherwise each keep one.
     */
    private static NodeInfo withPoolName(NodeInfo node, String poolName) {
        return node.pool() == poolName ? node : new NodeInfo(node.name(), poolName, node.ip(), node.maxPods());
    }

    /** The node of that name left; returns it, or null when it was not known. */
    NodeInfo remove(String name) {
        NodeInfo node = byName.remove(name);
        if (node != null) {
            pool(node.pool()).live--;
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
        liveByPool.forEach((name, pool) -> pools.put(name, pool.live));
        seen[0] = inventorySeen;
    }

    /** Takes back what {@link #exportTo} gave, into an empty inventory. */
    void restore(List<NodeInfo> nodes, Map<String, String> byIp, Map<String, Integer> pools, boolean seen) {
        pools.forEach((name, live) -> liveByPool.put(name, new PoolCount(name, live)));
        nodes.forEach(node -> {
            PoolCount pool = liveByPool.get(node.pool());
            byName.put(node.name(), pool == null ? node : withPoolName(node, pool.name));
        });
        nameByIp.putAll(byIp);
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
            PoolCount live = liveByPool.get(pool.name());
            if (live != null && live.live > 0) {
                counts.put(pool.name(), live.live);
            } else if (inventorySeen || live != null) {
                counts.put(pool.name(), 0);
            }
        }
        return counts;
    }

    /** A pool's live nodes, and its name as the first node event naming it gave it. */
    private static final class PoolCount {
        final String name;
        int live;

        PoolCount(String name) {
            this.name = name;
        }

        PoolCount(String name, int live) {
            this.name = name;
            this.live = live;
        }
    }
}
