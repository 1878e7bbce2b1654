package io.aksheadroom.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.ClusterProfile;

import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.json.AlertJson;
import io.aksheadroom.json.MonitorStateJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.monitor.ClusterState;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Rebuilds state from Kafka when this instance is given input partitions, never from local disk: reads back what it
 * published (alerts, recommendations), then rewinds the inputs (profiles from the start, events over a replay window)
 * and replays them silently ({@link SilentReplays}) until the {@link ReplayTracker} says they have caught up: to the
 * offsets the previous owner committed as processed, or to the log end when no owner ever committed.
 */
@ApplicationScoped
@Identifier(PartitionRebuilder.NAME)
public class PartitionRebuilder implements KafkaConsumerRebalanceListener {

    public static final String NAME = "aks-headroom.rebalancer";
    private static final Logger LOG = Logger.getLogger(PartitionRebuilder.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final SilentReplays<ConsumerRecord<String, String>> replays;
    private final TopicsConfig topics;
    private final PipelineConfig config;
    private final TopicReader reader;
    private final RecommendationPublisher recommendations;
    private final ReplayTracker replay;
    private final OffsetCommitter committer;
    private final ReplayProgress progress;
    private final StateSnapshots snapshots;
    private final ObjectMapper mapper;
    private final Clock clock;
    /**
     * Reads the compacted topics a rebuild starts from at the same time, a consumer each: most of a read is waiting
     * for the broker (metadata, fetches), and one after the other they were the largest part of a restart from
     * snapshots. Its own threads, since the common pool has one thread when the JVM sees one CPU.
     */
    private final ExecutorService readBack = Executors.newFixedThreadPool(3, work -> {
        Thread thread = new Thread(work, "aks-headroom-read-back");
        thread.setDaemon(true);
        return thread;
    });

    public PartitionRebuilder(SilentReplays<ConsumerRecord<String, String>> replays, TopicsConfig topics,
            PipelineConfig config, TopicReader reader, RecommendationPublisher recommendations, ReplayTracker replay,
            OffsetCommitter committer, ReplayProgress progress, StateSnapshots snapshots, ObjectMapper mapper,
            Clock clock) {
        this.replays = replays;
        this.topics = topics;
        this.config = config;
        this.reader = reader;
        this.recommendations = recommendations;
        this.replay = replay;
        this.committer = committer;
        this.progress = progress;
        this.snapshots = snapshots;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        // Blind from now: reading back the outputs is part of the time before live.
        progress.assigned(numbers);
        int partitionCount = consumer.partitionsFor(topics.clusterProfiles()).size();
        snapshots.partitionCount(partitionCount);

        CompletableFuture<Map<String, String>> alertsRead = read(topics.alerts());
        CompletableFuture<Map<String, String>> recommendationsRead = read(topics.recommendations());
        CompletableFuture<Map<String, String>> stateRead = snapshots.enabled() ? read(topics.monitorState())
                : CompletableFuture.completedFuture(Map.of());
        List<Alert> published = new ArrayList<>();
        await(alertsRead).forEach((fingerprint, value) -> {
            if (value != null) {
                try {
                    published.add(AlertJson.parse(mapper.readTree(value)));
                } catch (Exception e) {
                    LOG.warnf("Ignoring unreadable alert %s on %s: %s", fingerprint, topics.alerts(), e.getMessage());
                }
            }
        });
        await(recommendationsRead).forEach((clusterId, value) -> {
            if (numbers.contains(partitionOf(clusterId, partitionCount))) {
                recommendations.restore(clusterId, value);
            }
        });
        replays.begin(numbers, published, clusterId -> partitionOf(clusterId, partitionCount));

        Instant now = clock.instant();
        Map<TopicPartition, Long> logEnds = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> ends = new HashMap<>(logEnds);
        Map<TopicPartition, Long> byTime = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topics.nodeEvents())) {
                byTime.put(tp, now.minus(config.replayNodeEvents()).toEpochMilli());
            } else if (tp.topic().equals(topics.lbMetrics()) || tp.topic().equals(topics.natgwMetrics())) {
                byTime.put(tp, now.minus(config.replayLbMetrics()).toEpochMilli());
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> starts = byTime.isEmpty() ? Map.of() : consumer.offsetsForTimes(byTime);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<Integer, Map<String, Long>> cuts = restore(stateRead, numbers, partitionCount, partitions, committed,
                starts, logEnds);
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Map<String, Long> cut = cuts.get(tp.partition());
            if (cut != null) {
                consumer.seek(tp, cut.get(tp.topic()));
            } else if (tp.topic().equals(topics.clusterProfiles())) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                OffsetAndTimestamp start = starts.get(tp);
                consumer.seek(tp, start == null ? ends.get(tp) : start.offset());
            }
            positions.put(tp, consumer.position(tp));
            // The previous owner committed how far it had processed (and published): only that much is replayed
            // silently. Records after it were never processed; replaying them silently too would fold whole alert
            // episodes (fired and resolved while no instance ran) into the end state and never publish them.
            OffsetAndMetadata processed = committed.get(tp);
            if (processed != null) {
                ends.put(tp, Math.max(positions.get(tp), Math.min(processed.offset(), ends.get(tp))));
            }
        }
        markFirstOwnership(consumer, committed, ends);
        replay.start(ends, logEnds, positions);
        LOG.infof("Took input partitions %s: read back %d alerts, rewound in %d ms", numbers, published.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Restores the clusters of each partition whose state snapshots may be used ({@link SnapshotRestore}); returns,
     * per partition restored, where its inputs are read from. The others are replayed over the whole window.
     */
    private Map<Integer, Map<String, Long>> restore(CompletableFuture<Map<String, String>> stateRead,
            Set<Integer> numbers, int partitionCount,
            Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, OffsetAndTimestamp> starts, Map<TopicPartition, Long> logEnds) {
        if (!snapshots.enabled()) {
            return Map.of();
        }
        Map<String, String> stored;
        try {
            stored = await(stateRead);
        } catch (RuntimeException e) {
            LOG.warnf("Replaying input partitions %s over the whole window: could not read %s: %s", numbers,
                    topics.monitorState(), e.getMessage());
            return Map.of();
        }
        Set<String> inputs = Set.of(topics.clusterProfiles(), topics.nodeEvents(), topics.lbMetrics(),
                topics.natgwMetrics());
        Map<Integer, Map<String, Long>> cuts = new HashMap<>();
        for (int partition : numbers) {
            Map<String, Long> marker = new HashMap<>();
            Map<String, Long> windowStarts = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (tp.partition() != partition) {
                    continue;
                }
                OffsetAndMetadata processed = committed.get(tp);
                if (processed != null) {
                    marker.put(tp.topic(), processed.offset());
                }
                if (!tp.topic().equals(topics.clusterProfiles())) {
                    OffsetAndTimestamp start = starts.get(tp);
                    windowStarts.put(tp.topic(), start == null ? logEnds.get(tp) : start.offset());
                }
            }
            SnapshotRestore.Decision decision = SnapshotRestore.decide(partition, partitionCount,
                    stored.get(MonitorStateJson.manifestKey(partition)), stored, inputs, marker, windowStarts, mapper,
                    this::profileOf);
            if (decision instanceof SnapshotRestore.Restore restore) {
                Map<String, ClusterState> states = new HashMap<>();
                Map<String, String> records = new HashMap<>();
                Map<String, Map<String, Long>> covers = new HashMap<>();
                restore.clusters().forEach(snapshot -> {
                    String clusterId = snapshot.state().clusterId();
                    states.put(clusterId, snapshot.state());
                    records.put(clusterId, snapshot.profileRecord());
                    covers.put(clusterId, snapshot.covers());
                });
                replays.restore(partition, states.values(), records);
                snapshots.restored(partition, covers);
                progress.restored(states.size());
                cuts.put(partition, restore.cut());
                LOG.infof("Input partition %d restored from %d cluster snapshots; reading its inputs from %s",
                        partition, states.size(), new TreeMap<>(restore.cut()));
            } else {
                LOG.infof("Input partition %d replayed over the whole window: %s", partition,
                        ((SnapshotRestore.FullReplay) decision).reason());
            }
        }
        return cuts;
    }

    /** The profile a snapshot carries the record of, as the listener would have read that record. */
    private ClusterProfile profileOf(String clusterId, String record) {
        try {
            return ClusterEventsListener.withId(ProfileJson.parse(mapper.readTree(record)), clusterId);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable profile record: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Commits, for the topic partitions no owner ever committed, where this instance goes live: the log end. Without
     * it, an instance that crashed before its first commit would leave its successor no marker, and the successor
     * would replay everything up to the log end silently, records this instance never got to publish included (whole
     * alert episodes of a fresh deployment lost at its first crash).
     */
    private static void markFirstOwnership(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, OffsetAndMetadata> first = new HashMap<>();
        ends.forEach((tp, end) -> {
            if (committed.get(tp) == null) {
                first.put(tp, new OffsetAndMetadata(end));
            }
        });
        if (first.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(first);
        } catch (RuntimeException e) {
            LOG.warnf("Could not mark where live processing of %s starts: %s", first.keySet(), e);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // A handover: the next owner goes live exactly where this instance stopped. No snapshot round starts for the
        // partitions now; the commit waits for one already under way, so the next owner reads it.
        snapshots.revoke(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
        committer.commit(consumer, partitions);
        release(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // No longer a member: a commit would be refused, and another instance may already own these.
        release(partitions);
    }

    private void release(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        replay.release(numbers);
        committer.release(numbers);
        snapshots.release(numbers);
        List<String> released = replays.release(numbers);
        recommendations.forget(released);
        if (!released.isEmpty()) {
            LOG.infof("Gave up input partitions %s with %d clusters", numbers, released.size());
        }
    }

    private CompletableFuture<Map<String, String>> read(String topic) {
        return CompletableFuture.supplyAsync(() -> reader.latestByKey(topic, READ_TIMEOUT), readBack);
    }

    /** A read's result, or its own exception as it would have come from reading in this thread. */
    private static Map<String, String> await(CompletableFuture<Map<String, String>> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @PreDestroy
    void stopReading() {
        readBack.shutdownNow();
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code clusterId}. */
    static int partitionOf(String clusterId, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(clusterId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }
}
