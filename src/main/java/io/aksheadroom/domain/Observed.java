package io.aksheadroom.domain;

import static io.aksheadroom.domain.InvalidInputException.require;

/**
 * What monitoring saw, all optional: the pipeline fills it from SNAT samples, a planning user from Azure Monitor.
 *
 * @param peakUsedSnatPortsPerNode the busiest node's peak {@code UsedSnatPorts} over the look-back window
 * @param failedSnatConnections {@code SnatConnectionCount} with {@code ConnectionState = Failed}
 * @param podsPerNode pods running per node, for the dynamic pod-subnet batches (IP-8)
 * @param allocatedSnatPortsPerNode an observed {@code AllocatedSnatPorts} that differs most from the profile (SNAT-10)
 * @param peakUtilization the busiest node's used/allocated, when the allocation is known per node
 */
public record Observed(
        Integer peakUsedSnatPortsPerNode,
        Long failedSnatConnections,
        Integer podsPerNode,
        Integer allocatedSnatPortsPerNode,
        Double peakUtilization) {

    public static final Observed NOTHING = new Observed(null, null, null, null, null);

    public Observed {
        require(peakUsedSnatPortsPerNode == null || peakUsedSnatPortsPerNode >= 0, "peakUsedSnatPortsPerNode",
                "must not be negative, got " + peakUsedSnatPortsPerNode);
        require(failedSnatConnections == null || failedSnatConnections >= 0, "failedSnatConnections",
                "must not be negative, got " + failedSnatConnections);
        require(podsPerNode == null || podsPerNode >= 0, "podsPerNode", "must not be negative, got " + podsPerNode);
        require(allocatedSnatPortsPerNode == null || allocatedSnatPortsPerNode >= 0, "allocatedSnatPortsPerNode",
                "must not be negative, got " + allocatedSnatPortsPerNode);
        require(peakUtilization == null || (peakUtilization >= 0 && !peakUtilization.isNaN()
                        && !peakUtilization.isInfinite()), "peakUtilization", "must be a non-negative number");
    }

    public Observed(Integer peakUsedSnatPortsPerNode, Long failedSnatConnections, Integer podsPerNode) {
        this(peakUsedSnatPortsPerNode, failedSnatConnections, podsPerNode, null, null);
    }
}
