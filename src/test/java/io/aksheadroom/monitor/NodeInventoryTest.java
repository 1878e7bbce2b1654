package io.aksheadroom.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pool counts and the IP index as node events, one after the other, leave them. */
class NodeInventoryTest {

    private final NodeInventory inventory = new NodeInventory();

    private Map<String, Integer> poolCounts() {
        Map<String, Integer> pools = new HashMap<>();
        inventory.exportTo(new ArrayList<>(), new HashMap<>(), pools, new boolean[1]);
        return pools;
    }

    @Test
    void aNodeAddedAgainUnderItsNameCountsOnceInTheNewPoolAndLeavesItsOldIp() {
        inventory.add(new NodeInfo("n1", "a", "10.0.0.4", 30));
        inventory.add(new NodeInfo("n2", "a", "10.0.0.5", 30));
        inventory.add(new NodeInfo("n1", "a", "10.0.0.6", 30));
        assertEquals(Map.of("a", 2), poolCounts(), "the same node changed its IP: still two nodes");
        assertNull(inventory.withIp("10.0.0.4"));
        inventory.add(new NodeInfo("n1", "b", "10.0.0.6", 30));
        assertEquals(Map.of("a", 1, "b", 1), poolCounts(), "moved to another pool");
        inventory.remove("n1");
        inventory.remove("n2");
        assertEquals(Map.of("a", 0, "b", 0), poolCounts(), "a pool counted down to zero stays, at zero");
    }

    @Test
    void aPoolsNodesShareOneCopyOfItsNameAlsoAfterARestore() {
        // Each node event parses its own copy of the pool's name; thousands of nodes per pool would each keep one.
        String first = new String("pool-a");
        inventory.add(new NodeInfo("n1", first, "10.0.0.4", 30));
        inventory.replaceWith(List.of(new NodeInfo("n1", new String("pool-a"), "10.0.0.4", 30),
                new NodeInfo("n2", new String("pool-a"), "10.0.0.5", 30)));
        assertSame(first, inventory.withIp("10.0.0.5").pool());
        assertSame(first, inventory.withIp("10.0.0.4").pool());

        List<NodeInfo> nodes = new ArrayList<>();
        Map<String, String> byIp = new HashMap<>();
        Map<String, Integer> pools = new HashMap<>();
        boolean[] seen = new boolean[1];
        inventory.exportTo(nodes, byIp, pools, seen);
        NodeInventory restored = new NodeInventory();
        restored.restore(nodes.stream().map(n -> new NodeInfo(n.name(), new String(n.pool()), n.ip(), n.maxPods()))
                .toList(), byIp, pools, seen[0]);
        assertSame(restored.withIp("10.0.0.4").pool(), restored.withIp("10.0.0.5").pool());
        assertEquals(Map.of("pool-a", 2), pools);
    }
}
