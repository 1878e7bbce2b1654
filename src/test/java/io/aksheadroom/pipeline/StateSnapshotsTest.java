package io.aksheadroom.pipeline;

import static io.aksheadroom.pipeline.PipelineWithoutKafka.TOPICS;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.record;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.tp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.contracts.Contracts;
import io.aksheadroom.json.MonitorStateJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.monitor.ClusterState;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.Profiles;
import io.smallrye.reactive.messaging.kafka.Record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The snapshot writer on the pipeline's own classes, without a broker: what a round writes and when, and that a new
 * owner restored from what it wrote, given the same records after the cut, publishes what the owner that kept
 * running publishes.
 */
class StateSnapshotsTest {

    private static final List<String> INPUTS = List.of(TOPICS.clusterProfiles(), TOPICS.nodeEvents(),
            TOPICS.lbMetrics(), TOPICS.natgwMetrics());
    private static final Map<String, Object> ON = Map.of("enabled", true);

    private static String profile(String clusterId) {
        return Profiles.vector("default-tier-drop-on-scale", clusterId).toString();
    }

    private static String sample(String clusterId, int minute, long used, long failed) {
        return Profiles.sample(clusterId, String.format("2026-11-26T08:%02d:00Z", minute), "10.240.0.4", 1024, used,
                failed);
    }

    /** A pipeline that owns partition 0 of every input, live from these offsets on (no replay). */
    private static PipelineWithoutKafka liveFrom(Map<String, Long> offsets) {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka(Map.of(), ON);
        pipeline.snapshots.partitionCount(6);
        Map<TopicPartition, Long> at = new HashMap<>();
        offsets.forEach((topic, offset) -> at.put(tp(topic, 0), offset));
        pipeline.assign(0, at, at, at);
        return pipeline;
    }

