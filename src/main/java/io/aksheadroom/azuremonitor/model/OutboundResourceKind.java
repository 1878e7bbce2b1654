package io.aksheadroom.azuremonitor.model;

import java.util.Locale;

/** The Azure resources whose metrics tell how a cluster's outbound SNAT fares (SNAT-7, SNAT-9). */
public enum OutboundResourceKind {
    /** The AKS Standard Load Balancer, per-node figures (SNAT-7). */
    LOAD_BALANCER("Microsoft.Network/loadBalancers"),
    /** A NAT gateway: ports are allocated on demand, so its figures are per gateway, not per node (SNAT-9). */
    NAT_GATEWAY("Microsoft.Network/natGateways");

    private final String namespace;

    OutboundResourceKind(String namespace) {
        this.namespace = namespace;
    }

    /** The Azure Monitor metric namespace, which is the resource type. */
    public String namespace() {
        return namespace;
    }

    static OutboundResourceKind ofType(String resourceType) {
        for (OutboundResourceKind kind : values()) {
            if (kind.namespace.toLowerCase(Locale.ROOT).equals(resourceType.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        return null;
    }
}
