package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.PlanSettings;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Restart and takeover semantics: a silent replay settled against the alerts topic. */
class FleetTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ClusterProfile profile = cluster().pool("p", 50, 30).build();

    private static Fleet fleet() {
        return new Fleet(MonitorSettings.DEFAULTS, new CapacityPlanner());
    }

    private static SnatSample sample(int minute, long used) {
        return new SnatSample("c1", T0.plus(Duration.ofMinutes(minute)), "10.240.0.4", Protocol.TCP, 1024, used, 0L);
    }

    /** The alerts topic, compacted: the newest record per fingerprint. */
    private static void publish(Map<String, Alert> topic, Outcome outcome) {
        outcome.alerts().forEach(alert -> topic.put(alert.fingerprint(), alert));
    }

    @Test
    void aReplayAfterARestartFiresNothingTwiceAndForgetsNothing() {
        Fleet first = fleet();
        Map<String, Alert> topic = new LinkedHashMap<>();
        publish(topic, first.profile("c1", 0, profile, T0));
        for (int m = 1; m <= 4; m++) {
            publish(topic, first.sample(0, sample(m, 900), null, T0));
        }
        assertEquals(Set.of("SnatTierDrop", "SnatPortsHigh", "SnatExhaustionProjected"), topic.values().stream()
                .filter(Alert::isFiring).map(Alert::alertname).collect(java.util.stream.Collectors.toSet()));

        Fleet restarted = fleet();
        restarted.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(restarted.profile("c1", 0, profile, T0).isEmpty(), "silent while replaying");
        for (int m = 2; m <= 4; m++) {
            assertTrue(restarted.sample(0, sample(m, 900), null, T0).isEmpty());
        }
        List<Outcome> settled = restarted.finishReplay(0, T0.plus(Duration.ofMinutes(10))).outcomes();
        assertEquals(1, settled.size());
        assertTrue(settled.get(0).alerts().isEmpty(), "already on the topic: " + settled.get(0).alerts());
        assertEquals(topic.values().stream().filter(a -> a.alertname().equals("SnatPortsHigh")).findFirst()
                        .orElseThrow().startsAt(),
                restarted.view("c1").firingAlerts().stream().filter(a -> a.alertname().equals("SnatPortsHigh"))
                        .findFirst().orElseThrow().startsAt(), "the episode keeps its start");
    }

    @Test
    void whatChangedWhileDownIsPublishedWhenTheReplaySettles() {
        Fleet first = fleet();
        Map<String, Alert> topic = new LinkedHashMap<>();
        publish(topic, first.profile("c1", 0, profile, T0));
        for (int m = 1; m <= 3; m++) {
            publish(topic, first.sample(0, sample(m, 900), null, T0));
        }
        Fleet restarted = fleet();
        restarted.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        restarted.profile("c1", 0, profile, T0);
        for (int m = 1; m <= 3; m++) {
            restarted.sample(0, sample(m, 900), null, T0);
        }
        restarted.sample(0, sample(4, 10), null, T0);
        List<Alert> settled = restarted.finishReplay(0, T0).outcomes().get(0).alerts();
        assertEquals(1, settled.size());
        assertEquals(AlertStatus.RESOLVED, settled.get(0).status());
        assertEquals("SnatPortsHigh", settled.get(0).alertname());
    }

    @Test
    void alertsOfAClusterWhoseProfileIsGoneResolveAfterTheReplay() {
        Fleet first = fleet();
        Map<String, Alert> topic = new LinkedHashMap<>();
        publish(topic, first.profile("c1", 0, profile, T0));
        Fleet restarted = fleet();
        restarted.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        List<Outcome> settled = restarted.finishReplay(0, T0.plus(Duration.ofMinutes(1))).outcomes();
        assertEquals(1, settled.size());
        assertTrue(settled.get(0).alerts().stream().allMatch(a -> a.status() == AlertStatus.RESOLVED));
        assertEquals(1, settled.get(0).alerts().size());
    }

    @Test
    void duringAReplayEventsWaitForTheirProfileAndUnclaimedOnesComeBackAsUnknown() {
        Fleet restarted = fleet();
        restarted.beginReplay(Set.of(0), List.of(), clusterId -> 0);
        assertTrue(restarted.sample(0, sample(1, 900), "first", T0).isEmpty());
        restarted.sample(0, new SnatSample("ghost", T0, "10.0.0.1", Protocol.TCP, 1024, 1, 0L), "ghost-record", T0);
        restarted.profile("c1", 0, profile, T0);
        assertEquals(1, restarted.view("c1").backends(), "the held sample was applied once the profile came");
        Fleet.Settled settled = restarted.finishReplay(0, T0);
        assertEquals(List.of("ghost-record"), settled.unknownClusterSources());
    }

    @Test
    void aLiveEventBeforeItsProfileIsAppliedWhenTheProfileComes() {
        Fleet fleet = fleet();
        assertTrue(fleet.sample(0, sample(1, 900), "early", T0).isEmpty());
        Outcome outcome = fleet.profile("c1", 0, profile, T0);
        assertEquals(900, outcome.plan().snat().demandPortsPerNode(), "the held sample counts");
        assertTrue(fleet.expireHeld(T0.plus(Duration.ofHours(1))).isEmpty());
    }

    @Test
    void withoutAGracePeriodAnUnknownClusterIsRefusedAtOnce() {
        MonitorSettings strict = new MonitorSettings(PlanSettings.DEFAULTS, 3, Duration.ofMinutes(5),
                Duration.ofHours(1), 0.2, Duration.ZERO, 10);
        Fleet fleet = new Fleet(strict, new CapacityPlanner());
        assertThrows(UnknownClusterException.class, () -> fleet.sample(0, sample(1, 10), "x", T0));
    }

    @Test
    void releasedPartitionsTakeTheirClustersAway() {
        Fleet fleet = fleet();
        fleet.profile("c1", 0, profile, T0);
        fleet.profile("c2", 1, cluster().pool("p", 3, 30).build(), T0);
        assertEquals(List.of("c1"), fleet.release(Set.of(0)));
        assertEquals(1, fleet.size());
        assertTrue(fleet.sample(0, sample(1, 10), "held", T0).isEmpty(), "waits for a profile");
        assertEquals(List.of("held"), fleet.expireHeld(T0.plus(MonitorSettings.DEFAULTS.unknownClusterGrace())));
    }

    @Test
    void aTombstoneResolvesAndForgets() {
        Fleet fleet = fleet();
        List<Alert> all = new ArrayList<>(fleet.profile("c1", 0, profile, T0).alerts());
        Outcome gone = fleet.profile("c1", 0, null, T0.plus(Duration.ofMinutes(1)));
        assertTrue(gone.forgotten());
        assertEquals(all.size(), gone.alerts().size());
        assertEquals(0, fleet.size());
    }
}
