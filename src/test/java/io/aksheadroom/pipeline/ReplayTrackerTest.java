package io.aksheadroom.pipeline;

import static io.aksheadroom.pipeline.PipelineWithoutKafka.TOPICS;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.record;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.tp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.Profiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The end of a silent replay, with the polls, their processing and the position checks in a chosen order: the races
 * between the consumer, which fetches far ahead, and the processing become plain sequences.
 */
class ReplayTrackerTest {

    private static final TopicPartition PROFILES = tp(TOPICS.clusterProfiles(), 0);
    private static final TopicPartition NODE_EVENTS = tp(TOPICS.nodeEvents(), 0);
    private static final TopicPartition LB_METRICS = tp(TOPICS.lbMetrics(), 0);

    private static String profile(String clusterId) {
        return Profiles.vector("default-tier-drop-on-scale", clusterId).toString();
    }

    private static String nodeAdded(String clusterId, String name) {
        return Profiles.nodeAdded(clusterId, "2026-11-26T08:00:00Z", name, "nodepool1", "10.240.0.4");
    }

    private static String sample(String clusterId, int minute, long used) {
        return Profiles.sample(clusterId, "2026-11-26T08:0" + minute + ":00Z", "10.240.0.4", 1024, used, 0);
    }

    /** A log that holds records at these offsets of these topic partitions, and none elsewhere. */
    private static PositionCheck.Log holding(Map<TopicPartition, Set<Long>> offsets) {
        return (tp, from, to) -> offsets.getOrDefault(tp, Set.of()).stream().anyMatch(o -> o >= from && o < to);
    }

    private static List<String> keys(RecordingEmitter emitter) {
        return emitter.records().stream().map(record -> record.key()).toList();
    }

    /**
     * The bug behind nodes forgotten after a restart: the consumer fetches far ahead of the processing, so while a long
     * replay is processed its position has passed the replay's end and the records before it still wait their turn.
     * The position check used to end the replay on the position alone: the events held for a profile still on its way
     * were dead-lettered as of an unknown cluster (the plan then counted the profile's nodes), and the rest of the
     * replay was processed as new, publishing its alert records again.
     */
    @Test
    void aReplayDoesNotEndWhileRecordsBeforeItsEndAreStillOnTheirWay() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        Map<TopicPartition, Long> ends = Map.of(PROFILES, 2L, NODE_EVENTS, 1L);
        pipeline.assign(0, ends, ends, Map.of(PROFILES, 0L, NODE_EVENTS, 0L));
        PositionCheck check = pipeline.positionCheck(holding(Map.of(PROFILES, Set.of(0L, 1L), NODE_EVENTS, Set.of(0L))));

