package io.aksheadroom.pipeline;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertRules;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.Outcome;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Restart and takeover semantics: a silent replay settled against the alerts topic, without Kafka. */
class SilentReplaysTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ClusterProfile profile = cluster().pool("p", 50, 30).build();

    /** One instance: its fleet, and the replays every record goes through, as the pipeline wires them. */
    private record Instance(Fleet<String> fleet, SilentReplays<String> replays) {
    }

    private static Instance instance() {
        Fleet<String> fleet = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
        return new Instance(fleet, new SilentReplays<>(fleet));
    }

    private static SnatSample sample(int minute, long used) {
        return new SnatSample("c1", T0.plus(Duration.ofMinutes(minute)), "10.240.0.4", Protocol.TCP, 1024, used, 0L);
    }

    /** The alerts topic, compacted: the newest record per fingerprint. */
    private static void publish(Map<String, Alert> topic, Outcome outcome) {
        outcome.alerts().forEach(alert -> topic.put(alert.fingerprint(), alert));
    }

    /** What a previous owner published for the profile and {@code samples} high samples, minute by minute. */
    private Map<String, Alert> topicAfter(int samples) {
        SilentReplays<String> first = instance().replays();
        Map<String, Alert> topic = new LinkedHashMap<>();
        publish(topic, first.profile("c1", 0, profile, T0));
        for (int m = 1; m <= samples; m++) {
            publish(topic, first.apply(0, sample(m, 900), null, T0));
        }
        return topic;
    }

    @Test
    void aReplayAfterARestartFiresNothingTwiceAndForgetsNothing() {
        Map<String, Alert> topic = topicAfter(4);
        assertEquals(Set.of(SNAT_TIER_DROP.alertname(), SNAT_PORTS_HIGH.alertname(),
                SNAT_EXHAUSTION_PROJECTED.alertname()), topic.values().stream().filter(Alert::isFiring)
                .map(Alert::alertname).collect(Collectors.toSet()));

        Instance restarted = instance();
        restarted.replays().begin(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(restarted.replays().profile("c1", 0, profile, T0).isEmpty(), "silent while replaying");
        for (int m = 2; m <= 4; m++) {
            assertTrue(restarted.replays().apply(0, sample(m, 900), null, T0).isEmpty());
        }
        List<Outcome> settled = restarted.replays().finish(0, T0.plus(Duration.ofMinutes(10)));
        assertEquals(1, settled.size());
        assertTrue(settled.get(0).alerts().isEmpty(), "already on the topic: " + settled.get(0).alerts());
        assertEquals(topic.values().stream().filter(SNAT_PORTS_HIGH::is).findFirst().orElseThrow().startsAt(),
                restarted.fleet().view("c1").firingAlerts().stream().filter(SNAT_PORTS_HIGH::is).findFirst()
                        .orElseThrow().startsAt(), "the episode keeps its start");
    }

    @Test
    void whatChangedWhileDownIsPublishedWhenTheReplaySettles() {
        Map<String, Alert> topic = topicAfter(3);
        SilentReplays<String> restarted = instance().replays();
        restarted.begin(Set.of(0), topic.values(), clusterId -> 0);
        restarted.profile("c1", 0, profile, T0);
        for (int m = 1; m <= 3; m++) {
            restarted.apply(0, sample(m, 900), null, T0);
        }
        restarted.apply(0, sample(4, 10), null, T0);
        List<Alert> settled = restarted.finish(0, T0).get(0).alerts();
        assertEquals(1, settled.size());
        assertEquals(AlertStatus.RESOLVED, settled.get(0).status());
        assertTrue(SNAT_PORTS_HIGH.is(settled.get(0)));
    }

    @Test
    void alertsOfAClusterWhoseProfileIsGoneResolveAfterTheReplay() {
        Map<String, Alert> topic = topicAfter(0);
        SilentReplays<String> restarted = instance().replays();
        restarted.begin(Set.of(0), topic.values(), clusterId -> 0);
        List<Outcome> settled = restarted.finish(0, T0.plus(Duration.ofMinutes(1)));
        assertEquals(1, settled.size());
        assertTrue(settled.get(0).forgotten(), "its recommendation is tombstoned too");
        assertTrue(settled.get(0).alerts().stream().allMatch(a -> a.status() == AlertStatus.RESOLVED));
        assertEquals(1, settled.get(0).alerts().size());
    }

    @Test
    void duringAReplayEventsWaitForTheirProfileAndUnclaimedOnesTheGracePeriodAfterIt() {
        Instance restarted = instance();
        restarted.replays().begin(Set.of(0), List.of(), clusterId -> 0);
        assertTrue(restarted.replays().apply(0, sample(1, 900), "first", T0).isEmpty());
        restarted.replays().apply(0, new SnatSample("ghost", T0, "10.0.0.1", Protocol.TCP, 1024, 1, 0L),
                "ghost-record", T0);
        assertTrue(restarted.fleet().expireHeld(T0.plus(Duration.ofHours(1))).isEmpty(),
                "no grace period while the partition replays: it waits for the settle");
        restarted.replays().profile("c1", 0, profile, T0);
        assertEquals(1, restarted.fleet().view("c1").backends(), "the held sample was applied once the profile came");
        restarted.replays().finish(0, T0);
        Duration grace = MonitorSettings.DEFAULTS.unknownClusterGrace();
        assertTrue(restarted.fleet().expireHeld(T0.plus(grace).minusMillis(1)).isEmpty(),
                "after the settle, its profile may still come live: it waits the grace period");
        assertEquals(List.of("ghost-record"), restarted.fleet().expireHeld(T0.plus(grace)));
    }

    @Test
    void recordsOfALivePartitionArePublishedWhileAnotherReplays() {
        SilentReplays<String> replays = instance().replays();
        replays.begin(Set.of(1), List.of(), clusterId -> 1);
        assertFalse(replays.profile("c1", 0, profile, T0).isEmpty(), "partition 0 is live");
        assertTrue(replays.profile("c2", 1, profile, T0).isEmpty(), "partition 1 replays");
        assertTrue(replays.isReplaying(1));
        assertFalse(replays.isReplaying(0));
    }

    @Test
    void aTombstoneReadDuringTheReplayIsSilentAndTheClusterStaysGone() {
        Instance restarted = instance();
        restarted.replays().begin(Set.of(0), List.of(), clusterId -> 0);
        restarted.replays().profile("c1", 0, profile, T0);
        assertTrue(restarted.replays().forget("c1", 0, T0.plusSeconds(60)).isEmpty(), "silent while replaying");
        assertTrue(restarted.replays().finish(0, T0).isEmpty(), "nothing to settle: it is gone");
        assertEquals(0, restarted.fleet().size());
    }

    @Test
    void aReleasedPartitionEndsItsReplayAndLeavesNoOrphansBehind() {
        Map<String, Alert> topic = topicAfter(0);
        SilentReplays<String> taken = instance().replays();
        taken.begin(Set.of(0, 1), topic.values(), clusterId -> 0);
        assertTrue(taken.settle(0, T0).isEmpty());
        taken.profile("c2", 1, profile, T0);

        assertEquals(List.of("c2"), taken.release(Set.of(0, 1)));
        assertFalse(taken.isReplaying(1));
        assertTrue(taken.settle(1, T0).isEmpty(), "nothing left to settle");
        assertTrue(taken.confirm(0, T0).isEmpty(), "the orphan went with the partition: its next owner ends it");
    }

    // A replay that ends at the previous owner's last commit, not at the log end: the records after it are read
    // again live. Alerts the topic shows firing that the replay did not rebuild may be fired by those records, so the
    // settle keeps them (unconfirmed) and only the confirm resolves what nothing confirmed. Resolving them at the
    // settle would publish a false resolved, then the same episode firing again.

    /** What the previous owner published: the profile and three high samples, so SnatPortsHigh fires. */
    private Map<String, Alert> previousOwnersTopic() {
        Map<String, Alert> topic = topicAfter(3);
        assertTrue(topic.values().stream().anyMatch(SNAT_PORTS_HIGH::is));
        return topic;
    }

    private static long records(List<Outcome> outcomes, AlertRules alert) {
        return outcomes.stream().flatMap(outcome -> outcome.alerts().stream()).filter(alert::is).count();
    }

    @Test
    void anAlertFiredAfterTheLastCommitIsNeitherResolvedNorFiredAgainWhenItsRecordIsReadAgain() {
        Map<String, Alert> topic = previousOwnersTopic();
        Instance next = instance();
        next.replays().begin(Set.of(0), topic.values(), clusterId -> 0);
        next.replays().profile("c1", 0, profile, T0);
        next.replays().apply(0, sample(1, 900), null, T0);
        next.replays().apply(0, sample(2, 900), null, T0);

        List<Outcome> settled = next.replays().settle(0, T0);
        assertEquals(0, records(settled, SNAT_PORTS_HIGH), "not resolved on the replay's word: " + settled);
        Outcome readAgain = next.replays().apply(0, sample(3, 900), null, T0);
        assertEquals(0, records(List.of(readAgain), SNAT_PORTS_HIGH), "already on the topic: " + readAgain);
        assertEquals(0, records(next.replays().confirm(0, T0), SNAT_PORTS_HIGH));
        assertTrue(next.fleet().view("c1").firingAlerts().stream().anyMatch(SNAT_PORTS_HIGH::is));
    }

    @Test
    void anAlertNothingConfirmsIsResolvedAtConfirmation() {
        Map<String, Alert> topic = previousOwnersTopic();
        SilentReplays<String> next = instance().replays();
        next.begin(Set.of(0), topic.values(), clusterId -> 0);
        next.profile("c1", 0, profile, T0);
        next.apply(0, sample(1, 900), null, T0);

        assertEquals(0, records(next.settle(0, T0), SNAT_PORTS_HIGH));
        List<Outcome> confirmed = next.confirm(0, T0);
        assertEquals(List.of(AlertStatus.RESOLVED), confirmed.stream().flatMap(outcome -> outcome.alerts().stream())
                .filter(SNAT_PORTS_HIGH::is).map(Alert::status).toList());
    }

    @Test
    void aClusterWhoseProfileComesAfterTheLastCommitKeepsItsAlertsAndOneThatNeverComesIsForgotten() {
        Map<String, Alert> topic = previousOwnersTopic();
        SilentReplays<String> back = instance().replays();
        back.begin(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(back.settle(0, T0).isEmpty());
        back.profile("c1", 0, profile, T0);
        for (int m = 1; m <= 3; m++) {
            back.apply(0, sample(m, 900), null, T0);
        }
        assertTrue(back.confirm(0, T0).isEmpty(), "the cluster came back with the same alerts");

        SilentReplays<String> gone = instance().replays();
        gone.begin(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(gone.settle(0, T0).isEmpty());
        List<Outcome> confirmed = gone.confirm(0, T0);
        assertEquals(1, confirmed.size());
        assertTrue(confirmed.get(0).forgotten(), "its recommendation is tombstoned too");
        assertTrue(confirmed.get(0).alerts().stream().allMatch(alert -> alert.status() == AlertStatus.RESOLVED)
                && confirmed.get(0).alerts().size() == topic.values().stream().filter(Alert::isFiring).count());
    }

    /**
     * The marker waits for acknowledgements, so the previous owner may have published a whole episode and the start
     * of the next past it: read again live, those records give the same alert records, which are not published again.
     * Before, the settle kept the topic's second episode and the re-read first resolution resolved it: a false
     * resolution, then the second episode fired again.
     */
    @Test
    void recordsReadAgainPublishNothingTheTopicHasEvenAcrossEpisodes() {
        SilentReplays<String> first = instance().replays();
        Map<String, Alert> topic = new LinkedHashMap<>();
        publish(topic, first.profile("c1", 0, profile, T0));
        List<SnatSample> samples = new ArrayList<>();
        for (int m = 1; m <= 9; m++) {
            samples.add(sample(m, m == 4 ? 10 : 900)); // fires at 3, resolves at 4, fires again at 7
        }
        List<Alert> published = new ArrayList<>();
        for (SnatSample sample : samples.subList(0, 7)) {
            Outcome outcome = first.apply(0, sample, null, T0);
            publish(topic, outcome);
            published.addAll(outcome.alerts());
        }
        assertEquals(List.of(AlertStatus.FIRING, AlertStatus.RESOLVED, AlertStatus.FIRING), published.stream()
                .filter(SNAT_PORTS_HIGH::is).map(Alert::status).toList());

        Instance next = instance();
        next.replays().begin(Set.of(0), topic.values(), clusterId -> 0);
        next.replays().profile("c1", 0, profile, T0);
        samples.subList(0, 3).forEach(sample -> next.replays().apply(0, sample, null, T0)); // up to the marker
        List<Outcome> again = new ArrayList<>(next.replays().settle(0, T0));
        samples.subList(3, 7).forEach(sample -> again.add(next.replays().apply(0, sample, null, T0)));
        assertEquals(0, records(again, SNAT_PORTS_HIGH), "all of it is on the topic: " + again);

        Outcome later = next.replays().apply(0, sample(8, 10), null, T0);
        assertEquals(List.of(AlertStatus.RESOLVED), later.alerts().stream().filter(SNAT_PORTS_HIGH::is)
                .map(Alert::status).toList(), "past the topic: published");
        assertEquals(0, records(next.replays().confirm(0, T0), SNAT_PORTS_HIGH));
    }
}
