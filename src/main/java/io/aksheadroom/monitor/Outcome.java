package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one input record changed: a plan to publish (null when unchanged), alert records to publish, and whether the
 * cluster was forgotten (its recommendation is then tombstoned).
 *
 * @param newestSampleAt event time of the cluster's newest SNAT or NAT gateway sample when the plan was made; null
 *        when none arrived or the outcome does not say
 */
public record Outcome(String clusterId, Plan plan, Instant generatedAt, List<Alert> alerts, boolean forgotten,
        Instant newestSampleAt) {

    public Outcome {
        alerts = List.copyOf(alerts);
    }

    public Outcome(String clusterId, Plan plan, Instant generatedAt, List<Alert> alerts, boolean forgotten) {
        this(clusterId, plan, generatedAt, alerts, forgotten, null);
    }

    public static Outcome nothing(String clusterId) {
        return new Outcome(clusterId, null, null, List.of(), false);
    }

    /** A cluster that is gone: its firing alerts resolve at {@code at} and its recommendation goes away. */
    public static Outcome gone(String clusterId, Collection<Alert> alerts, Instant at) {
        List<Alert> ended = new ArrayList<>();
        alerts.stream().filter(Alert::isFiring).forEach(alert -> ended.add(alert.endAt(at)));
        return new Outcome(clusterId, null, at, ended, true);
    }

    /**
     * Outcomes of one cluster, one after the other, as one: the last plan any of them gave, the latest time, every
     * alert record in order, forgotten if any of them forgot.
     */
    public static Outcome inOrder(List<Outcome> steps) {
        if (steps.size() == 1) {
            return steps.get(0);
        }
        Plan plan = null;
        Instant last = null;
        List<Alert> alerts = new ArrayList<>();
        boolean forgotten = false;
        Instant newestSample = null;
        for (Outcome step : steps) {
            if (step.newestSampleAt != null && (newestSample == null || step.newestSampleAt.isAfter(newestSample))) {
                newestSample = step.newestSampleAt;
            }
            plan = step.plan != null ? step.plan : plan;
            if (step.generatedAt != null && (last == null || step.generatedAt.isAfter(last))) {
                last = step.generatedAt;
            }
            alerts.addAll(step.alerts);
            forgotten |= step.forgotten;
        }
        return new Outcome(steps.get(0).clusterId, plan, last, alerts, forgotten, newestSample);
    }

    public boolean isEmpty() {
        return plan == null && alerts.isEmpty() && !forgotten;
    }
}
