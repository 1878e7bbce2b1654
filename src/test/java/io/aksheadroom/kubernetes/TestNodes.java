package io.aksheadroom.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.Map;

/** Node objects shaped as AKS makes them: a pool label, an InternalIP and a Hostname, capacity, a Ready condition. */
final class TestNodes {

    private TestNodes() {
    }

    static Node node(String name, Map<String, String> labels, String internalIp, int maxPods) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addToCapacity("pods", new Quantity(String.valueOf(maxPods)))
                .addToCapacity("cpu", new Quantity("4"))
                .addToCapacity("memory", new Quantity("16374584Ki"))
                .addNewCondition().withType("Ready").withStatus("True").withLastHeartbeatTime(Instant.now().toString())
                .endCondition()
                .endStatus()
                .build();
    }

    static Node inPool(String name, String pool, String internalIp, int maxPods) {
        return node(name, Map.of(NodeMapping.POOL_LABEL, pool, "kubernetes.io/os", "linux"), internalIp, maxPods);
    }
}
