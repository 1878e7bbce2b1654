package io.aksheadroom.pipeline;

import static io.aksheadroom.pipeline.PipelineWithoutKafka.NOW;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.TOPICS;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.record;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.tp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aksheadroom.support.Profiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How long the instance is blind after an assignment, and how much it replayed: the gauges an operator watches. */
class ReplayProgressTest {

    private final PipelineWithoutKafka.MovableClock clock = new PipelineWithoutKafka.MovableClock(NOW);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReplayProgress progress = new ReplayProgress(registry, clock);

    private static double gauge(SimpleMeterRegistry registry, String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Test
    void aRebuildLastsFromAssignmentUntilItsLastPartitionIsLive() {
        assertEquals(0, gauge(registry, "aks_headroom_replay_partitions"));
        progress.assigned(Set.of(0, 1, 2));
        assertEquals(3, gauge(registry, "aks_headroom_replay_partitions"));

        clock.advance(Duration.ofSeconds(2));
        progress.live(1, 100);
        assertEquals(2, gauge(registry, "aks_headroom_replay_partitions"));
        assertNull(registry.find("aks_headroom_replay_last_duration_seconds").gauge(),
                "no figure before the first rebuild ended: none, not a zero");
        // Joins the rebuild under way: the instance is still not wholly live.
        progress.assigned(Set.of(3));
        clock.advance(Duration.ofMillis(1500));
        progress.live(0, 20);
        progress.live(2, 3);
        assertEquals(1, gauge(registry, "aks_headroom_replay_partitions"));
        clock.advance(Duration.ofMillis(500));
        progress.live(3, 7);

        assertEquals(0, gauge(registry, "aks_headroom_replay_partitions"));
        assertEquals(4.0, gauge(registry, "aks_headroom_replay_last_duration_seconds"), 1e-9);
        assertEquals(130, gauge(registry, "aks_headroom_replay_last_records"));
        assertEquals(new ReplayProgress.Rebuild(Set.of(0, 1, 2, 3), 130, Duration.ofSeconds(4)), progress.last());
    }

    @Test
    void theNextRebuildStartsAfreshAndReplacesTheFigure() {
        progress.assigned(Set.of(0));
        clock.advance(Duration.ofSeconds(9));
        progress.live(0, 900);
        clock.advance(Duration.ofMinutes(5));

        progress.assigned(Set.of(1));
        clock.advance(Duration.ofMillis(250));
        progress.live(1, 5);

        assertEquals(new ReplayProgress.Rebuild(Set.of(1), 5, Duration.ofMillis(250)), progress.last());
        assertEquals(0.25, gauge(registry, "aks_headroom_replay_last_duration_seconds"), 1e-9);
    }

    @Test
    void partitionsTakenAwayBeforeLiveEndTheRebuildWithoutThem() {
        progress.assigned(Set.of(0, 1));
        clock.advance(Duration.ofSeconds(1));
        progress.live(0, 10);
        progress.released(Set.of(1));
        assertEquals(0, gauge(registry, "aks_headroom_replay_partitions"));
        assertEquals(new ReplayProgress.Rebuild(Set.of(0), 10, Duration.ofSeconds(1)), progress.last());

        // A rebuild whose every partition was taken away made nothing live: no figure of it.
        progress.assigned(Set.of(2));
        clock.advance(Duration.ofSeconds(30));
        progress.released(Set.of(2));
        progress.live(2, 99);
        assertEquals(new ReplayProgress.Rebuild(Set.of(0), 10, Duration.ofSeconds(1)), progress.last());
        assertEquals(0, gauge(registry, "aks_headroom_replay_partitions"));
    }

    /** Through the pipeline's own classes: the records a partition replays count, those passed over do not. */
    @Test
    void theTrackerCountsTheRecordsReplayedSilentlyUpToTheReplayEnd() {
        TopicPartition profiles = tp(TOPICS.clusterProfiles(), 0);
        TopicPartition lbMetrics = tp(TOPICS.lbMetrics(), 0);
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        Map<TopicPartition, Long> ends = Map.of(profiles, 1L, lbMetrics, 2L);
        pipeline.assign(0, ends, ends, Map.of(profiles, 0L, lbMetrics, 0L));
        assertEquals(1, pipeline.progress.partitions());

        String sample = Profiles.sample("c1", "2026-11-26T08:01:00Z", "10.240.0.4", 1024, 10, 0);
        String later = Profiles.sample("c1", "2026-11-26T08:02:00Z", "10.240.0.4", 1024, 10, 0);
        pipeline.poll(List.of(record(TOPICS.lbMetrics(), 0, 0, "c1", sample),
                record(TOPICS.lbMetrics(), 0, 1, "c1", later),
                // Past its topic's replay end while the profiles still replay: passed over, read again live.
                record(TOPICS.lbMetrics(), 0, 2, "c1", later)));
        pipeline.clock.advance(Duration.ofMillis(1200));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "c1",
                Profiles.vector("default-tier-drop-on-scale", "c1").toString())));

        assertEquals(0, pipeline.progress.partitions());
        assertEquals(new ReplayProgress.Rebuild(Set.of(0), 3, Duration.ofMillis(1200)), pipeline.progress.last());
        assertEquals(1.2, gauge(pipeline.registry, "aks_headroom_replay_last_duration_seconds"), 1e-9);
    }
}
