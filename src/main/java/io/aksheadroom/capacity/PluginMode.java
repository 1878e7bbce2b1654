package io.aksheadroom.capacity;

/** How nodes and pods take addresses; derived from the plugin, its mode and the pools' pod subnets. */
public enum PluginMode {
    CNI_NODE_SUBNET("cni-node-subnet", 30),
    CNI_OVERLAY("cni-overlay", 250),
    CNI_POD_SUBNET("cni-pod-subnet", 110),
    KUBENET("kubenet", 110),
    BYO_CNI("byo-cni", 250);

    private final String wireName;
    private final int defaultMaxPods;

    PluginMode(String wireName, int defaultMaxPods) {
        this.wireName = wireName;
        this.defaultMaxPods = defaultMaxPods;
    }

    public String wireName() {
        return wireName;
    }

    /** IP-9: what AKS picks when the profile leaves {@code maxPods} out. */
    public int defaultMaxPods() {
        return defaultMaxPods;
    }

    /** Kubenet and overlay carve a /24 per node out of {@code podCidr}. */
    public boolean carvesPodCidr() {
        return this == KUBENET || this == CNI_OVERLAY;
    }

    /** IP-6 (route table) and IP-7 (overlay scale limit); {@link Integer#MAX_VALUE} where no such limit applies. */
    public int nodeLimit() {
        return switch (this) {
            case KUBENET -> 400;
            case CNI_OVERLAY -> 5000;
            default -> Integer.MAX_VALUE;
        };
    }

    /** The rule that owns the pod CIDR and node limit checks of this mode. */
    public String podCidrRule() {
        return this == KUBENET ? "IP-6" : "IP-7";
    }
}
