package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Severity;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts this service raises, as the alerts topic, the Prometheus rules and the dashboards know them: each alert's
 * name, the rule ids its records carry, what it is about, and its severity. Which finding of a plan raises which
 * alert is decided here ({@link #raisedBy}); what a condition measures is decided where it is evaluated.
 */
public enum AlertRules {

    /** A backend's used ports stayed at or above a utilization level for several samples in a row. */
    SNAT_PORTS_HIGH("SnatPortsHigh", Scope.BACKEND, null, "SNAT-7"),
    /** A load-balancer backend (SNAT-7) or a NAT gateway (SNAT-9) failed SNAT connections or dropped packets. */
    SNAT_CONNECTIONS_FAILING("SnatConnectionsFailing", Scope.BACKEND, Severity.CRITICAL, "SNAT-7", "SNAT-9"),
    /** A backend has other ports allocated than the profile implies. */
    SNAT_ALLOCATION_DRIFT("SnatAllocationDrift", Scope.BACKEND, Severity.WARNING, "SNAT-10"),
    /** Under default allocation, the planned nodes get fewer ports per node than the nodes have now. */
    SNAT_TIER_DROP("SnatTierDrop", Scope.PLAN, Severity.WARNING, "SNAT-5"),
    /** AKS would refuse the profile at the planned nodes: their allocated ports exceed what the IPs hold. */
    OUTBOUND_PORTS_EXHAUSTED_AT_PLAN("OutboundPortsExhaustedAtPlan", Scope.PLAN, Severity.CRITICAL, "SNAT-6"),
    /** The observed demand per node reaches the ports per node at the planned nodes. */
    SNAT_EXHAUSTION_PROJECTED("SnatExhaustionProjected", Scope.PLAN, Severity.CRITICAL, "SNAT-12"),
    /** A subnet cannot hold the planned nodes and pods (critical) or has little of its space free (warning). */
    SUBNET_HEADROOM_LOW("SubnetHeadroomLow", Scope.PLAN, null, "IP-4"),
    /** The pod CIDR, or the network plugin's node limit, cannot hold the planned nodes. */
    POD_CIDR_EXHAUSTED("PodCidrExhausted", Scope.PLAN, Severity.CRITICAL, "IP-6", "IP-7"),
    /**
     * The network plan cannot be created as it stands: address ranges collide or sit in reserved ones (NET-*), or a
     * pool with maxPods under 30 has no room for 30 pods (IP-11).
     */
    NETWORK_PLAN_INVALID("NetworkPlanInvalid", Scope.PLAN, Severity.CRITICAL, "NET-1", "NET-2", "NET-3", "NET-4",
            "NET-5", "IP-11"),
    /**
     * An autoscaling pool's maxCount is above its ceiling (CAP-1): one alert per pool, with the command that caps it.
     * A warning, since the bound it would break raises its own critical alert for the cluster.
     */
    AUTOSCALER_CEILING_EXCEEDED("AutoscalerCeilingExceeded", Scope.PLAN, Severity.WARNING, "CAP-1");

    /** What an alert is about, which decides when it is evaluated again. */
    public enum Scope {
        /** One load-balancer backend ({@code ip/protocol}) or NAT gateway: evaluated on each of its samples. */
        BACKEND,
        /** The cluster's plan: evaluated whenever the plan changes. */
        PLAN
    }

    private static final Map<String, AlertRules> BY_NAME = new HashMap<>();
    private static final Map<String, AlertRules> BY_PLAN_RULE = new HashMap<>();

    static {
        for (AlertRules alert : values()) {
            BY_NAME.put(alert.alertname, alert);
            if (alert.scope == Scope.PLAN) {
                for (String rule : alert.rules) {
                    if (BY_PLAN_RULE.put(rule, alert) != null) {
                        throw new IllegalStateException("two plan alerts for rule " + rule);
                    }
                }
            }
        }
    }

    private final String alertname;
    private final Scope scope;
    private final Severity severity;
    private final List<String> rules;

    AlertRules(String alertname, Scope scope, Severity severity, String... rules) {
        this.alertname = alertname;
        this.scope = scope;
        this.severity = severity;
        this.rules = List.of(rules);
    }

    /** The name on the wire ({@code alertname}), as Alertmanager and the Prometheus rules spell it. */
    public String alertname() {
        return alertname;
    }

    public Scope scope() {
        return scope;
    }

    /** The severity it is always raised with; null when it depends on how far a figure is past its level. */
    public Severity severity() {
        return severity;
    }

    /** The severities it may be raised with. */
    public Set<Severity> severities() {
        return severity == null ? EnumSet.of(Severity.WARNING, Severity.CRITICAL) : EnumSet.of(severity);
    }

    /** Whether it may be raised with {@code level}. */
    public boolean allows(Severity level) {
        return severity == null ? level == Severity.WARNING || level == Severity.CRITICAL : level == severity;
    }

    /** Its page among the runbooks (docs/runbooks): what it means, how to confirm it, how to fix it. */
    public String runbook() {
        return alertname + ".md";
    }

    /** The rule ids its records may carry (part of their fingerprint). */
    public List<String> rules() {
        return rules;
    }

    /** Whether {@code alert} is one of this alert's records. */
    public boolean is(Alert alert) {
        return alertname.equals(alert.alertname());
    }

    /** The alert of this name; null for a name this service does not raise (a record of an older version). */
    public static AlertRules named(String alertname) {
        return BY_NAME.get(alertname);
    }

    /** The plan alert a finding of {@code rule} raises; null when the finding stays in the recommendation only. */
    public static AlertRules raisedBy(String rule) {
        return BY_PLAN_RULE.get(rule);
    }

    /**
     * Whether an alert of this name is about one backend. A name this service does not raise counts as the plan's,
     * so that a record of it read back from the alerts topic resolves at the next plan.
     */
    public static boolean isBackend(String alertname) {
        AlertRules alert = BY_NAME.get(alertname);
        return alert != null && alert.scope == Scope.BACKEND;
    }
}
