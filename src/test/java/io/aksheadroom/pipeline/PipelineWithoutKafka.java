package io.aksheadroom.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.config.AlertsConfig;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.SnapshotsConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.json.Runbooks;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.ConfigDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The pipeline's own classes wired as the application wires them, from the listener to the publishers, with emitters
 * that keep what is sent instead of a broker and no consumer: a test hands it polls and position checks in the order
 * it wants, which is how a race between them becomes a plain, repeatable sequence.
 */
final class PipelineWithoutKafka {

    static final TopicsConfig TOPICS = ConfigDefaults.of(TopicsConfig.class);
    static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
    /** No consumer to seek: a test hands the listener the records a rewind would bring again itself. */
    static final KafkaClientService NO_CONSUMER = (KafkaClientService) java.lang.reflect.Proxy.newProxyInstance(
            KafkaClientService.class.getClassLoader(), new Class<?>[] {KafkaClientService.class},
            (proxy, method, args) -> null);

    final PipelineConfig config;
    final Fleet<ConsumerRecord<String, String>> fleet;
    final SilentReplays<ConsumerRecord<String, String>> replays;
    final RecordingEmitter recommendations = new RecordingEmitter();
    final RecordingEmitter alerts = new RecordingEmitter();
    final RecordingEmitter deadLetters = new RecordingEmitter();
    final HeldEventExpiry expiry;
    final OutputLedger ledger;
    final MovableClock clock = new MovableClock(NOW);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ReplayProgress progress;
    final ReplayTracker tracker;
    final ClusterEventsListener listener;
    final MockProducer<String, String> snapshotProducer = new MockProducer<>(true, null, new StringSerializer(),
            new StringSerializer());
    final StateSnapshots snapshots;
    /** The snapshot writer: each round on a thread of its own, waited for unless the test holds the rounds. */
    final SnapshotWriter snapshotWriter = new SnapshotWriter();
    /** Rounds of snapshots the broker answered in full, each of which commits the marker in the application. */
    final java.util.concurrent.atomic.AtomicInteger roundsAnswered = new java.util.concurrent.atomic.AtomicInteger();

    PipelineWithoutKafka() {
        this(Map.of());
    }

    PipelineWithoutKafka(Map<String, Object> pipelineSettings) {
        this(pipelineSettings, Map.of("enabled", false));
    }

    /** With snapshots as {@code snapshotSettings} say (aks-headroom.snapshots.*, without the prefix). */
    PipelineWithoutKafka(Map<String, Object> pipelineSettings, Map<String, Object> snapshotSettings) {
        config = ConfigDefaults.of(PipelineConfig.class, pipelineSettings);
        MonitorSettings settings = CleanRun.settings();
        fleet = new Fleet<>(settings, new CapacityPlanner(settings.plan()));
        replays = new SilentReplays<>(fleet);
        ObjectMapper mapper = CleanRun.MAPPER;
        ledger = new OutputLedger(clock);
        PipelineMetrics metrics = new PipelineMetrics(registry, ledger);
        OutgoingRecords records = new OutgoingRecords(mapper);
        OutcomeSink sink = new OutcomeSink(new RecommendationPublisher(recommendations.emitter(), records, mapper,
                metrics, clock), new AlertPublisher(alerts.emitter(), records,
                new Runbooks(URI.create(AlertsConfig.DEFAULT_RUNBOOK_BASE_URL)), metrics, clock));
        DeadLetterPublisher letters = new DeadLetterPublisher(deadLetters.emitter(), metrics);
        expiry = new HeldEventExpiry(fleet, letters, config, clock);
        progress = new ReplayProgress(registry, clock);
        tracker = new ReplayTracker(replays, sink, ledger, progress, NO_CONSUMER, clock);
        snapshots = new StateSnapshots(ConfigDefaults.of(SnapshotsConfig.class, snapshotSettings), TOPICS, replays,
                tracker, ledger, snapshotMapper(mapper), clock, () -> snapshotProducer, registry,
                roundsAnswered::incrementAndGet, snapshotWriter);
        listener = new ClusterEventsListener(replays, TOPICS, config, mapper, sink, letters, tracker, ledger, metrics,
                snapshots, clock);
    }