        pipeline.poll(List.of(record(TOPICS.nodeEvents(), 0, 0, "c2", nodeAdded("c2", "n0"))));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        // The poll of c2's profile waits behind a long replay while the consumer's position has passed the end, at
        // two checks in a row.
        for (int i = 0; i < 2; i++) {
            check.check(Map.of(PROFILES, 2L), pipeline.tracker.awaited());
        }
        assertEquals(List.of(), keys(pipeline.recommendations), "still replaying: nothing published");
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 1, "c2", profile("c2"))));

        assertEquals(List.of(), pipeline.deadLetterReasons(), "valid records are never dead-lettered");
        assertEquals(1, pipeline.fleet.view("c2").nodes(), "c2's node event was applied");
        assertEquals(List.of("c1", "c2"), keys(pipeline.recommendations).stream().sorted().toList(),
                "each plan published once, at the settle");
    }

    @Test
    void aReplayEndsWhereTheLogHoldsNoRecordBeforeItsEnd() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        pipeline.assign(0, Map.of(PROFILES, 3L), Map.of(PROFILES, 3L), Map.of(PROFILES, 0L));
        // Records 1 and 2 were compacted away; the consumer's position is past them, and no poll says so.
        PositionCheck check = pipeline.positionCheck(holding(Map.of(PROFILES, Set.of(0L))));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));

        check.check(Map.of(PROFILES, 3L), pipeline.tracker.awaited());
        assertEquals(List.of(), keys(pipeline.recommendations), "a first look: the processing may still be moving");
        check.check(Map.of(PROFILES, 3L), pipeline.tracker.awaited());
        assertEquals(List.of("c1"), keys(pipeline.recommendations), "settled: the log holds nothing more before 3");
    }

    @Test
    void aPollWhosePositionPassesTheEndEndsTheReplay() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        pipeline.assign(0, Map.of(PROFILES, 3L), Map.of(PROFILES, 3L), Map.of(PROFILES, 0L));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))), Map.of(PROFILES, 3L));
        assertEquals(List.of("c1"), keys(pipeline.recommendations));
    }

    @Test
    void eventsHeldByTheReplayWaitForAProfileThatComesLiveAfterIt() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        // The previous owner's marker covered c2's node event but not yet its profile, processed just before.
        Map<TopicPartition, Long> ends = Map.of(PROFILES, 1L, NODE_EVENTS, 1L);
        pipeline.assign(0, ends, Map.of(PROFILES, 2L, NODE_EVENTS, 1L), Map.of(PROFILES, 0L, NODE_EVENTS, 0L));
        pipeline.poll(List.of(record(TOPICS.nodeEvents(), 0, 0, "c2", nodeAdded("c2", "n0"))));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 1, "c2", profile("c2"))));

        assertEquals(List.of(), pipeline.deadLetterReasons());
        assertEquals(1, pipeline.fleet.view("c2").nodes());
    }

    @Test
    void recordsPastTheirEndWaitForTheWholePartitionAndAreReadAgainLive() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        Map<TopicPartition, Long> ends = Map.of(PROFILES, 1L, LB_METRICS, 0L);
        pipeline.assign(0, ends, ends, Map.of(PROFILES, 0L, LB_METRICS, 0L));

        // A live sample of c1 comes while c1's profile is still being replayed: passed over.
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10))));
        assertEquals(0, pipeline.fleet.view("c1") == null ? 0 : pipeline.fleet.view("c1").backends());
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        int settled = pipeline.recommendations.records().size();
        // Fetched before the rewind: passed over until the rewound reading comes round.
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 1, "c1", sample("c1", 2, 10))));
        assertEquals(0, pipeline.fleet.view("c1").backends());
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10)),
                record(TOPICS.lbMetrics(), 0, 1, "c1", sample("c1", 2, 10))));
        assertEquals(1, pipeline.fleet.view("c1").backends(), "read again, live");
        assertTrue(pipeline.recommendations.records().size() > settled, "its plan change published");
    }

    @Test
    void aPartitionConfirmsOnlyOnceProcessedLiveToTheLogEndAtAssignment() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        Map<TopicPartition, Long> ends = Map.of(PROFILES, 1L, LB_METRICS, 0L);
        pipeline.assign(0, ends, Map.of(PROFILES, 1L, LB_METRICS, 2L), Map.of(PROFILES, 0L, LB_METRICS, 0L));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        assertEquals(Map.of(LB_METRICS, new ReplayTracker.Awaited(0, 2)), pipeline.tracker.awaited());
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10))));
        assertEquals(Map.of(LB_METRICS, new ReplayTracker.Awaited(1, 2)), pipeline.tracker.awaited());
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 1, "c1", sample("c1", 2, 10))));
        assertEquals(Map.of(), pipeline.tracker.awaited(), "confirmed");
    }

    /** The window a kill used to lose outputs in: the record's offset committed while its alert sat in a buffer. */
    @Test
    void theMarkerCoversALiveRecordOnlyOnceTheBrokerHasEveryOutputItCaused() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        pipeline.assign(0, Map.of(PROFILES, 0L), Map.of(PROFILES, 0L), Map.of(PROFILES, 0L));
        pipeline.recommendations.holdAcknowledgements();
        pipeline.alerts.holdAcknowledgements();
        pipeline.deadLetters.holdAcknowledgements();
        String alerting = Profiles.vector("manual-surge-overflows", "c1").toString();
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", alerting),
                record(TOPICS.clusterProfiles(), 0, 1, "c2", "{not json")));
        assertTrue(pipeline.alerts.records().size() > 0, "the profile raises alerts");
        assertEquals(1, pipeline.deadLetters.records().size());
        assertEquals(Map.of(PROFILES, 0L), pipeline.ledger.covered());

        pipeline.recommendations.acknowledgeAll();
        pipeline.deadLetters.acknowledgeAll();
        assertEquals(Map.of(PROFILES, 0L), pipeline.ledger.covered(), "its alerts are still in the buffer");
        pipeline.alerts.acknowledgeAll();
        assertEquals(Map.of(PROFILES, 2L), pipeline.ledger.covered());
    }

    @Test
    void recordsOfAPartitionGivenUpArePassedOver() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        pipeline.assign(0, Map.of(PROFILES, 0L), Map.of(PROFILES, 0L), Map.of(PROFILES, 0L));
        pipeline.tracker.release(Set.of(0));
        pipeline.replays.release(Set.of(0));
        List<String> before = new ArrayList<>(keys(pipeline.recommendations));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        assertEquals(before, keys(pipeline.recommendations));
        assertEquals(null, pipeline.fleet.view("c1"));
    }
}