    private static Map<String, Long> offsets(long profiles, long nodes, long lb, long natgw) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        offsets.put(TOPICS.clusterProfiles(), profiles);
        offsets.put(TOPICS.nodeEvents(), nodes);
        offsets.put(TOPICS.lbMetrics(), lb);
        offsets.put(TOPICS.natgwMetrics(), natgw);
        return offsets;
    }

    /** The topic's newest value per key, as a compacted topic keeps them. */
    private static Map<String, String> latest(PipelineWithoutKafka pipeline) {
        Map<String, String> latest = new LinkedHashMap<>();
        pipeline.snapshotProducer.history().forEach(record -> latest.put(record.key(), record.value()));
        return latest;
    }

    private static List<String> keys(PipelineWithoutKafka pipeline) {
        return pipeline.snapshotProducer.history().stream().map(ProducerRecord::key).toList();
    }

    private static Map<String, Long> covers(JsonNode record) {
        Map<String, Long> covers = new HashMap<>();
        record.path("covers").fields().forEachRemaining(e -> covers.put(e.getKey(), e.getValue().longValue()));
        return covers;
    }

    private static JsonNode json(String value) throws Exception {
        return CleanRun.MAPPER.readTree(value);
    }

    @Test
    void aRoundWritesTheChangedClustersThenTheManifestWithTheOffsetsProcessedAndValidRecords() throws Exception {
        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1")),
                record(TOPICS.clusterProfiles(), 0, 1, "c2", profile("c2")),
                record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10, 0))));

        assertEquals(Set.of("c1", "c2", "~partition-0"), Set.copyOf(keys(pipeline)));
        assertEquals(1, pipeline.roundsAnswered.get(), "a round answered in full commits the marker");
        assertEquals("~partition-0", keys(pipeline).get(keys(pipeline).size() - 1), "the manifest comes last");
        for (String value : latest(pipeline).values()) {
            assertEquals(List.of(), Contracts.strict().errors("monitor-state.v1.schema.json", value), value);
        }
        JsonNode manifest = json(latest(pipeline).get("~partition-0"));
        assertEquals(offsets(2, 0, 1, 0), covers(manifest));
        assertEquals(Set.of("c1", "c2"), Set.copyOf(iterable(manifest.path("clusters").fieldNames())));
        assertEquals(profile("c1"), json(latest(pipeline).get("c1")).path("profileRecord").asText());

        // Within the interval nothing more; after it, only what changed, and the manifest.
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 1, "c2", sample("c2", 1, 10, 0))));
        assertEquals(3, pipeline.snapshotProducer.history().size());
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 2, "c2", sample("c2", 2, 12, 0))));
        assertEquals(List.of("c2", "~partition-0"), keys(pipeline).subList(3, 5));
        JsonNode second = json(latest(pipeline).get("~partition-0"));
        assertEquals(offsets(2, 0, 3, 0), covers(second));
        assertEquals(manifest.path("clusters").path("c1"), second.path("clusters").path("c1"),
                "an unchanged cluster keeps its snapshot");

        // A forgotten cluster: a tombstone, and the manifest no longer names it.
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 2, "c1", null)));
        assertNull(latest(pipeline).get("c1"));
        assertTrue(latest(pipeline).containsKey("c1"));
        assertEquals(Set.of("c2"), Set.copyOf(iterable(json(latest(pipeline).get("~partition-0")).path("clusters")
                .fieldNames())));
    }

    @Test
    void aPartitionThatWentQuietGetsItsRoundFromTheTimerButNotWhileAPollIsBeingProcessed() throws Exception {
        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        pipeline.snapshots.tick();
        assertEquals(List.of("~partition-0"), keys(pipeline), "an empty partition's manifest");
        pipeline.clock.advance(Duration.ofSeconds(1));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        assertEquals(1, keys(pipeline).size(), "within the interval");
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.snapshots.batchStarted();
        pipeline.snapshots.tick();
        assertEquals(1, keys(pipeline).size(), "not in the middle of a poll's records");
        pipeline.snapshots.afterPoll();
        assertEquals(List.of("~partition-0", "c1", "~partition-0"), keys(pipeline));
        assertEquals(offsets(1, 0, 0, 0), covers(json(latest(pipeline).get("~partition-0"))));
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.snapshots.tick();
        assertEquals(3, keys(pipeline).size(), "nothing processed since: nothing written");
    }

    /**
     * A round holds the processing thread while it writes: one partition's round per call, the others' in turn, so a
     * fleet that changed everywhere does not stall the processing for all its partitions' rounds at once.
     */
    @Test
    void oneCallWritesOnePartitionsRoundAndTheOthersComeInTurn() {
        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        Map<TopicPartition, Long> at = new HashMap<>();
        offsets(0, 0, 0, 0).forEach((topic, offset) -> at.put(tp(topic, 1), offset));
        pipeline.assign(1, at, at, at);

        pipeline.snapshots.tick();
        assertEquals(List.of("~partition-0"), keys(pipeline));
        pipeline.snapshots.tick();
        assertEquals(List.of("~partition-0", "~partition-1"), keys(pipeline), "the other partition's turn");
        pipeline.snapshots.tick();
        assertEquals(2, keys(pipeline).size(), "both within their interval");

        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1")),
                record(TOPICS.clusterProfiles(), 1, 0, "c2", profile("c2"))));
        assertEquals(List.of("c1", "~partition-0"), keys(pipeline).subList(2, keys(pipeline).size()),
                "after the poll, partition 0's round alone");
        pipeline.snapshots.tick();
        assertEquals(List.of("c1", "~partition-0", "c2", "~partition-1"),
                keys(pipeline).subList(2, keys(pipeline).size()), "then partition 1's");
    }

    /**
     * The processing thread exports a round and goes on; the writer serializes and sends it later, as of the cut it
     * was exported at, whatever the processing did meanwhile.
     */
    @Test
    void aRoundIsExportedOnTheProcessingThreadAndWrittenOnTheWritersAsOfItsCut() throws Exception {
        List<ConsumerRecord<String, String>> first = List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1")),
                record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10, 0)));
        PipelineWithoutKafka stopped = liveFrom(offsets(0, 0, 0, 0));
        stopped.poll(first);

        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        pipeline.snapshotWriter.hold();
        pipeline.poll(first);
        assertEquals(List.of(), keys(pipeline), "the poll returns before its round is written");
        assertEquals(1, pipeline.snapshotWriter.heldRounds());
        assertEquals(0, pipeline.roundsAnswered.get());
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 1, "c1", sample("c1", 2, 900, 7)),
                record(TOPICS.nodeEvents(), 0, 0, "c1", Profiles.nodeAdded("c1", "2026-11-26T08:02:00Z", "n1",
                        Profiles.pool(Profiles.vector("default-tier-drop-on-scale", "c1")).path("name").asText(),
                        "10.240.0.9"))));

        pipeline.snapshotWriter.runHeld();
        assertEquals(List.of("c1", "~partition-0"), keys(pipeline));
        assertEquals(latest(stopped), latest(pipeline), "what the owner that stopped after the first poll wrote");
        assertEquals(offsets(1, 0, 1, 0), covers(json(latest(pipeline).get("~partition-0"))));
        assertEquals(1, pipeline.roundsAnswered.get());
        assertFalse(pipeline.snapshotJsonThreads.isEmpty());
        assertFalse(pipeline.snapshotJsonThreads.contains(Thread.currentThread()),
                "no snapshot JSON written on the processing thread");
    }

    /** A pipeline live on partition 0 that processed c1's profile, its round exported and held from the writer. */
    private static PipelineWithoutKafka withC1sRoundHeld() {
        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        pipeline.snapshotWriter.hold();
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        return pipeline;
    }

    @Test
    void aPartitionHasOneRoundUnderWayAndOneDueMeanwhileIsNotQueuedButComesOnceTheLastIsAnswered() throws Exception {
        PipelineWithoutKafka pipeline = withC1sRoundHeld();
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10, 0))));
        pipeline.snapshots.tick();
        assertEquals(1, pipeline.snapshotWriter.heldRounds(), "due, but the last round is not answered yet");

        pipeline.snapshotWriter.runHeld();
        assertEquals(List.of("c1", "~partition-0"), keys(pipeline));
        assertEquals(offsets(1, 0, 0, 0), covers(json(latest(pipeline).get("~partition-0"))));
        pipeline.snapshots.tick();
        assertEquals(List.of("c1", "~partition-0", "c1", "~partition-0"), keys(pipeline));
        assertEquals(offsets(1, 0, 1, 0), covers(json(latest(pipeline).get("~partition-0"))));
    }

    /**
     * A handover: the partition gets no new round, the round under way holds the handover's commit until the broker
     * has it (the next owner reads it), and once the partition is released nothing of a round of it is sent.
     */
    @Test
    void aRevokedPartitionGetsNoNewRoundAndAReleasedOneNothingMoreOfItsRound() throws Exception {
        PipelineWithoutKafka pipeline = withC1sRoundHeld();
        pipeline.snapshots.revoke(Set.of(0));
        assertFalse(pipeline.ledger.awaitAcknowledged(Set.of(0), Duration.ofMillis(20)),
                "the handover's commit waits for the round under way");
        pipeline.snapshotWriter.runHeld();
        assertTrue(pipeline.ledger.awaitAcknowledged(Set.of(0), Duration.ofSeconds(5)));
        assertEquals(List.of("c1", "~partition-0"), keys(pipeline));
        pipeline.clock.advance(Duration.ofSeconds(5));
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample("c1", 1, 10, 0))));
        pipeline.snapshots.tick();
        assertEquals(List.of("c1", "~partition-0"), keys(pipeline), "no round once revoked");

        PipelineWithoutKafka released = withC1sRoundHeld();
        released.tracker.release(Set.of(0));
        released.snapshots.release(Set.of(0));
        released.replays.release(Set.of(0));
        released.snapshotWriter.runHeld();
        assertEquals(List.of(), keys(released), "nothing sent for a partition released");
        assertEquals(1, released.roundsAnswered.get(), "the round is over");

        // Assigned again: its rounds come again.
        Map<TopicPartition, Long> at = new HashMap<>();
        offsets(1, 0, 0, 0).forEach((topic, offset) -> at.put(tp(topic, 0), offset));
        released.assign(0, at, at, at);
        released.snapshots.tick();
        assertEquals(List.of("~partition-0"), keys(released));
    }

    /** Released between a round's offsets and its ledger step (the tracker gives both up at once): no round. */
    @Test
    void noRoundForAPartitionTheLedgerNoLongerHolds() {
        PipelineWithoutKafka pipeline = liveFrom(offsets(0, 0, 0, 0));
        pipeline.ledger.release(Set.of(0));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        assertEquals(List.of(), keys(pipeline));
    }

    @Test
    void noRoundForAPartitionThatReplaysOrHasEventsWaitingForTheirProfile() {
        PipelineWithoutKafka replaying = new PipelineWithoutKafka(Map.of(), ON);
        replaying.snapshots.partitionCount(6);
        Map<TopicPartition, Long> ends = Map.of(tp(TOPICS.clusterProfiles(), 0), 2L);
        replaying.assign(0, ends, ends, Map.of(tp(TOPICS.clusterProfiles(), 0), 0L));
        replaying.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1"))));
        assertEquals(List.of(), keys(replaying));

        PipelineWithoutKafka waiting = liveFrom(offsets(0, 0, 0, 0));
        waiting.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c9", sample("c9", 1, 10, 0))));
        assertEquals(List.of(), keys(waiting), "c9's sample waits for its profile: a state now would lose it");
        waiting.clock.advance(Duration.ofSeconds(5));
        waiting.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c9", profile("c9"))));
        assertEquals(List.of("c9", "~partition-0"), keys(waiting));
    }

    /**
     * The owner runs on; a new owner restores from what it wrote and reads the same records after the cut: both end
     * with the same plans and alerts, and publish the same alert records for the records after the cut.
     */
    @Test
    void aNewOwnerRestoredFromTheSnapshotsPublishesWhatTheOwnerThatKeptRunningPublishes() throws Exception {
        PipelineWithoutKafka kept = liveFrom(offsets(0, 0, 0, 0));
        List<ConsumerRecord<String, String>> before = new ArrayList<>();
        before.add(record(TOPICS.clusterProfiles(), 0, 0, "c1", profile("c1")));
        before.add(record(TOPICS.clusterProfiles(), 0, 1, "c2", profile("c2")));
        for (int m = 1; m <= 4; m++) {
            before.add(record(TOPICS.lbMetrics(), 0, m - 1, "c1", sample("c1", m, 1000, 0)));
        }
        kept.poll(before);
        Map<String, String> stored = latest(kept);
        Map<String, Long> cut = offsets(2, 0, 4, 0);
        assertEquals(cut, covers(json(stored.get("~partition-0"))));

        SnapshotRestore.Decision decision = SnapshotRestore.decide(0, 6, stored.get("~partition-0"), stored,
                Set.copyOf(INPUTS), cut, Map.of(), CleanRun.MAPPER, (id, text) -> {
                    try {
                        return ClusterEventsListener.withId(ProfileJson.parse(CleanRun.MAPPER.readTree(text)), id);
                    } catch (Exception e) {
                        throw new IllegalArgumentException(e);
                    }
                });
        SnapshotRestore.Restore restore = assertInstanceOf(SnapshotRestore.Restore.class, decision);
        assertEquals(cut, restore.cut());

        PipelineWithoutKafka restored = new PipelineWithoutKafka(Map.of(), ON);
        restored.snapshots.partitionCount(6);
        Map<TopicPartition, Long> at = new HashMap<>();
        cut.forEach((topic, offset) -> at.put(tp(topic, 0), offset));
        restored.progress.assigned(Set.of(0));
        restored.replays.begin(Set.of(0), kept.alerts.records().stream().map(r -> alert(r.value())).toList(),
                id -> 0);
        List<ClusterState> states = restore.clusters().stream().map(MonitorStateJson.ClusterSnapshot::state).toList();
        Map<String, String> records = new HashMap<>();
        restore.clusters().forEach(s -> records.put(s.state().clusterId(), s.profileRecord()));
        restored.replays.restore(0, states, records);
        restored.tracker.start(at, at, at);
        assertEquals(views(kept), views(restored), "right after the restore");
        assertEquals(List.of(), restored.alerts.records(), "the alerts on the topic are the restored book's");

        List<ConsumerRecord<String, String>> after = List.of(
                record(TOPICS.lbMetrics(), 0, 4, "c1", sample("c1", 5, 100, 0)),
                record(TOPICS.lbMetrics(), 0, 5, "c2", sample("c2", 5, 1000, 3)));
        int keptBefore = kept.alerts.records().size();
        kept.poll(after);
        restored.poll(after);
        assertEquals(values(kept.alerts.records().subList(keptBefore, kept.alerts.records().size())),
                values(restored.alerts.records()));
        assertTrue(restored.alerts.records().size() >= 2, "the records after the cut resolve and fire alerts");
        assertEquals(views(kept), views(restored));
    }

    private static io.aksheadroom.monitor.Alert alert(String value) {
        try {
            return io.aksheadroom.json.AlertJson.parse(CleanRun.MAPPER.readTree(value));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> values(List<Record<String, String>> records) {
        return records.stream().map(Record::value).sorted().toList();
    }

    private static List<String> views(PipelineWithoutKafka pipeline) {
        return pipeline.fleet.view().stream().sorted(Comparator.comparing(ClusterView::clusterId))
                .map(view -> view.clusterId() + " " + view.plan() + " " + view.firingAlerts().stream()
                        .map(a -> a.fingerprint() + a.startsAt() + a.updatedAt()).sorted().toList())
                .toList();
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
