package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Finding;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SubnetFigures;

import static io.aksheadroom.monitor.AlertRules.AUTOSCALER_CEILING_EXCEEDED;
import static io.aksheadroom.monitor.AlertRules.NETWORK_PLAN_INVALID;
import static io.aksheadroom.monitor.AlertRules.OUTBOUND_PORTS_EXHAUSTED_AT_PLAN;
import static io.aksheadroom.monitor.AlertRules.POD_CIDR_EXHAUSTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;
import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A plan's alert conditions: which findings raise one, at what severity, with which figures. */
class PlanAlertsTest {

    private static final double FREE_SHARE_WARNING = MonitorSettings.DEFAULTS.subnetFreeShareWarning();

    /** What a condition says, its summary aside. */
    private record Said(AlertRules alert, String rule, Severity severity, String subject, Double value,
            Double threshold) {
    }

    private static List<Said> said(Plan plan) {
        return PlanAlerts.of(plan, FREE_SHARE_WARNING).stream().map(c -> new Said(c.alert(), c.rule(), c.severity(),
                c.subject(), c.value(), c.threshold())).toList();
    }

    private static Finding finding(Plan plan, String rule) {
        return plan.findings().stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void aTierDropReportsThePortsAtThePlannedNodesAgainstNow() {
        Plan plan = cluster().pool("p", 50, 30).plan();
        assertEquals(List.of(new Said(SNAT_TIER_DROP, "SNAT-5", Severity.WARNING, "cluster",
                plan.snat().portsPerNodeAtPlannedNodes().doubleValue(), plan.snat().portsPerNode().doubleValue())),
                said(plan));
        assertEquals(finding(plan, "SNAT-5").message(), PlanAlerts.of(plan, FREE_SHARE_WARNING).get(0).summary());
    }

    @Test
    void portsBeyondWhatTheIpsHoldReportTheRequiredAgainstTheCapacity() {
        Plan plan = cluster().managedIps(1, 20000).pool("p", 4, 30, "1").plan();
        assertEquals(List.of(new Said(OUTBOUND_PORTS_EXHAUSTED_AT_PLAN, "SNAT-6", Severity.CRITICAL, "cluster",
                plan.snat().requiredPortsAtPlannedNodes().doubleValue(), plan.snat().capacityPorts().doubleValue())),
                said(plan));
    }

    @Test
    void anAutoscalerPastItsCeilingReportsItsMaxCountAgainstTheCeilingPerPool() {
        // One IP at 20,000 ports holds 3 nodes: 2 and a surge node.
        Plan plan = cluster().managedIps(1, 20000).autoscaledPool("p", 1, 10, 30, "1").plan();
        assertEquals(List.of(new Said(OUTBOUND_PORTS_EXHAUSTED_AT_PLAN, "SNAT-6", Severity.CRITICAL, "cluster",
                plan.snat().requiredPortsAtPlannedNodes().doubleValue(), plan.snat().capacityPorts().doubleValue()),
                new Said(AUTOSCALER_CEILING_EXCEEDED, "CAP-1", Severity.WARNING, "p", 10.0, 2.0)), said(plan));
        assertEquals(finding(plan, "CAP-1").message(), PlanAlerts.of(plan, FREE_SHARE_WARNING).get(1).summary());
        assertTrue(PlanAlerts.of(plan, FREE_SHARE_WARNING).get(1).summary()
                .endsWith("--update-cluster-autoscaler --min-count 0 --max-count 2"));
        Plan capped = cluster().managedIps(1, 20000).autoscaledPool("p", 1, 2, 30, "1").plan();
        assertTrue(said(capped).stream().noneMatch(s -> s.alert() == AUTOSCALER_CEILING_EXCEEDED), said(capped)
                .toString());
    }

    @Test
    void projectedExhaustionReportsTheDemandAgainstThePortsAtThePlannedNodes() {
        Plan plan = cluster().observed(new Observed(900, null, null)).autoscaledPool("p", 40, 60, 30, "1").plan();
        assertTrue(said(plan).contains(new Said(SNAT_EXHAUSTION_PROJECTED, "SNAT-12", Severity.CRITICAL, "cluster",
                900.0, plan.snat().portsPerNodeAtPlannedNodes().doubleValue())), said(plan).toString());
    }

    @Test
    void aPodCidrTooSmallReportsThePlannedNodesAgainstWhatItHolds() {
        Plan plan = cluster().overlay("10.244.0.0/22").pool("p", 6, 30).plan();
        assertEquals(List.of(new Said(POD_CIDR_EXHAUSTED, "IP-7", Severity.CRITICAL, "cluster",
                (double) plan.podCidr().plannedNodes(), 4.0)), said(plan));
    }

    @Test
    void aBrokenNetworkPlanHasNoFigures() {
        Plan plan = cluster().services("10.0.0.0/16", "10.0.0.1").pool("p", 5, 30).plan();
        assertEquals(List.of(new Said(NETWORK_PLAN_INVALID, "NET-2", Severity.CRITICAL, "cluster", null, null)),
                said(plan));
    }

    @Test
    void aSubnetThatCannotHoldThePlanIsCriticalAndOneLowOnFreeAddressesWarns() {
        Plan full = cluster().subnet("10.240.0.0/26").pool("p", 5, 30).plan();
        SubnetFigures subnet = full.subnets().get(0);
        assertEquals(List.of(new Said(SUBNET_HEADROOM_LOW, "IP-4", Severity.CRITICAL, subnet.id(),
                (double) subnet.required(), (double) subnet.usable())), said(full));
        assertEquals(finding(full, "IP-4").message(), PlanAlerts.of(full, FREE_SHARE_WARNING).get(0).summary());

        Plan low = cluster().subnet("10.240.0.0/24").pool("p", 7, 30).plan();
        SubnetFigures tight = low.subnets().get(0);
        assertTrue(tight.fits() && tight.freeShare() < FREE_SHARE_WARNING, tight.toString());
        assertEquals(List.of(new Said(SUBNET_HEADROOM_LOW, "IP-4", Severity.WARNING, tight.id(), tight.freeShare(),
                FREE_SHARE_WARNING)), said(low));
        assertEquals("Subnet " + tight.id() + " has 34 of 251 addresses free (14%, warning below 20%)",
                PlanAlerts.of(low, FREE_SHARE_WARNING).get(0).summary());
    }
}
