package io.aksheadroom.monitor;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.capacity.LoadBalancerProfile;

import static io.aksheadroom.capacity.InvalidInputException.require;

import java.time.Instant;

/**
 * One minute of one backend's SNAT use, already aggregated as SNAT-7 says (per backend and protocol, summed over
 * frontend IPs, awaiting-removal series left out). The {@code aks.lb-metrics} record.
 *
 * @param backendIp the node's IP in the backend pool
 * @param failedConnections {@code SnatConnectionCount} with {@code ConnectionState = Failed}; null when not reported
 */
public record SnatSample(String clusterId, Instant at, String backendIp, Protocol protocol, long allocatedSnatPorts,
        long usedSnatPorts, Long failedConnections) implements ClusterEvent {

    private static final long MAX_PORTS = LoadBalancerProfile.PORTS_PER_IP * 100L;

    public SnatSample {
        require(clusterId != null && !clusterId.isBlank(), "clusterId", "required");
        require(at != null, "at", "required");
        require(backendIp != null, "backendIp", "required");
        try {
            Ipv4.parse(backendIp);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("backendIp", e.getMessage());
        }
        protocol = protocol == null ? Protocol.TCP : protocol;
        // The messages are built only on a refusal: this runs for every sample of the pipeline.
        if (allocatedSnatPorts < 0 || allocatedSnatPorts > MAX_PORTS) {
            throw new InvalidInputException("allocatedSnatPorts", "must be within 0..6,400,000, got "
                    + allocatedSnatPorts);
        }
        if (usedSnatPorts < 0 || usedSnatPorts > MAX_PORTS) {
            throw new InvalidInputException("usedSnatPorts", "must be within 0..6,400,000, got " + usedSnatPorts);
        }
        InvalidInputException.requireNotNegative(failedConnections, "failedConnections");
    }

    @Override
    public Outcome applyTo(ClusterMonitor monitor) {
        return monitor.applySample(this);
    }

    /** used/allocated, or null while nothing is allocated (a node joining the backend pool). */
    public Double utilization() {
        return allocatedSnatPorts == 0 ? null : (double) usedSnatPorts / allocatedSnatPorts;
    }

    public boolean failing() {
        return failedConnections != null && failedConnections > 0;
    }
}
