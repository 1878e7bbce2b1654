package io.aksheadroom.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aksheadroom.monitor.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class NodeMappingTest {

    @Test
    void theAksPoolLabelWinsOverTheLegacyOne() {
        Node node = TestNodes.node("n1", Map.of(NodeMapping.POOL_LABEL, "user1", NodeMapping.LEGACY_POOL_LABEL, "old"),
                "10.224.0.5", 110);
        assertEquals(Optional.of(new NodeInfo("n1", "user1", "10.224.0.5", 110)), NodeMapping.toInfo(node));
    }

    @Test
    void theLegacyPoolLabelIsTheFallback() {
        Node node = TestNodes.node("n1", Map.of(NodeMapping.POOL_LABEL, " ", NodeMapping.LEGACY_POOL_LABEL, "old"),
                "10.224.0.5", 110);
        assertEquals("old", NodeMapping.toInfo(node).orElseThrow().pool());
    }

    @Test
    void aNodeWithoutAPoolIsNotOneTheModelCounts() {
        assertEquals(Optional.empty(), NodeMapping.toInfo(TestNodes.node("n1", Map.of("type", "virtual-kubelet"), "10.0.0.1", 1)));
        assertEquals(Optional.empty(), NodeMapping.toInfo(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()));
    }

    @Test
    void theAddressIsTheIpv4InternalIpOfADualStackNode() {
        Node node = new NodeBuilder(TestNodes.inPool("n1", "p", "fd00:10:224::5", 30)).editStatus()
                .addNewAddress().withType("ExternalIP").withAddress("20.1.2.3").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.224.0.5").endAddress()
                .endStatus().build();
        assertEquals("10.224.0.5", NodeMapping.toInfo(node).orElseThrow().ip());
    }

    @Test
    void aNodeTheKubeletHasNotReportedOnYetHasNoAddressOrCapacity() {
        Node node = new NodeBuilder().withNewMetadata().withName("n1").withLabels(Map.of(NodeMapping.POOL_LABEL, "p"))
                .endMetadata().build();
        NodeInfo info = NodeMapping.toInfo(node).orElseThrow();
        assertNull(info.ip());
        assertNull(info.maxPods());
    }

    @Test
    void anAdditionIsDatedByCreationAndARemovalByDeletionWhenTheApiServerSetOne() {
        Node node = new NodeBuilder(TestNodes.inPool("n1", "p", "10.0.0.1", 30)).editMetadata()
                .withCreationTimestamp("2026-11-20T08:00:00Z").endMetadata().build();
        Instant seen = Instant.parse("2026-11-26T10:15:30.123Z");
        assertEquals(Instant.parse("2026-11-20T08:00:00Z"), NodeMapping.addedAt(node));
        assertEquals(seen, NodeMapping.removedAt(node, seen));

        Node finalized = new NodeBuilder(node).editMetadata().withDeletionTimestamp("2026-11-26T10:15:00Z").endMetadata().build();
        assertEquals(Instant.parse("2026-11-26T10:15:00Z"), NodeMapping.removedAt(finalized, seen));
    }
}
