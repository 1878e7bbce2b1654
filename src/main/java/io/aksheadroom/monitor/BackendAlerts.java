package io.aksheadroom.monitor;

import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.capacity.Severity;

import static io.aksheadroom.capacity.Numbers.grouped;
import static io.aksheadroom.monitor.AlertCondition.percent;
import static io.aksheadroom.monitor.AlertRules.SNAT_ALLOCATION_DRIFT;
import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The conditions of one cluster's backend alerts, each evaluated from a backend's or a NAT gateway's newest sample.
 * Summaries name the node behind a backend, as the cluster's nodes are when an alert fires.
 */
final class BackendAlerts {

    private final MonitorSettings settings;
    private final NodeInventory nodes;

    BackendAlerts(MonitorSettings settings, NodeInventory nodes) {
        this.settings = settings;
        this.nodes = nodes;
    }

    /** The backend alerts of {@code subject}: the alerts its samples reconcile. */
    static Predicate<Alert> scope(String subject) {
        return alert -> AlertRules.isBackend(alert.alertname()) && alert.subject().equals(subject);
    }

    /** The drift alert of {@code subject} only: what a changed plan reconciles. */
    static Predicate<Alert> driftScope(String subject) {
        return alert -> SNAT_ALLOCATION_DRIFT.is(alert) && alert.subject().equals(subject);
    }

    /**
     * What holds for a load-balancer backend after its newest sample: high use (SNAT-7) after enough samples in a
     * row, failed connections (SNAT-7), an allocation other than the plan's {@code plannedPorts} (SNAT-10).
     */
    List<AlertCondition> of(String subject, Backend backend, Double utilization, Integer plannedPorts) {
        PlanSettings levels = settings.plan();
        long allocated = backend.allocated;
        long failed = backend.failed;
        int criticalStreak = backend.criticalStreak;
        int warningStreak = backend.warningStreak;
        AlertCondition high = null;
        if (criticalStreak >= settings.highSamples()) {
            high = new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.CRITICAL, subject,
                    () -> highSummary(subject, utilization, allocated, criticalStreak), utilization,
                    levels.utilizationCritical());
        } else if (warningStreak >= settings.highSamples()) {
            high = new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.WARNING, subject,
                    () -> highSummary(subject, utilization, allocated, warningStreak), utilization,
                    levels.utilizationWarning());
        }
        AlertCondition failing = failed <= 0 ? null : new AlertCondition(SNAT_CONNECTIONS_FAILING, "SNAT-7",
                Severity.CRITICAL, subject, () -> describe(subject) + ": " + grouped(failed) + " SNAT connections "
                        + "failed in the last minute: its ports are exhausted", (double) failed, 0.0);
        AlertCondition drift = drift(subject, backend, plannedPorts);
        if (high == null && failing == null && drift == null) {
            return List.of();
        }
        List<AlertCondition> conditions = new ArrayList<>(3);
        for (AlertCondition condition : new AlertCondition[] {high, failing, drift}) {
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return conditions;
    }

    /** SNAT-10: the backend has other ports allocated than the plan's {@code plannedPorts}; null when it has not. */
    AlertCondition drift(String subject, Backend backend, Integer plannedPorts) {
        long allocated = backend.allocated;
        if (plannedPorts == null || allocated == 0 || allocated == plannedPorts) {
            return null;
        }
        return new AlertCondition(SNAT_ALLOCATION_DRIFT, "SNAT-10", Severity.WARNING, subject, () -> describe(subject)
                + " has " + grouped(allocated) + " SNAT ports allocated; the profile implies " + grouped(plannedPorts)
                + ": the allocation changed outside the profile", (double) allocated, plannedPorts.doubleValue());
    }

    /**
     * SNAT-9: a NAT gateway shares its ports on demand, so its only alert is exhaustion: failed connections or
     * dropped packets above zero.
     */
    static List<AlertCondition> natGateway(NatGatewaySample sample, long failed) {
        if (!sample.failing()) {
            return List.of();
        }
        String subject = sample.resourceId();
        long drops = sample.packetDrops() == null ? 0 : sample.packetDrops();
        return List.of(new AlertCondition(SNAT_CONNECTIONS_FAILING, "SNAT-9", Severity.CRITICAL, subject,
                "NAT gateway " + subject.substring(subject.lastIndexOf('/') + 1) + ": " + grouped(failed)
                        + " failed SNAT connections and " + grouped(drops) + " dropped packets in a minute: its "
                        + "ports are exhausted; add outbound IPs (up to 16) or reuse connections",
                (double) Math.max(failed, drops), 0.0));
    }

    private String highSummary(String subject, Double utilization, long allocated, int streak) {
        return describe(subject) + " uses " + percent(utilization) + " of its " + grouped(allocated) + " SNAT ports for "
                + streak + " samples";
    }

    private String describe(String subject) {
        NodeInfo node = nodes.withIp(subject.substring(0, subject.indexOf('/')));
        return node == null ? "Backend " + subject
                : "Node " + node.name() + " (" + subject + ", pool " + node.pool() + ")";
    }
}