    /** Threads the snapshot JSON was written on. */
    final Set<Thread> snapshotJsonThreads = ConcurrentHashMap.newKeySet();

    /** The snapshots' own mapper, which notes the threads their JSON is written on. */
    private ObjectMapper snapshotMapper(ObjectMapper mapper) {
        return new ObjectMapper(mapper) {
            @Override
            public ObjectNode createObjectNode() {
                snapshotJsonThreads.add(Thread.currentThread());
                return super.createObjectNode();
            }
        };
    }

    /**
     * Runs each snapshot round on a thread of its own and waits for it, so that a test reads what a round wrote right
     * after the call; or, once {@link #hold()} is called, keeps the rounds until {@link #runHeld()}.
     */
    static final class SnapshotWriter implements Executor {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        synchronized void hold() {
            holding = true;
        }

        synchronized int heldRounds() {
            return held.size();
        }

        /** Runs the rounds held, in order, and the next ones at once again. */
        void runHeld() {
            List<Runnable> rounds;
            synchronized (this) {
                holding = false;
                rounds = List.copyOf(held);
                held.clear();
            }
            rounds.forEach(SnapshotWriter::onItsOwnThread);
        }

        @Override
        public void execute(Runnable round) {
            synchronized (this) {
                if (holding) {
                    held.add(round);
                    return;
                }
            }
            onItsOwnThread(round);
        }

        private static void onItsOwnThread(Runnable round) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread thread = new Thread(round, "snapshot-writer-under-test");
            thread.setUncaughtExceptionHandler((t, e) -> thrown.set(e));
            thread.start();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (thrown.get() != null) {
                throw new IllegalStateException("the round failed", thrown.get());
            }
        }
    }

    /** The position check, with the log it reads when the processing stalls short of what it waits for. */
    PositionCheck positionCheck(PositionCheck.Log log) {
        return new PositionCheck(tracker, log, NO_CONSUMER);
    }

    /** Starts the replay of partition {@code partition} as the rebuilder does, the alerts topic being empty. */
    void assign(int partition, Map<TopicPartition, Long> replayEnds, Map<TopicPartition, Long> logEnds,
            Map<TopicPartition, Long> positions) {
        progress.assigned(java.util.Set.of(partition));
        replays.begin(java.util.Set.of(partition), List.of(), clusterId -> partition);
        tracker.start(replayEnds, logEnds, positions);
    }

    /** A clock that stands still until a test moves it. */
    static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }

    static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    /** A record as the consumer hands it, with the sizes in bytes Kafka carried it in. */
    static ConsumerRecord<String, String> record(String topic, int partition, long offset, String key, String value) {
        return new ConsumerRecord<>(topic, partition, offset, NOW.toEpochMilli(), TimestampType.CREATE_TIME,
                key == null ? ConsumerRecord.NULL_SIZE : key.getBytes(StandardCharsets.UTF_8).length,
                value == null ? ConsumerRecord.NULL_SIZE : value.getBytes(StandardCharsets.UTF_8).length, key, value,
                new RecordHeaders(), Optional.empty());
    }

    /** One poll's records, handed to the listener as the connector hands them. */
    void poll(List<ConsumerRecord<String, String>> records) {
        poll(records, Map.of());
    }

    /**
     * One poll's records, and the consumer's position after it for the topic partitions it read: past its last record
     * where the log holds no record after it (compacted, or a transaction marker).
     */
    void poll(List<ConsumerRecord<String, String>> records, Map<TopicPartition, Long> positions) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition tp = tp(record.topic(), record.partition());
            byPartition.computeIfAbsent(tp, p -> new ArrayList<>()).add(record);
            next.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
        positions.forEach((tp, position) -> next.put(tp, new OffsetAndMetadata(position)));
        listener.consume(new ConsumerRecords<>(byPartition, next));
    }

    /** Reasons of every dead letter sent so far. */
    List<String> deadLetterReasons() {
        return deadLetters.sent().stream().map(sent -> header(sent, DeadLetterPublisher.REASON)).toList();
    }

    /** A Kafka header of a record sent, or null. */
    static String header(RecordingEmitter.Sent sent, String name) {
        Header header = sent.message().getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders()
                .lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
