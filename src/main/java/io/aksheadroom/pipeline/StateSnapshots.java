package io.aksheadroom.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.config.KafkaAddress;
import io.aksheadroom.config.SnapshotsConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.json.MonitorStateJson;
import io.aksheadroom.monitor.ClusterState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes the state snapshots of the clusters this instance owns to {@code aks.monitor-state}: on the processing
 * thread, between polls, at most every {@link SnapshotsConfig#interval}, for each input partition that is plainly
 * live, the clusters changed since (a tombstone for each forgotten one), then the partition's manifest. They go out
 * under one {@link OutputLedger} step, so the processed-offset marker does not pass a snapshot before the broker
 * answered it.
 *
 * <p>Once a round is answered the marker is committed at once, not up to a commit interval later: a crash right
 * after a round then finds the round inside the committed marker, which the next owner needs to use it.
 *
 * <p>A snapshot that could not be written does not stop the marker, as a lost output would: nothing is lost with it.
 * The reader checks that the manifest and every cluster's snapshot agree, and replays the whole window when they do
 * not; the next round here writes every cluster of the partition again.
 */
// Called after every poll: @Singleton, without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class StateSnapshots {

    private static final Logger LOG = Logger.getLogger(StateSnapshots.class);

    private final SnapshotsConfig config;
    private final TopicsConfig topics;
    private final SilentReplays<?> replays;
    private final ReplayTracker tracker;
    private final OutputLedger ledger;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Supplier<Producer<String, String>> producers;
    /** Runs once a round is answered: commits the marker then, rather than up to a commit interval later. */
    private final Runnable afterRound;
    private final Counter written;
    /** Per partition and cluster, the offsets its newest snapshot covers and when it was written. Guarded by this. */
    private final Map<Integer, Map<String, Written>> latest = new HashMap<>();
    /** Per partition, the cut of the last manifest written. Guarded by this. */
    private final Map<Integer, Map<String, Long>> lastCut = new HashMap<>();
    private volatile int partitionCount;
    /** Partitions a snapshot of which could not be written: the next round writes all their clusters again. */
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    private Producer<String, String> producer;
    /** Per partition, when its next round is due. Guarded by this. */
    private final Map<Integer, Instant> nextRound = new HashMap<>();
    /** The partition whose round came last: the next call starts after it, so that every partition gets its turn. */
    private int lastRound = -1;
    /** The processing thread is in the middle of a poll's records: a state taken now would not match its offsets. */
    private boolean inBatch;

    private record Written(Map<String, Long> covers, Instant at) {
    }

    @Inject
    public StateSnapshots(SnapshotsConfig config, TopicsConfig topics,
            SilentReplays<ConsumerRecord<String, String>> replays, ReplayTracker tracker, OutputLedger ledger,
            ObjectMapper mapper, Clock clock, KafkaAddress broker,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults, MeterRegistry registry,
            OffsetCommitter committer) {
        this(config, topics, replays, tracker, ledger, mapper, clock, () -> newProducer(broker, kafkaDefaults),
                registry, committer::commitLive);
    }

    /** With the producer {@code producers} makes, when the first snapshot is written. */
    StateSnapshots(SnapshotsConfig config, TopicsConfig topics, SilentReplays<?> replays, ReplayTracker tracker,
            OutputLedger ledger, ObjectMapper mapper, Clock clock, Supplier<Producer<String, String>> producers,
            MeterRegistry registry, Runnable afterRound) {
        this.config = config;
        this.topics = topics;
        this.replays = replays;
        this.tracker = tracker;
        this.ledger = ledger;
        this.mapper = mapper;
        this.clock = clock;
        this.producers = producers;
        this.afterRound = afterRound;
        this.written = Counter.builder("aks_headroom_snapshots_written")
                .description("Cluster state snapshots and partition manifests written to the monitor-state topic")
                .register(registry);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The input topics' partition count, which snapshots name: one taken under another count is of no use. */
    public void partitionCount(int count) {
        partitionCount = count;
    }

    /** A partition restored from snapshots: its clusters' snapshots cover these offsets, as written then. */
    public synchronized void restored(int partition, Map<String, Map<String, Long>> covers) {
        Map<String, Written> of = latest.computeIfAbsent(partition, p -> new HashMap<>());
        Instant now = clock.instant();
        covers.forEach((clusterId, offsets) -> of.put(clusterId, new Written(Map.copyOf(offsets), now)));
    }

    /** Partitions given up: their snapshots are the next owner's to write. */
    public synchronized void release(Set<Integer> partitions) {
        latest.keySet().removeAll(partitions);
        lastCut.keySet().removeAll(partitions);
        nextRound.keySet().removeAll(partitions);
    }

    /** The processing thread starts on a poll's records: no round until {@link #afterPoll}. */
    public synchronized void batchStarted() {
        inBatch = true;
    }

    /** The processing thread is done with a poll's records: a round of snapshots when one is due. */
    public synchronized void afterPoll() {
        inBatch = false;
        roundIfDue();
    }

    /**
     * Between polls, from a scheduler: the partitions that went quiet get their round too, so that the snapshots of
     * an idle instance cover everything it processed.
     */
    @Scheduled(every = "${aks-headroom.snapshots.check:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void tick() {
        if (!inBatch) {
            roundIfDue();
        }
    }

    /**
     * At most one partition's round per call: a round holds the processing thread while it writes, and a fleet that
     * changes everywhere makes every partition's round large at once (every cluster of 1,000, about 9 MB of JSON,
     * held the thread for 130-260 ms every interval at 5,000 samples/s). One partition at a time, the others' turns
     * come after the next polls or ticks.
     */
    private void roundIfDue() {
        if (!config.enabled() || partitionCount == 0) {
            return;
        }
        Instant now = clock.instant();
        List<Integer> partitions = new ArrayList<>(new TreeSet<>(tracker.partitions()));
        int first = 0;
        while (first < partitions.size() && partitions.get(first) <= lastRound) {
            first++;
        }
        for (int i = 0; i < partitions.size(); i++) {
            int partition = partitions.get((first + i) % partitions.size());
            if (now.isBefore(nextRound.getOrDefault(partition, Instant.MIN))) {
                continue;
            }
            nextRound.put(partition, now.plus(config.interval()));
            if (round(partition, now)) {
                lastRound = partition;
                return;
            }
        }
    }

    /** Whether anything was written. */
    private boolean round(int partition, Instant now) {
        Map<String, Long> covers = tracker.liveOffsets(partition);
        if (covers == null) {
            return false;
        }
        if (failed.remove(partition)) {
            latest.remove(partition);
            lastCut.remove(partition);
        }
        Map<String, Written> of = latest.computeIfAbsent(partition, p -> new HashMap<>());
        Instant staleBefore = now.minus(config.refreshAfter());
        SilentReplays.Snapshot snapshot = replays.snapshot(partition, clusterId -> {
            Written last = of.get(clusterId);
            return last == null || last.at().isBefore(staleBefore);
        });
        if (snapshot == null || snapshot.changes().states().isEmpty() && snapshot.changes().forgotten().isEmpty()
                && covers.equals(lastCut.get(partition))) {
            return false; // nothing processed since the last manifest
        }
        OutputLedger.Hold hold = ledger.step(partition);
        // One for each record sent and one for the round itself: the last to come commits.
        AtomicInteger unanswered = new AtomicInteger(1);
        Runnable answered = () -> {
            if (unanswered.decrementAndGet() == 0) {
                afterRound.run();
            }
        };
        try {
            for (ClusterState state : snapshot.changes().states()) {
                String profileRecord = snapshot.profileRecords().get(state.clusterId());
                if (profileRecord == null) {
                    // Restored without its record: nothing to write it with, so no manifest can name this cut.
                    LOG.warnf("No profile record for %s: partition %d gets no snapshot this round", state.clusterId(),
                            partition);
                    return true;
                }
                send(partition, state.clusterId(), MonitorStateJson.write(mapper, new MonitorStateJson.ClusterSnapshot(
                        MonitorStateJson.VERSION, partition, partitionCount, covers, profileRecord, state)), hold,
                        unanswered, answered);
                of.put(state.clusterId(), new Written(covers, now));
            }
            for (String gone : snapshot.changes().forgotten()) {
                send(partition, gone, null, hold, unanswered, answered);
                of.remove(gone);
            }
            Map<String, Map<String, Long>> clusters = new HashMap<>();
            for (String clusterId : snapshot.changes().clusters()) {
                Written last = of.get(clusterId);
                if (last == null) {
                    return true; // a cluster without a snapshot: this cut cannot be restored whole
                }
                clusters.put(clusterId, last.covers());
            }
            of.keySet().retainAll(clusters.keySet());
            send(partition, MonitorStateJson.manifestKey(partition), MonitorStateJson.write(mapper, new MonitorStateJson.Manifest(
                    MonitorStateJson.VERSION, partition, partitionCount, covers, clusters)), hold, unanswered,
                    answered);
            lastCut.put(partition, covers);
            return true;
        } finally {
            hold.close();
            answered.run();
        }
    }

    private void send(int partition, String key, String value, OutputLedger.Hold hold, AtomicInteger unanswered,
            Runnable answered) {
        hold.sent();
        unanswered.incrementAndGet();
        try {
            producer().send(new ProducerRecord<>(topics.monitorState(), key, value), (metadata, failure) -> {
                if (failure == null) {
                    written.increment();
                } else {
                    notWritten(partition, key, failure);
                }
                hold.acknowledged();
                answered.run();
            });
        } catch (RuntimeException e) {
            notWritten(partition, key, e);
            hold.acknowledged();
            answered.run();
        }
    }

    private void notWritten(int partition, String key, Throwable failure) {
        failed.add(partition);
        LOG.warnf("Could not write the state snapshot %s (the partition's next round writes all again): %s", key,
                failure.toString());
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    private static Producer<String, String> newProducer(KafkaAddress broker, Map<String, Object> kafkaDefaults) {
        Properties properties = new Properties();
        // The shared kafka.* settings carry security (SASL, TLS) for a real broker.
        kafkaDefaults.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                properties.put(name, value);
            }
        });
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A round waits for the broker's metadata with the processing held: not for long, the round is only retried.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        return new KafkaProducer<>(properties);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
