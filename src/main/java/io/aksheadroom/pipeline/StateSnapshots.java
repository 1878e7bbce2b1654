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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * Writes the state snapshots of the clusters this instance owns to {@code aks.monitor-state}: at most every
 * {@link SnapshotsConfig#interval}, for each input partition that is plainly live, the clusters changed since (a
 * tombstone for each forgotten one), then the partition's manifest. They go out under one {@link OutputLedger} step,
 * so the processed-offset marker does not pass a snapshot before the broker answered it.
 *
 * <p>A round has two halves. The export runs on the processing thread, between polls: the changed clusters' states
 * (immutable copies) and the offsets they cover are one consistent cut, and the ledger step is opened there, in
 * processing order. The JSON and the sends run on a writer thread of their own, so that the processing goes on
 * meanwhile. A partition has at most one round between its export and the broker's last answer; a round due before
 * that waits for a later call, and is not queued.
 *
 * <p>Once a round is answered the marker is committed at once, not up to a commit interval later: a crash right
 * after a round then finds the round inside the committed marker, which the next owner needs to use it.
 *
 * <p>A snapshot that could not be written does not stop the marker, as a lost output would: nothing is lost with it.
 * The reader checks that the manifest and every cluster's snapshot agree, and replays the whole window when they do
 * not; the next round here writes every cluster of the partition again.
 *
 * <p>A partition being handed over ({@link #revoke}) gets no new round; the one exported before is still written, and
 * the handover's commit waits for it through the ledger, so the next owner reads it. Once the partition is released
 * ({@link #release}), nothing more of its rounds is sent.
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
    /** Serializes and sends the rounds: one thread, so rounds leave in the order they were exported. */
    private final Executor writer;
    private final Counter written;
    /** Per partition and cluster, the offsets its newest snapshot covers and when it was written. Guarded by this. */
    private final Map<Integer, Map<String, Written>> latest = new HashMap<>();
    /** Per partition, the cut of the last manifest written. Guarded by this. */
    private final Map<Integer, Map<String, Long>> lastCut = new HashMap<>();
    private volatile int partitionCount;
    /** Partitions a snapshot of which could not be written: the next round writes all their clusters again. */
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    /** Per partition, the round exported and not answered in full yet. */
    private final Map<Integer, Round> inFlight = new ConcurrentHashMap<>();
    /** Partitions being handed over: no round is exported for them until they are released. Guarded by this. */
    private final Set<Integer> revoking = new HashSet<>();
    /** Held around each send and by {@link #release}: once a partition is released, no send of its rounds starts. */
    private final Object sending = new Object();
    /** Only the writer thread uses it (and {@link #close}, after the writer stopped). */
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
                registry, committer::commitLive, Executors.newSingleThreadExecutor(task -> {
                    Thread thread = new Thread(task, "state-snapshot-writer");
                    thread.setDaemon(true);
                    return thread;
                }));
    }

    /** With the producer {@code producers} makes, when the first snapshot is written, and rounds sent by {@code writer}. */
    StateSnapshots(SnapshotsConfig config, TopicsConfig topics, SilentReplays<?> replays, ReplayTracker tracker,
            OutputLedger ledger, ObjectMapper mapper, Clock clock, Supplier<Producer<String, String>> producers,
            MeterRegistry registry, Runnable afterRound, Executor writer) {
        this.config = config;
        this.topics = topics;
        this.replays = replays;
        this.tracker = tracker;
        this.ledger = ledger;
        this.mapper = mapper;
        this.clock = clock;
        this.producers = producers;
        this.afterRound = afterRound;
        this.writer = writer;
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

    /**
     * Partitions about to be handed over: no new round for them. A round exported before is still written, and the
     * ledger holds the handover's commit until the broker answered it.
     */
    public synchronized void revoke(Set<Integer> partitions) {
        revoking.addAll(partitions);
    }

    /**
     * Partitions given up: their snapshots are the next owner's to write. What is left of a round of theirs is not
     * sent; once this returns, none of their records is.
     */
    public void release(Set<Integer> partitions) {
        revoke(partitions);
        synchronized (sending) {
            for (Integer partition : partitions) {
                Round round = inFlight.remove(partition);
                if (round != null) {
                    round.cancelled = true;
                }
            }
        }
        synchronized (this) {
            latest.keySet().removeAll(partitions);
            lastCut.keySet().removeAll(partitions);
            nextRound.keySet().removeAll(partitions);
            // The replay tracker gave them up before: a round comes again only once they are assigned anew.
            revoking.removeAll(partitions);
        }
    }

    /** The processing thread starts on a poll's records: no round until {@link #afterPoll}. */
    public synchronized void batchStarted() {
        inBatch = true;
    }

    /** The processing thread is done with a poll's records: a round of snapshots when one is due. */
    public void afterPoll() {
        Round round;
        synchronized (this) {
            inBatch = false;
            round = roundIfDue();
        }
        write(round);
    }

    /**
     * Between polls, from a scheduler: the partitions that went quiet get their round too, so that the snapshots of
     * an idle instance cover everything it processed.
     */
    @Scheduled(every = "${aks-headroom.snapshots.check:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Round round;
        synchronized (this) {
            round = inBatch ? null : roundIfDue();
        }
        write(round);
    }

    private void write(Round round) {
        if (round == null) {
            return;
        }
        try {
            writer.execute(round);
        } catch (RejectedExecutionException e) {
            // Shutting down: the round is not written, and holds nothing back.
            round.over();
        }
    }

    /**
     * At most one partition's export per call: a fleet that changes everywhere makes every partition's round large at
     * once, and the export holds the processing thread. One partition at a time, the others' turns come after the
     * next polls or ticks. A partition whose last round is not answered yet is passed over until it is.
     */
    private Round roundIfDue() {
        if (!config.enabled() || partitionCount == 0) {
            return null;
        }
        Instant now = clock.instant();
        List<Integer> partitions = new ArrayList<>(new TreeSet<>(tracker.partitions()));
        int first = 0;
        while (first < partitions.size() && partitions.get(first) <= lastRound) {
            first++;
        }
        for (int i = 0; i < partitions.size(); i++) {
            int partition = partitions.get((first + i) % partitions.size());
            if (revoking.contains(partition) || inFlight.containsKey(partition)
                    || now.isBefore(nextRound.getOrDefault(partition, Instant.MIN))) {
                continue;
            }
            nextRound.put(partition, now.plus(config.interval()));
            Round round = export(partition, now);
            if (round != null) {
                lastRound = partition;
                return round;
            }
        }
        return null;
    }

    /** The partition's round as of now, the ledger's step for it opened; null when there is nothing to write. */
    private Round export(int partition, Instant now) {
        Map<String, Long> covers = tracker.liveOffsets(partition);
        if (covers == null) {
            return null;
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
            return null; // nothing processed since the last manifest
        }
        OutputLedger.Hold hold = ledger.step(partition);
        if (hold == OutputLedger.NONE) {
            return null; // released meanwhile: its snapshots are the next owner's to write
        }
        List<Entry> entries = new ArrayList<>();
        for (ClusterState state : snapshot.changes().states()) {
            String profileRecord = snapshot.profileRecords().get(state.clusterId());
            if (profileRecord == null) {
                // Restored without its record: nothing to write it with, so no manifest can name this cut.
                LOG.warnf("No profile record for %s: partition %d gets no manifest this round", state.clusterId(),
                        partition);
                of.remove(state.clusterId());
                continue;
            }
            entries.add(new Entry(state.clusterId(), new MonitorStateJson.ClusterSnapshot(MonitorStateJson.VERSION,
                    partition, partitionCount, covers, profileRecord, state), null));
            of.put(state.clusterId(), new Written(covers, now));
        }
        for (String gone : snapshot.changes().forgotten()) {
            entries.add(new Entry(gone, null, null));
            of.remove(gone);
        }
        Map<String, Map<String, Long>> clusters = new HashMap<>();
        boolean whole = true;
        for (String clusterId : snapshot.changes().clusters()) {
            Written last = of.get(clusterId);
            if (last == null) {
                whole = false; // a cluster without a snapshot: this cut cannot be restored whole
                break;
            }
            clusters.put(clusterId, last.covers());
        }
        if (whole) {
            of.keySet().retainAll(clusters.keySet());
            entries.add(new Entry(MonitorStateJson.manifestKey(partition), null, new MonitorStateJson.Manifest(
                    MonitorStateJson.VERSION, partition, partitionCount, covers, clusters)));
            lastCut.put(partition, covers);
        }
        Round round = new Round(partition, hold, entries);
        inFlight.put(partition, round);
        return round;
    }

    /** One record of a round: a cluster's snapshot, a tombstone (neither given) or the manifest. */
    private record Entry(String key, MonitorStateJson.ClusterSnapshot cluster, MonitorStateJson.Manifest manifest) {

        String json(ObjectMapper mapper) {
            if (cluster != null) {
                return MonitorStateJson.write(mapper, cluster);
            }
            return manifest == null ? null : MonitorStateJson.write(mapper, manifest);
        }
    }

    /** One partition's round, exported and waiting to be written; runs on the writer thread. */
    private final class Round implements Runnable {
        final int partition;
        final OutputLedger.Hold hold;
        final List<Entry> entries;
        /** One for each record sent and one for the round itself: the last to come commits. */
        final AtomicInteger unanswered = new AtomicInteger(1);
        /** The partition was released: nothing more of this round is sent. Guarded by {@code sending}. */
        boolean cancelled;

        Round(int partition, OutputLedger.Hold hold, List<Entry> entries) {
            this.partition = partition;
            this.hold = hold;
            this.entries = entries;
        }

        @Override
        public void run() {
            try {
                for (Entry entry : entries) {
                    String value = entry.json(mapper);
                    synchronized (sending) {
                        if (cancelled) {
                            return;
                        }
                        send(entry.key(), value);
                    }
                }
            } catch (RuntimeException e) {
                // Not one record after a snapshot that could not be written: the manifest would name a stale one.
                notWritten(partition, "of the round", e);
            } finally {
                over();
            }
        }

        /** Nothing more of this round is sent. */
        void over() {
            hold.close();
            answered();
        }

        private void send(String key, String value) {
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
                    answered();
                });
            } catch (RuntimeException e) {
                notWritten(partition, key, e);
                hold.acknowledged();
                answered();
            }
        }

        private void answered() {
            if (unanswered.decrementAndGet() == 0) {
                inFlight.remove(partition, this);
                afterRound.run();
            }
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
        // A round waits for the broker's metadata on the writer thread: not for long, the round is only retried.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        return new KafkaProducer<>(properties);
    }

    @PreDestroy
    void close() {
        if (writer instanceof ExecutorService service) {
            service.shutdown();
            try {
                service.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (sending) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }
}
