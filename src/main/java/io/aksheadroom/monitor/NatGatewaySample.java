package io.aksheadroom.monitor;

import static io.aksheadroom.capacity.InvalidInputException.require;

import java.time.Instant;

/**
 * One minute of one NAT gateway (SNAT-9), the {@code aks.natgw-metrics} record. A NAT gateway allocates ports on
 * demand to any VM, so its figures are per gateway, not per node, and do not fit the per-backend
 * {@link SnatSample}. Each figure is null when Azure Monitor reported nothing for it that minute.
 *
 * @param resourceId the NAT gateway
 * @param failedConnections {@code SNATConnectionCount} with {@code ConnectionState = Failed}, summed over protocols
 * @param totalConnections {@code TotalConnectionCount}, summed over protocols
 * @param packetDrops {@code PacketDropCount}
 */
public record NatGatewaySample(String clusterId, Instant at, String resourceId, Long failedConnections,
        Long totalConnections, Long packetDrops) implements ClusterEvent {

    public NatGatewaySample {
        require(clusterId != null && !clusterId.isBlank(), "clusterId", "required");
        require(at != null, "at", "required");
        require(resourceId != null && !resourceId.isBlank(), "resourceId", "required");
        require(failedConnections == null || failedConnections >= 0, "failedConnections", "must not be negative");
        require(totalConnections == null || totalConnections >= 0, "totalConnections", "must not be negative");
        require(packetDrops == null || packetDrops >= 0, "packetDrops", "must not be negative");
    }

    @Override
    public Outcome applyTo(ClusterMonitor monitor) {
        return monitor.applyNatGatewaySample(this);
    }

    /** SNAT-9: failed SNAT connections or dropped packets above zero are the exhaustion signals. */
    public boolean failing() {
        return (failedConnections != null && failedConnections > 0) || (packetDrops != null && packetDrops > 0);
    }
}
