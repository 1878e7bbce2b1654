package io.aksheadroom.capacity;

/**
 * Tunables of the recommendation and utilization rules.
 *
 * @param headroomFactor SNAT-8: recommended ports are peak demand times this
 * @param minPortsPerNode SNAT-8: the floor of a recommendation
 * @param utilizationWarning SNAT-7: used/allocated at or above this warns
 * @param utilizationCritical SNAT-7: used/allocated at or above this is critical
 */
public record PlanSettings(double headroomFactor, int minPortsPerNode, double utilizationWarning,
        double utilizationCritical) {

    public static final PlanSettings DEFAULTS = new PlanSettings(1.5, 1024, 0.75, 0.90);

    public PlanSettings {
        if (!(headroomFactor >= 1.0) || headroomFactor > 100) {
            throw new IllegalArgumentException("headroomFactor must be within 1..100, got " + headroomFactor);
        }
        if (minPortsPerNode < 8 || minPortsPerNode > LoadBalancerProfile.PORTS_PER_IP) {
            throw new IllegalArgumentException("minPortsPerNode must be within 8..64000, got " + minPortsPerNode);
        }
        if (!(utilizationWarning > 0 && utilizationWarning <= utilizationCritical && utilizationCritical <= 1)) {
            throw new IllegalArgumentException("need 0 < utilizationWarning <= utilizationCritical <= 1");
        }
    }
}
