package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Finding;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PodCidrFigures;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SnatFigures;
import io.aksheadroom.capacity.SubnetFigures;

import static io.aksheadroom.capacity.Numbers.grouped;
import static io.aksheadroom.monitor.AlertCondition.percent;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;

import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of a plan's alerts: its findings that raise one ({@link AlertRules#raisedBy}), with the figures each
 * alert reports, and the subnets short of addresses.
 */
final class PlanAlerts {

    private PlanAlerts() {
    }

    /** Findings without an alert (info ones, say) stay in the recommendation only. */
    static List<AlertCondition> of(Plan plan, double subnetFreeShareWarning) {
        List<AlertCondition> conditions = new ArrayList<>();
        for (Finding finding : plan.findings()) {
            AlertRules alert = AlertRules.raisedBy(finding.rule());
            if (alert != null && alert != SUBNET_HEADROOM_LOW) {
                Double[] figures = figures(alert, finding, plan);
                conditions.add(new AlertCondition(alert, finding.rule(), alert.severity(), finding.subject(),
                        finding.message(), figures[0], figures[1]));
            }
        }
        // Per subnet rather than per finding: a subnet low on free addresses warns without any finding.
        for (SubnetFigures subnet : plan.subnets()) {
            if (!subnet.fits()) {
                Finding finding = plan.findings().stream().filter(f -> f.subject().equals(subnet.id())
                        && AlertRules.raisedBy(f.rule()) == SUBNET_HEADROOM_LOW).findFirst().orElseThrow();
                conditions.add(new AlertCondition(SUBNET_HEADROOM_LOW, finding.rule(), Severity.CRITICAL, subnet.id(),
                        finding.message(), (double) subnet.required(), (double) subnet.usable()));
            } else if (!subnet.pools().isEmpty() && subnet.freeShare() < subnetFreeShareWarning) {
                conditions.add(new AlertCondition(SUBNET_HEADROOM_LOW, SUBNET_HEADROOM_LOW.rules().get(0),
                        Severity.WARNING, subnet.id(), "Subnet " + subnet.id() + " has " + grouped(subnet.free())
                                + " of " + grouped(subnet.usable()) + " addresses free ("
                                + percent(subnet.freeShare()) + ", warning below "
                                + percent(subnetFreeShareWarning) + ")",
                        subnet.freeShare(), subnetFreeShareWarning));
            }
        }
        return conditions;
    }

    /** {value, threshold} of a finding's alert: the plan's figure that failed the rule, and the one it failed. */
    private static Double[] figures(AlertRules alert, Finding finding, Plan plan) {
        SnatFigures snat = plan.snat();
        PodCidrFigures pods = plan.podCidr();
        return switch (alert) {
            case SNAT_TIER_DROP -> pair(snat.portsPerNodeAtPlannedNodes(), snat.portsPerNode());
            case OUTBOUND_PORTS_EXHAUSTED_AT_PLAN -> pair(snat.requiredPortsAtPlannedNodes(), snat.capacityPorts());
            case SNAT_EXHAUSTION_PROJECTED -> pair(snat.demandPortsPerNode(), snat.portsPerNodeAtPlannedNodes());
            case POD_CIDR_EXHAUSTED -> pods == null ? pair(null, null)
                    : pair(pods.plannedNodes(), Math.min(pods.nodeCapacity(), pods.nodeLimit()));
            case NETWORK_PLAN_INVALID -> pair(null, null);
            case AUTOSCALER_CEILING_EXCEEDED -> plan.pools().stream().filter(p -> p.name().equals(finding.subject()))
                    .findFirst().map(p -> pair(p.maxCount(), p.maxCountCeiling())).orElseGet(() -> pair(null, null));
            case SNAT_PORTS_HIGH, SNAT_CONNECTIONS_FAILING, SNAT_ALLOCATION_DRIFT, SUBNET_HEADROOM_LOW ->
                throw new IllegalArgumentException(alert + " is not raised by a finding alone");
        };
    }

    private static Double[] pair(Number value, Number threshold) {
        return new Double[] {value == null ? null : value.doubleValue(),
            threshold == null ? null : threshold.doubleValue()};
    }
}
