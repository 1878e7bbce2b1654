package io.aksheadroom.capacity;

import java.util.Objects;

/**
 * Outbound port figures of a cluster. Figures that do not apply to the mode are null, never zero.
 *
 * @param portsPerNode ports each node has now (SNAT-2 or SNAT-4); null for NAT gateway, not applicable, or over 1000 nodes
 * @param portsPerNodeAtPlannedNodes the same at {@code N_plan}
 * @param maxNodes nodes the outbound IPs can serve at the manual allocation (SNAT-3), surge included; null otherwise
 * @param recommendedPortsPerNode {@code P*} of SNAT-8
 * @param recommendedOutboundIps {@code N*} of SNAT-8 (or the NAT gateway IP count {@code K})
 * @param recommendedOutboundIpsAchievable false when {@code N*} exceeds what the outbound type allows
 * @param capacityPorts all outbound IPs' ports together
 * @param requiredPortsAtPlannedNodes {@code N_plan × ports per node} (or × demand for NAT gateway)
 * @param demandPortsPerNode the busiest node's peak used ports, when observed
 */
public record SnatFigures(
        SnatMode mode,
        Integer outboundIps,
        Integer portsPerNode,
        Integer portsPerNodeAtPlannedNodes,
        Integer maxNodes,
        Integer recommendedPortsPerNode,
        Integer recommendedOutboundIps,
        boolean natGatewayRecommended,
        Boolean recommendedOutboundIpsAchievable,
        Long capacityPorts,
        Long requiredPortsAtPlannedNodes,
        Integer demandPortsPerNode,
        Integer idleTimeoutInMinutes) {

    public SnatFigures {
        Objects.requireNonNull(mode, "mode");
    }

    public static SnatFigures notApplicable() {
        return new SnatFigures(SnatMode.NOT_APPLICABLE, null, null, null, null, null, null, false, null, null, null,
                null, null);
    }
}
