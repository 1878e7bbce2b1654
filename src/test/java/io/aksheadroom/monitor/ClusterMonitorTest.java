package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Severity;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static io.aksheadroom.monitor.AlertRules.AUTOSCALER_CEILING_EXCEEDED;
import static io.aksheadroom.monitor.AlertRules.SNAT_ALLOCATION_DRIFT;
import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pipeline's per-cluster state and alert lifecycle, in event time, without Kafka. */
class ClusterMonitorTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ClusterMonitor monitor = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, new CapacityPlanner());

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    private static SnatSample sample(int minute, String ip, long allocated, long used) {
        return new SnatSample("c1", minute(minute), ip, Protocol.TCP, allocated, used, 0L);
    }

    private static List<Alert> named(Outcome outcome, AlertRules alert) {
        return outcome.alerts().stream().filter(alert::is).toList();
    }

    @Test
    void snatPortsHighFiresAfterThreeHighSamplesAndResolvesOnce() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        assertTrue(named(monitor.applySample(sample(1, "10.240.0.4", 1024, 800)), SNAT_PORTS_HIGH).isEmpty());
        assertTrue(named(monitor.applySample(sample(2, "10.240.0.4", 1024, 800)), SNAT_PORTS_HIGH).isEmpty());
        List<Alert> fired = named(monitor.applySample(sample(3, "10.240.0.4", 1024, 800)), SNAT_PORTS_HIGH);
        assertEquals(1, fired.size());
        assertEquals(AlertStatus.FIRING, fired.get(0).status());
        assertEquals(Severity.WARNING, fired.get(0).severity());
        assertEquals(minute(3), fired.get(0).startsAt());
        assertEquals("10.240.0.4/TCP", fired.get(0).subject());
        assertTrue(named(monitor.applySample(sample(4, "10.240.0.4", 1024, 800)), SNAT_PORTS_HIGH).isEmpty(),
                "one firing record per episode");
        List<Alert> resolved = named(monitor.applySample(sample(5, "10.240.0.4", 1024, 100)), SNAT_PORTS_HIGH);
        assertEquals(1, resolved.size());
        assertEquals(AlertStatus.RESOLVED, resolved.get(0).status());
        assertEquals(minute(5), resolved.get(0).endsAt());
        assertEquals(fired.get(0).fingerprint(), resolved.get(0).fingerprint());
    }

    @Test
    void anAutoscalerPastItsCeilingFiresPerPoolAndResolvesOnceCapped() {
        // One IP at 20,000 ports holds 3 nodes: pool p may have 2 and its surge node.
        List<Alert> fired = named(monitor.applyProfile(cluster().managedIps(1, 20000)
                .autoscaledPool("p", 1, 10, 30, "1").build(), T0), AUTOSCALER_CEILING_EXCEEDED);
        assertEquals(1, fired.size());
        assertEquals(AlertStatus.FIRING, fired.get(0).status());
        assertEquals(Severity.WARNING, fired.get(0).severity());
        assertEquals("p", fired.get(0).subject());
        assertTrue(fired.get(0).summary().endsWith("--update-cluster-autoscaler --min-count 0 --max-count 2"),
                fired.get(0).summary());
        List<Alert> resolved = named(monitor.applyProfile(cluster().managedIps(1, 20000)
                .autoscaledPool("p", 1, 2, 30, "1").build(), T0.plusSeconds(60)), AUTOSCALER_CEILING_EXCEEDED);
        assertEquals(1, resolved.size());
        assertEquals(AlertStatus.RESOLVED, resolved.get(0).status());
    }

    @Test
    void escalationToCriticalIsSentAtOnceKeepingTheEpisodeStart() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        for (int m = 1; m <= 3; m++) {
            monitor.applySample(sample(m, "10.240.0.4", 1024, 800));
        }
        List<Alert> escalated = new ArrayList<>();
        for (int m = 4; m <= 6; m++) {
            escalated.addAll(named(monitor.applySample(sample(m, "10.240.0.4", 1024, 1000)), SNAT_PORTS_HIGH));
        }
        assertEquals(1, escalated.size());
        assertEquals(Severity.CRITICAL, escalated.get(0).severity());
        assertEquals(minute(3), escalated.get(0).startsAt());
    }

    @Test
    void demandIsTheBusiestBackendsPeakOverTheWindowAndForgetsWhatLeftIt() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        monitor.applySample(sample(1, "10.240.0.4", 1024, 900));
        monitor.applySample(sample(2, "10.240.0.5", 1024, 300));
        assertEquals(900, monitor.plan().snat().demandPortsPerNode());
        monitor.applySample(sample(30, "10.240.0.4", 1024, 100));
        assertEquals(900, monitor.plan().snat().demandPortsPerNode(), "still inside the hour");
        monitor.applySample(sample(61, "10.240.0.4", 1024, 100));
        assertEquals(300, monitor.plan().snat().demandPortsPerNode(), "minute 1 left the window, minute 2 is next");
        monitor.applySample(sample(62, "10.240.0.5", 1024, 200));
        assertEquals(200, monitor.plan().snat().demandPortsPerNode());
        monitor.applySample(sample(63, "10.240.0.4", 1024, 950));
        assertEquals(950, monitor.plan().snat().demandPortsPerNode());
    }

    @Test
    void olderAndDuplicateSamplesChangeNothing() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        monitor.applySample(sample(5, "10.240.0.4", 1024, 100));
        assertTrue(monitor.applySample(sample(5, "10.240.0.4", 1024, 1000)).isEmpty());
        assertTrue(monitor.applySample(sample(4, "10.240.0.4", 1024, 1000)).isEmpty());
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 100, 1024, 0, null)), monitor.backendUsage());
    }


    @Test
    void aBackendsLateSampleKeepsItsOwnTimeNotTheClustersNewest() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        monitor.applySample(sample(5, "10.240.0.4", 1024, 100));
        monitor.applySample(sample(2, "10.240.0.5", 1024, 200));
        monitor.applySample(sample(3, "10.240.0.5", 1024, 300));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 100, 1024, 0, null),
                new BackendUsage("10.240.0.5/TCP", 300, 1024, 0, null)), sortedUsage(),
                "the other backend's minute 3 is newer than its own minute 2");
        monitor.applySample(sample(5, "10.240.0.5", 1024, 500));
        assertTrue(monitor.applySample(sample(5, "10.240.0.5", 1024, 600)).isEmpty());
        assertEquals(500, sortedUsage().get(1).used());
    }
    /** What metrics read is kept between scrapes, but never outlives a sample or a node event. */
    @Test
    void backendUsageFollowsEverySampleAndNodeEventBetweenReads() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        monitor.applySample(sample(1, "10.240.0.4", 1024, 100));
        monitor.applySample(sample(1, "10.240.0.5", 1024, 5));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 100, 1024, 0, null),
                new BackendUsage("10.240.0.5/TCP", 5, 1024, 0, null)), sortedUsage());
        assertEquals(sortedUsage(), sortedUsage(), "read twice, unchanged");

        monitor.applySample(sample(2, "10.240.0.4", 1024, 300));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 300, 1024, 0, null),
                new BackendUsage("10.240.0.5/TCP", 5, 1024, 0, null)), sortedUsage(), "a newer sample");

        NodeInfo a = new NodeInfo("aks-p-0", "p", "10.240.0.4", 30);
        monitor.applyNodeEvent(NodeEvent.added("c1", minute(3), a));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 300, 1024, 0, a),
                new BackendUsage("10.240.0.5/TCP", 5, 1024, 0, null)), sortedUsage(), "a node came for the IP");

        NodeInfo b = new NodeInfo("aks-p-1", "p", "10.240.0.5", 30);
        NodeInfo renamed = new NodeInfo("aks-p-9", "p", "10.240.0.4", 30);
        monitor.applyNodeEvent(NodeEvent.inventory("c1", minute(4), List.of(renamed, b)));
        assertEquals(List.of(new BackendUsage("10.240.0.5/TCP", 5, 1024, 0, b)), sortedUsage(),
                "the IP's old node went with its backend; a node came for the other IP");
        monitor.applySample(sample(5, "10.240.0.4", 1024, 7));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 7, 1024, 0, renamed),
                new BackendUsage("10.240.0.5/TCP", 5, 1024, 0, b)), sortedUsage(), "another node has the IP now");

        monitor.applyNodeEvent(NodeEvent.removed("c1", minute(6), b));
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 7, 1024, 0, renamed)), sortedUsage(),
                "a node gone takes its backend");
    }

    private List<BackendUsage> sortedUsage() {
        return monitor.backendUsage().stream().sorted(java.util.Comparator.comparing(BackendUsage::subject)).toList();
    }

    @Test
    void failedConnectionsFireAtOnce() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        Outcome outcome = monitor.applySample(new SnatSample("c1", minute(1), "10.240.0.4", Protocol.TCP, 1024, 1024, 7L));
        assertEquals(1, named(outcome, SNAT_CONNECTIONS_FAILING).size());
        // Metrics read the failures of the newest sample next to its ports.
        assertEquals(List.of(new BackendUsage("10.240.0.4/TCP", 1024, 1024, 7, null)), monitor.backendUsage());
    }

    @Test
    void firingAlertsAreResentOnTheIntervalInEventTime() {
        monitor.applyProfile(cluster().pool("p", 50, 30).build(), T0);
        assertEquals(1, monitor.firingAlerts().stream().filter(SNAT_TIER_DROP::is).count());
        assertTrue(named(monitor.applySample(sample(4, "10.240.0.4", 1024, 10)), SNAT_TIER_DROP).isEmpty());
        List<Alert> resent = named(monitor.applySample(sample(5, "10.240.0.4", 1024, 10)), SNAT_TIER_DROP);
        assertEquals(1, resent.size());
        assertEquals(T0, resent.get(0).startsAt());
        assertEquals(minute(5), resent.get(0).updatedAt());
    }

    @Test
    void liveNodesDriveThePlanAndTheTierDropClearsWhenTheProfileIsFixed() {
        Outcome first = monitor.applyProfile(cluster().autoscaledPool("p", 3, 60, 30, "1").build(), T0);
        assertEquals(1, named(first, SNAT_TIER_DROP).size());
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            nodes.add(new NodeInfo("node-" + i, "p", "10.240.0." + (i + 4), 30));
        }
        Outcome inventory = monitor.applyNodeEvent(NodeEvent.inventory("c1", minute(1), nodes));
        assertNotNull(inventory.plan());
        assertEquals(40, inventory.plan().currentNodes());
        Outcome fixed = monitor.applyProfile(cluster().managedIps(2, 1024).autoscaledPool("p", 3, 60, 30, "1").build(),
                minute(2));
        List<Alert> resolved = named(fixed, SNAT_TIER_DROP);
        assertEquals(1, resolved.size());
        assertEquals(AlertStatus.RESOLVED, resolved.get(0).status());
    }

    @Test
    void aRemovedNodeTakesItsBackendAlertsWithIt() {
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        NodeInfo node = new NodeInfo("node-a", "p", "10.240.0.4", 30);
        monitor.applyNodeEvent(NodeEvent.added("c1", T0, node));
        monitor.applySample(new SnatSample("c1", minute(1), "10.240.0.4", Protocol.TCP, 1024, 1024, 3L));
        Outcome removed = monitor.applyNodeEvent(NodeEvent.removed("c1", minute(2), node));
        assertEquals(AlertStatus.RESOLVED, named(removed, SNAT_CONNECTIONS_FAILING).get(0).status());
        assertEquals(0, monitor.backendCount());
    }

    @Test
    void restoredFiringAlertsAreNotFiredAgain() {
        ClusterProfile profile = cluster().pool("p", 50, 30).build();
        Alert firing = monitor.applyProfile(profile, T0).alerts().get(0);
        ClusterMonitor restarted = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, new CapacityPlanner());
        restarted.restore(firing);
        Outcome again = restarted.applyProfile(profile, minute(1));
        assertNotNull(again.plan());
        assertTrue(again.alerts().isEmpty(), "already firing before the restart: " + again.alerts());
    }

    @Test
    void forgettingResolvesEverything() {
        monitor.applyProfile(cluster().pool("p", 50, 30).build(), T0);
        Outcome gone = monitor.forget(minute(1));
        assertTrue(gone.forgotten());
        assertTrue(gone.alerts().stream().allMatch(a -> a.status() == AlertStatus.RESOLVED));
        assertTrue(monitor.firingAlerts().isEmpty());
        assertNull(monitor.plan());
    }

    @Test
    void driftIsReportedPerBackend() {
        monitor.applyProfile(cluster().managedIps(1, 4000).pool("p", 10, 30).build(), T0);
        Outcome outcome = monitor.applySample(sample(1, "10.240.0.4", 1024, 10));
        assertEquals(1, named(outcome, SNAT_ALLOCATION_DRIFT).size());
        assertTrue(named(monitor.applySample(sample(1, "10.240.0.5", 4000, 10)), SNAT_ALLOCATION_DRIFT).isEmpty());
    }

    @Test
    void demandFromSamplesFeedsTheRecommendation() {
        monitor.applyProfile(cluster().autoscaledPool("p", 40, 60, 30, "1").build(), T0);
        Outcome outcome = monitor.applySample(sample(1, "10.240.0.4", 1024, 700));
        assertEquals(1056, outcome.plan().snat().recommendedPortsPerNode());
        assertEquals(1, named(outcome, SNAT_EXHAUSTION_PROJECTED).size());
    }

    @Test
    void aNatGatewayDroppingPacketsIsExhaustedUntilAQuietMinute() {
        monitor.applyProfile(cluster().natGateway(2).pool("p", 10, 30).build(), T0);
        String gateway = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/natGateways/gw";
        Outcome failing = monitor.applyNatGatewaySample(new NatGatewaySample("c1", minute(1), gateway, 4L, 900L, 12L));
        Alert alert = named(failing, SNAT_CONNECTIONS_FAILING).get(0);
        assertEquals("SNAT-9", alert.rule());
        assertEquals(gateway, alert.subject());
        assertTrue(failing.plan().hasFinding("SNAT-9"), "the plan sees the failures too");
        assertEquals(2, failing.plan().snat().recommendedOutboundIps(), "no per-node demand: the IPs stay");
        assertTrue(monitor.applyNatGatewaySample(new NatGatewaySample("c1", minute(1), gateway, 0L, 9L, 0L)).isEmpty(),
                "an older or equal minute changes nothing");
        Outcome quiet = monitor.applyNatGatewaySample(new NatGatewaySample("c1", minute(2), gateway, 0L, 800L, 0L));
        assertEquals(AlertStatus.RESOLVED, named(quiet, SNAT_CONNECTIONS_FAILING).get(0).status());
    }

    /** The summaries of backend alerts, written when the alert fires (and when its severity changes) only. */
    @Test
    void backendAlertsSayWhatTheyAreAbout() {
        monitor.applyProfile(cluster().managedIps(1, 2048).pool("p", 10, 30).build(), T0);
        monitor.applyNodeEvent(NodeEvent.added("c1", T0, new NodeInfo("aks-p-0", "p", "10.240.0.4", 30)));
        List<Alert> fired = new ArrayList<>();
        for (int m = 1; m <= 3; m++) {
            fired.addAll(monitor.applySample(new SnatSample("c1", minute(m), "10.240.0.4", Protocol.TCP, 1024, 800,
                    m == 3 ? 12L : 0L)).alerts());
        }
        for (int m = 4; m <= 6; m++) {
            fired.addAll(named(monitor.applySample(sample(m, "10.240.0.4", 1024, 1000)), SNAT_PORTS_HIGH));
        }
        List<Map.Entry<AlertRules, String>> summaries = fired.stream().filter(Alert::isFiring)
                .map(a -> Map.entry(AlertRules.named(a.alertname()), a.summary())).toList();
        assertEquals(List.of(
                Map.entry(SNAT_ALLOCATION_DRIFT, "Node aks-p-0 (10.240.0.4/TCP, pool p) has 1,024 SNAT ports allocated; "
                        + "the profile implies 2,048: the allocation changed outside the profile"),
                Map.entry(SNAT_PORTS_HIGH, "Node aks-p-0 (10.240.0.4/TCP, pool p) uses 78% of its 1,024 SNAT ports for 3 "
                        + "samples"),
                Map.entry(SNAT_CONNECTIONS_FAILING, "Node aks-p-0 (10.240.0.4/TCP, pool p): 12 SNAT connections failed in "
                        + "the last minute: its ports are exhausted"),
                Map.entry(SNAT_PORTS_HIGH, "Node aks-p-0 (10.240.0.4/TCP, pool p) uses 98% of its 1,024 SNAT ports for 3 "
                        + "samples")),
                summaries);
        assertEquals("Backend 10.240.0.5/TCP has 1,024 SNAT ports allocated; the profile implies 2,048: the allocation "
                + "changed outside the profile", named(monitor.applySample(sample(7, "10.240.0.5", 1024, 10)),
                        SNAT_ALLOCATION_DRIFT).get(0).summary());
    }
}
