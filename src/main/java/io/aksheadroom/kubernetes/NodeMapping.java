package io.aksheadroom.kubernetes;

import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.monitor.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Kubernetes {@code Node} as the capacity model sees it. */
final class NodeMapping {

    /** The label AKS puts on every node of an agent pool. */
    static final String POOL_LABEL = "kubernetes.azure.com/agentpool";
    /** The label older AKS versions used; still present on many clusters, so it is the fallback. */
    static final String LEGACY_POOL_LABEL = "agentpool";

    private NodeMapping() {
    }

    /** Empty for a node with no pool label (a virtual node, a node not made by AKS): the model counts pools only. */
    static Optional<NodeInfo> toInfo(Node node) {
        ObjectMeta metadata = node.getMetadata();
        Map<String, String> labels = metadata.getLabels() == null ? Map.of() : metadata.getLabels();
        String pool = nonBlank(labels.get(POOL_LABEL)).or(() -> nonBlank(labels.get(LEGACY_POOL_LABEL))).orElse(null);
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new NodeInfo(metadata.getName(), pool, internalIpv4(node), maxPods(node)));
    }

    /** A NodeAdded record's time: when the node was created, which stays the same however often it is re-sent. */
    static Instant addedAt(Node node) {
        return Instant.parse(node.getMetadata().getCreationTimestamp());
    }

    /**
     * A NodeRemoved record's time: the deletionTimestamp when the API server set one (a node held by a finalizer),
     * otherwise {@code seen}, the moment the watcher learnt of the deletion: a node without finalizers is gone at
     * once and its last state carries no deletion time.
     */
    static Instant removedAt(Node node, Instant seen) {
        String deletion = node.getMetadata().getDeletionTimestamp();
        return deletion == null ? seen : Instant.parse(deletion);
    }

    /** The IPv4 InternalIP: the node's backend address in the load balancer. A dual-stack node lists an IPv6 one too. */
    private static String internalIpv4(Node node) {
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        return addresses.stream()
                .filter(address -> "InternalIP".equals(address.getType()))
                .map(NodeAddress::getAddress)
                .filter(NodeMapping::isIpv4)
                .findFirst().orElse(null);
    }

    private static Integer maxPods(Node node) {
        Map<String, Quantity> capacity = node.getStatus() == null ? null : node.getStatus().getCapacity();
        Quantity pods = capacity == null ? null : capacity.get("pods");
        return pods == null ? null : pods.getNumericalAmount().intValueExact();
    }

    private static boolean isIpv4(String address) {
        try {
            Ipv4.parse(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isBlank());
    }
}
