package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.PlanSettings;

import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The clusters of owned partitions, the events that wait for a profile, and settling against the alerts topic. */
class FleetTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ClusterProfile profile = cluster().pool("p", 50, 30).build();

    private static Fleet<String> fleet() {
        return new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
    }

    private static Fleet<String> fleet(Duration grace, int maxHeld) {
        return new Fleet<>(new MonitorSettings(PlanSettings.DEFAULTS, 3, Duration.ofMinutes(5), Duration.ofHours(1),
                0.2, grace, maxHeld), new CapacityPlanner());
    }

    private static SnatSample sample(int minute, long used) {
        return new SnatSample("c1", T0.plus(Duration.ofMinutes(minute)), "10.240.0.4", Protocol.TCP, 1024, used, 0L);
    }

    @Test
    void aLiveEventBeforeItsProfileIsAppliedWhenTheProfileComes() {
        Fleet<String> fleet = fleet();
        assertTrue(fleet.apply(0, sample(1, 900), "early", T0, false).isEmpty());
        Outcome outcome = fleet.profile("c1", 0, profile, T0);
        assertEquals(900, outcome.plan().snat().demandPortsPerNode(), "the held sample counts");
        assertTrue(fleet.expireHeld(T0.plus(Duration.ofHours(1))).isEmpty());
    }

    @Test
    void eventsThatWaitedAreAppliedInTheOrderTheyCameAndGiveOneOutcome() {
        Fleet<String> fleet = fleet();
        for (int m = 1; m <= 3; m++) {
            fleet.apply(0, sample(m, 900), "sample " + m, T0, false);
        }
        Outcome outcome = fleet.profile("c1", 0, profile, T0);
        assertTrue(SNAT_TIER_DROP.is(outcome.alerts().get(0)), "the profile's alerts first: " + outcome.alerts());
        assertTrue(SNAT_PORTS_HIGH.is(outcome.alerts().get(outcome.alerts().size() - 1)),
                "the third high sample's last: " + outcome.alerts());
        assertEquals(T0.plus(Duration.ofMinutes(3)), outcome.generatedAt(), "as of the last event");
        assertEquals(900, outcome.plan().snat().demandPortsPerNode());
    }

    @Test
    void withoutAGracePeriodAnUnknownClusterIsRefusedAtOnce() {
        Fleet<String> fleet = fleet(Duration.ZERO, 10);
        assertThrows(UnknownClusterException.class, () -> fleet.apply(0, sample(1, 10), "x", T0, false));
        assertTrue(fleet.apply(0, sample(1, 10), "rebuilding", T0, true).isEmpty(),
                "while its partition is rebuilt, an event waits for the profile all the same");
    }

    @Test
    void beyondTheMostThatMayWaitALiveEventIsRefused() {
        Fleet<String> fleet = fleet(Duration.ofSeconds(10), 2);
        fleet.apply(0, sample(1, 10), "first", T0, false);
        fleet.apply(0, sample(2, 10), "second", T0, false);
        assertThrows(UnknownClusterException.class, () -> fleet.apply(0, sample(3, 10), "third", T0, false));
        assertTrue(fleet.apply(1, sample(3, 10), "rebuilding", T0, true).isEmpty());
    }

    @Test
    void liveEventsWaitTheirGracePeriodAndEventsOfARebuiltPartitionItsEndAndTheGracePeriod() {
        Fleet<String> fleet = fleet();
        fleet.apply(0, sample(1, 10), "live", T0, false);
        fleet.apply(1, new SnatSample("c2", T0, "10.0.0.1", Protocol.TCP, 1024, 1, 0L), "rebuilt", T0, true);
        Duration grace = MonitorSettings.DEFAULTS.unknownClusterGrace();
        assertTrue(fleet.expireHeld(T0.plus(grace).minusMillis(1)).isEmpty());
        assertEquals(List.of("live"), fleet.expireHeld(T0.plus(grace)));
        assertTrue(fleet.expireHeld(T0.plus(Duration.ofDays(1))).isEmpty());
        Instant rebuilt = T0.plus(Duration.ofDays(1));
        fleet.endRebuild(1, rebuilt);
        assertTrue(fleet.expireHeld(rebuilt.plus(grace).minusMillis(1)).isEmpty(), "from the end of the rebuild on");
        assertEquals(List.of("rebuilt"), fleet.expireHeld(rebuilt.plus(grace)));
        assertTrue(fleet.expireHeld(rebuilt.plus(Duration.ofDays(1))).isEmpty());
    }

    @Test
    void releasedPartitionsTakeTheirClustersAway() {
        Fleet<String> fleet = fleet();
        fleet.profile("c1", 0, profile, T0);
        fleet.profile("c2", 1, cluster().pool("p", 3, 30).build(), T0);
        fleet.apply(1, new SnatSample("c3", T0, "10.0.0.1", Protocol.TCP, 1024, 1, 0L), "of c3", T0, true);
        assertEquals(List.of("c1"), fleet.release(Set.of(0)));
        assertEquals(1, fleet.size());
        assertEquals(1, fleet.partitionOf("c2"));
        assertEquals(null, fleet.partitionOf("c1"));
        assertTrue(fleet.apply(0, sample(1, 10), "held", T0, false).isEmpty(), "waits for a profile");
        assertEquals(List.of("held"), fleet.expireHeld(T0.plus(MonitorSettings.DEFAULTS.unknownClusterGrace())));
        fleet.release(Set.of(1));
        fleet.endRebuild(1, T0);
        assertTrue(fleet.expireHeld(T0.plus(Duration.ofDays(1))).isEmpty(), "held events go with their partition");
    }

    @Test
    void aTombstoneResolvesAndForgets() {
        Fleet<String> fleet = fleet();
        List<Alert> all = new ArrayList<>(fleet.profile("c1", 0, profile, T0).alerts());
        Outcome gone = fleet.forget("c1", T0.plus(Duration.ofMinutes(1)));
        assertTrue(gone.forgotten());
        assertEquals(all.size(), gone.alerts().size());
        assertEquals(0, fleet.size());
        assertTrue(fleet.forget("c1", T0.plus(Duration.ofMinutes(2))).isEmpty(), "forgotten once");
    }

    @Test
    void aPartitionSettlesAgainstTheAlertsShownAndConfirmsWhatHeldSince() {
        Fleet<String> before = fleet();
        List<Alert> shown = new ArrayList<>(before.profile("c1", 0, profile, T0).alerts());
        for (int m = 1; m <= 3; m++) {
            shown.addAll(before.apply(0, sample(m, 900), null, T0, false).alerts());
        }

        Fleet<String> after = fleet();
        after.profile("c1", 0, profile, T0);
        List<Outcome> settled = after.settle(0, Map.of("c1", shown), T0);
        assertEquals(1, settled.size());
        assertTrue(settled.get(0).alerts().isEmpty(), "the tier drop is on the topic already: " + settled);
        Set<String> firingShown = shown.stream().filter(Alert::isFiring).map(Alert::fingerprint)
                .collect(Collectors.toSet());
        assertTrue(shown.stream().anyMatch(SNAT_PORTS_HIGH::is));
        assertEquals(firingShown, after.view("c1").firingAlerts().stream().map(Alert::fingerprint)
                .collect(Collectors.toSet()), "what the rebuilt state lacks is kept firing on the topic's word");
        List<Outcome> confirmed = after.confirm(0, T0);
        assertEquals(1, confirmed.size());
        assertEquals(firingShown.size() - 1, confirmed.get(0).alerts().size(), "all but the tier drop: " + confirmed);
        assertTrue(confirmed.get(0).alerts().stream().noneMatch(a -> a.isFiring() || SNAT_TIER_DROP.is(a)));
        assertTrue(after.settle(1, Map.of("c1", shown), T0).isEmpty(), "another partition's clusters only");
    }

    @Test
    void aProfileTakesTheAlertsReadBackForItAsItsOwn() {
        Fleet<String> before = fleet();
        List<Alert> shown = before.profile("c1", 0, profile, T0).alerts();
        assertTrue(shown.stream().anyMatch(SNAT_TIER_DROP::is));

        Fleet<String> after = fleet();
        Outcome back = after.profile("c1", 0, profile, T0.plusSeconds(30), shown);
        assertTrue(back.alerts().isEmpty(), "the same episodes, already on the topic: " + back.alerts());
        assertEquals(shown.stream().filter(SNAT_TIER_DROP::is).findFirst().orElseThrow().startsAt(),
                after.view("c1").firingAlerts().stream().filter(SNAT_TIER_DROP::is).findFirst().orElseThrow()
                        .startsAt());
    }
}
