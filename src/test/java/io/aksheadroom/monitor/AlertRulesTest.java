package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Severity;

import static io.aksheadroom.monitor.AlertRules.AUTOSCALER_CEILING_EXCEEDED;
import static io.aksheadroom.monitor.AlertRules.NETWORK_PLAN_INVALID;
import static io.aksheadroom.monitor.AlertRules.OUTBOUND_PORTS_EXHAUSTED_AT_PLAN;
import static io.aksheadroom.monitor.AlertRules.POD_CIDR_EXHAUSTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_ALLOCATION_DRIFT;
import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The alert contract, as a table: the names on the wire, what each is about, its severities and its rules. */
class AlertRulesTest {

    private record Row(String alertname, AlertRules.Scope scope, Set<Severity> severities, List<String> rules) {
    }

    private static final Map<AlertRules, Row> CONTRACT = new LinkedHashMap<>();

    static {
        AlertRules.Scope backend = AlertRules.Scope.BACKEND;
        AlertRules.Scope plan = AlertRules.Scope.PLAN;
        Set<Severity> both = Set.of(Severity.WARNING, Severity.CRITICAL);
        Set<Severity> warning = Set.of(Severity.WARNING);
        Set<Severity> critical = Set.of(Severity.CRITICAL);
        CONTRACT.put(SNAT_PORTS_HIGH, new Row("SnatPortsHigh", backend, both, List.of("SNAT-7")));
        CONTRACT.put(SNAT_CONNECTIONS_FAILING, new Row("SnatConnectionsFailing", backend, critical,
                List.of("SNAT-7", "SNAT-9")));
        CONTRACT.put(SNAT_ALLOCATION_DRIFT, new Row("SnatAllocationDrift", backend, warning, List.of("SNAT-10")));
        CONTRACT.put(SNAT_TIER_DROP, new Row("SnatTierDrop", plan, warning, List.of("SNAT-5")));
        CONTRACT.put(OUTBOUND_PORTS_EXHAUSTED_AT_PLAN, new Row("OutboundPortsExhaustedAtPlan", plan, critical,
                List.of("SNAT-6")));
        CONTRACT.put(SNAT_EXHAUSTION_PROJECTED, new Row("SnatExhaustionProjected", plan, critical, List.of("SNAT-12")));
        CONTRACT.put(SUBNET_HEADROOM_LOW, new Row("SubnetHeadroomLow", plan, both, List.of("IP-4")));
        CONTRACT.put(POD_CIDR_EXHAUSTED, new Row("PodCidrExhausted", plan, critical, List.of("IP-6", "IP-7")));
        CONTRACT.put(NETWORK_PLAN_INVALID, new Row("NetworkPlanInvalid", plan, critical,
                List.of("NET-1", "NET-2", "NET-3", "NET-4", "NET-5", "IP-11")));
        CONTRACT.put(AUTOSCALER_CEILING_EXCEEDED, new Row("AutoscalerCeilingExceeded", plan, warning,
                List.of("CAP-1")));
    }

    @Test
    void everyAlertIsInTheContractAsWritten() {
        assertEquals(Set.of(AlertRules.values()), CONTRACT.keySet());
        CONTRACT.forEach((alert, row) -> {
            assertEquals(row, new Row(alert.alertname(), alert.scope(), alert.severities(), alert.rules()),
                    alert.name());
            assertSame(alert, AlertRules.named(row.alertname()));
            assertEquals(row.scope() == AlertRules.Scope.BACKEND, AlertRules.isBackend(row.alertname()));
            Arrays.stream(Severity.values()).forEach(level -> assertEquals(row.severities().contains(level),
                    alert.allows(level), alert + " " + level));
        });
    }

    @Test
    void whichFindingRaisesWhichPlanAlert() {
        Map<String, AlertRules> raised = new LinkedHashMap<>();
        raised.put("SNAT-5", SNAT_TIER_DROP);
        raised.put("SNAT-6", OUTBOUND_PORTS_EXHAUSTED_AT_PLAN);
        raised.put("SNAT-12", SNAT_EXHAUSTION_PROJECTED);
        raised.put("IP-4", SUBNET_HEADROOM_LOW);
        raised.put("IP-6", POD_CIDR_EXHAUSTED);
        raised.put("IP-7", POD_CIDR_EXHAUSTED);
        List.of("NET-1", "NET-2", "NET-3", "NET-4", "NET-5", "IP-11")
                .forEach(rule -> raised.put(rule, NETWORK_PLAN_INVALID));
        raised.put("CAP-1", AUTOSCALER_CEILING_EXCEEDED);
        // Findings that stay in the recommendation: backend rules have their own alerts, the others none.
        List.of("SNAT-1", "SNAT-2", "SNAT-3", "SNAT-4", "SNAT-7", "SNAT-8", "SNAT-9", "SNAT-10", "SNAT-11", "IP-1",
                "IP-5", "IP-8", "IP-10", "SURGE-1").forEach(rule -> raised.put(rule, null));
        raised.forEach((rule, alert) -> assertEquals(alert, AlertRules.raisedBy(rule), rule));
    }

    @Test
    void aNameThisServiceDoesNotRaiseIsThePlansToResolve() {
        assertNull(AlertRules.named("SnatPortsHighV0"));
        assertFalse(AlertRules.isBackend("SnatPortsHighV0"));
    }

    @Test
    void aConditionOutsideTheContractIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new AlertCondition(SNAT_TIER_DROP, "SNAT-6", Severity.WARNING, "cluster", "wrong rule", null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AlertCondition(SNAT_TIER_DROP, "SNAT-5", Severity.CRITICAL, "cluster", "wrong level", null,
                        null));
        assertThrows(IllegalArgumentException.class,
                () -> new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.INFO, "10.0.0.4/TCP", "no info alerts",
                        null, null));
        assertTrue(new AlertCondition(SNAT_CONNECTIONS_FAILING, "SNAT-9", Severity.CRITICAL, "gw", "fine", 1.0, 0.0)
                .alertname().equals("SnatConnectionsFailing"));
    }
}
