package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Plan;

import java.time.Instant;
import java.util.List;

/**
 * What one input record changed: a plan to publish (null when unchanged), alert records to publish, and whether the
 * cluster was forgotten (its recommendation is then tombstoned).
 */
public record Outcome(String clusterId, Plan plan, Instant generatedAt, List<Alert> alerts, boolean forgotten) {

    public Outcome {
        alerts = List.copyOf(alerts);
    }

    public static Outcome nothing(String clusterId) {
        return new Outcome(clusterId, null, null, List.of(), false);
    }

    public boolean isEmpty() {
        return plan == null && alerts.isEmpty() && !forgotten;
    }
}
