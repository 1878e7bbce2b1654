package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.InvalidInputException.require;
import static io.aksheadroom.capacity.InvalidInputException.requireNotNegative;

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
        // Built for every SNAT sample the pipeline applies: refusal messages only on a refusal.
        requireNotNegative(peakUsedSnatPortsPerNode, "peakUsedSnatPortsPerNode");
        requireNotNegative(failedSnatConnections, "failedSnatConnections");
        requireNotNegative(podsPerNode, "podsPerNode");
        requireNotNegative(allocatedSnatPortsPerNode, "allocatedSnatPortsPerNode");
        require(peakUtilization == null || (peakUtilization >= 0 && !peakUtilization.isNaN()
                        && !peakUtilization.isInfinite()), "peakUtilization", "must be a non-negative number");
    }

    public Observed(Integer peakUsedSnatPortsPerNode, Long failedSnatConnections, Integer podsPerNode) {
        this(peakUsedSnatPortsPerNode, failedSnatConnections, podsPerNode, null, null);
    }
}
