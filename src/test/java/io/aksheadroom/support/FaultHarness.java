package io.aksheadroom.support;

import static org.awaitility.Awaitility.await;

import io.aksheadroom.contracts.RecordContracts;
import io.aksheadroom.dev.EmbeddedKafkaBroker;
import io.aksheadroom.support.FaultWorkload.Input;
import io.aksheadroom.support.FaultWorkload.Sent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One fault test's world: a broker of its own (in this JVM, so the test can stop it) or brokers the test runs as
 * processes ({@link KafkaCluster}), the fault workload, the service processes it starts, and the check of what they
 * wrote against a clean run of what was sent.
 */
public final class FaultHarness implements AutoCloseable {

    public static final String RECOMMENDATIONS = "aks.recommendations";
    public static final String ALERTS = "aks.alerts";
    public static final String DEAD_LETTER = "aks.dead-letter";
    /** Figures of each run, for RELIABILITY.md: one line per test, written where the build leaves its reports. */
    private static final Path FIGURES = Path.of("target", "reliability-figures.txt");

    /** The broker in this JVM, or null on brokers the test runs itself. */
    private final EmbeddedKafkaBroker broker;
    /** Where the test's own clients connect, and where the services do. */
    private final String bootstrapServers;
    private final String serviceBootstrapServers;
    private final KafkaTestClient kafka;
    private final FaultWorkload workload;
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, Double> consumed = new LinkedHashMap<>();

    public FaultHarness(String prefix, int clusters) {
        this(prefix, clusters, EmbeddedKafkaBroker.start(0), null);
    }

    /** On brokers the test runs (and closes) itself; the services connect through their proxies. */
    public FaultHarness(String prefix, int clusters, KafkaCluster brokers) {
        this(prefix, clusters, null, brokers);
    }

    private FaultHarness(String prefix, int clusters, EmbeddedKafkaBroker broker, KafkaCluster brokers) {
        this.broker = broker;
        this.bootstrapServers = broker != null ? broker.bootstrapServers() : brokers.bootstrapServers();
        this.serviceBootstrapServers = broker != null ? broker.bootstrapServers() : brokers.serviceBootstrapServers();
        kafka = new KafkaTestClient(bootstrapServers);
        // Event time a little in the past, so samples never pass the record time of the profiles they follow.
        workload = FaultWorkload.of(prefix, clusters, Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(
                Duration.ofMinutes(30)));
    }

    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the brokers of this harness are the test's own");
        }
        return broker;
    }

    public FaultWorkload workload() {
        return workload;
    }

    /** Starts a service process on this broker, alerting as the clean run does. */
    public ServiceProcess start(String name) {
        return start(name, Map.of());
    }

    /** Starts a service process on this broker, alerting as the clean run does, with more settings. */
    public ServiceProcess start(String name, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(CleanRun.serviceProperties());
        properties.putAll(settings);
        ServiceProcess service = ServiceProcess.start(name, serviceBootstrapServers, properties);
        services.add(service);
        return service;
    }

    /** Remembers how many records a service consumed (replays included) before it goes away. */
    public void countConsumed(ServiceProcess service) {
        countConsumed(service.name(), service.counter("aks_headroom_records_consumed_total"));
    }

    /** Remembers how many records an instance (a process, a container) consumed, replays included. */
    public void countConsumed(String instance, double records) {
        consumed.put(instance, records);
    }

    public void send(List<Input> inputs) {
        for (Input input : inputs) {
            RecordMetadata metadata = kafka.send(input.topic(), input.key(), input.value());
            sent.add(new Sent(input, metadata.timestamp()));
        }
    }

    /** Sends the first profile of every cluster and waits until each has its recommendation. */
    public void sendPhaseOneAndAwaitPlans() {
        send(workload.phaseOne());
        awaitPlans();
    }

    /** Waits until every cluster has its recommendation. */
    public void awaitPlans() {
        await("a recommendation for every cluster").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> readToEnd(RECOMMENDATIONS).stream().map(ConsumerRecord::key).distinct()
                        .filter(workload.clusters()::contains).count() == workload.clusters().size());
    }

    /** Sends steps {@code from} (inclusive) to {@code to} (exclusive) of phase two. */
    public void sendSteps(int from, int to) {
        workload.steps().subList(from, to).forEach(this::send);
    }

    /**
     * Sends the stream up to the first alert episodes and waits until they are published (processed live), then a
     * burst of three more steps without waiting: a fault struck right after this strikes mid-batch. Returns the step
     * the rest of the stream starts at ({@link #sendRest}).
     */
    public int sendStreamUpToABurst() {
        int firstEpisode = FaultWorkload.FIRST_EPISODE_STEP + 1;
        sendSteps(0, firstEpisode);
        awaitFirstEpisodes();
        int burstEnd = firstEpisode + 3;
        sendSteps(firstEpisode, burstEnd);
        return burstEnd;
    }

    /** Sends the stream from step {@code from} to its end. */
    public void sendRest(int from) {
        sendSteps(from, workload.steps().size());
    }

    /** Waits until the alerts of step {@link FaultWorkload#FIRST_EPISODE_STEP} are on the topic: processed live. */
    public void awaitFirstEpisodes() {
        long sampled = workload.steps().get(FaultWorkload.FIRST_EPISODE_STEP).stream()
                .filter(input -> input.topic().equals(FaultWorkload.LB_METRICS)).map(Input::key).distinct().count();
        await("SnatPortsHigh firing for every sampled cluster").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> readToEnd(ALERTS).stream().filter(r -> r.value() != null
                        && r.value().contains("\"alertname\":\"SnatPortsHigh\"")
                        && workload.clusters().stream().anyMatch(id -> r.value().contains("\"clusterId\":\"" + id + "\"")))
                        .count() >= sampled);
    }

    /**
     * Waits until what the services wrote matches the clean run of everything sent (final plans, final alert states,
     * no alert record lost), then returns the verdict, whose duplicates the caller judges.
     */
    public Verdict awaitCleanRunOutcome(Duration wait) {
        CleanRun.Outputs expected = CleanRun.of(List.copyOf(sent), workload.clusters());
        AtomicReference<Verdict> last = new AtomicReference<>();
        try {
            await("the outputs of a clean run").atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last.set(Verdict.of(expected, written()));
                return last.get().converged();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Never matched the clean run within " + wait + ":\n" + last.get(), e);
        }
        return last.get();
    }

    private CleanRun.Outputs written() {
        return CleanRun.written(readToEnd(RECOMMENDATIONS), readToEnd(ALERTS), workload.clusters());
    }

    /** Dead letters of this workload's clusters. */
    public long deadLettered() {
        return deadLetters().size();
    }

    /** Dead letters of this workload's clusters, as {@code reason @ topic-partition@offset}: for failure messages. */
    public List<String> deadLetters() {
        return readToEnd(DEAD_LETTER).stream().filter(r -> workload.clusters().contains(r.key()))
                .map(r -> KafkaTestClient.header(r, "dead-letter-reason") + " @ "
                        + KafkaTestClient.header(r, "dead-letter-topic") + "-"
                        + KafkaTestClient.header(r, "dead-letter-partition") + "@"
                        + KafkaTestClient.header(r, "dead-letter-offset"))
                .toList();
    }

    public int sentCount() {
        return sent.size();
    }

    /** Every record of a topic, from its beginning to its end as of now; the service's checked against their schemas. */
    public List<ConsumerRecord<String, String>> readToEnd(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            }
        }
        records.forEach(RecordContracts::assertValid);
        return records;
    }

    /**
     * Prints the figures of a run and appends them to {@code target/reliability-figures.txt}: records sent, consumed
     * (by every instance, replays included), dead-lettered, alert records lost and repeated.
     */
    public String report(String test, Verdict verdict, String extra) {
        long alertRecords = readToEnd(ALERTS).stream().filter(r -> r.value() != null
                && workload.clusters().stream().anyMatch(id -> r.value().contains("\"clusterId\":\"" + id + "\"")))
                .count();
        String line = String.format("RELIABILITY %s: sent=%d consumed=%s dead-lettered=%d alert-records=%d lost=%d"
                + " repeated-firing=%d (max %d per fingerprint) repeated-resolved=%d spurious=%d%s", test, sentCount(),
                consumed.values().stream().mapToLong(Double::longValue).sum() + " " + consumed, deadLettered(),
                alertRecords, verdict.lost().size(), verdict.totalRepeatedFiring(), verdict.maxRepeatedFiring(),
                verdict.totalRepeatedResolved(), verdict.spurious().size(), extra.isEmpty() ? "" : " " + extra);
        figures(line);
        return line;
    }

    /** Prints a line of figures and appends it to {@code target/reliability-figures.txt}. */
    public static void figures(String line) {
        figures(FIGURES, line);
    }

    /** Prints a line of figures and appends it to {@code file}, where the docs' figures are taken from. */
    public static void figures(Path file, String line) {
        System.out.println(line);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends each record twice, as a producer retry or a replayed batch would, and after each sample the same
     * backend's sample of two steps before, as a late or reordered delivery would. Only the first copies count as the
     * input of the clean run: the others must change nothing. Returns how many extra records were sent.
     */
    public int sendDuplicatedAndReordered(List<Input> inputs) {
        int extra = 0;
        Map<String, List<Input>> samplesByBackend = new HashMap<>();
        for (Input input : inputs) {
            send(List.of(input));
            kafka.send(input.topic(), input.key(), input.value());
            extra++;
            if (input.topic().equals(FaultWorkload.LB_METRICS)) {
                String backend = input.key() + "/" + FaultWorkload.tree(input.value()).path("backendIp").asText();
                List<Input> history = samplesByBackend.computeIfAbsent(backend, b -> new ArrayList<>());
                history.add(input);
                if (history.size() > 2) {
                    Input older = history.get(history.size() - 3);
                    kafka.send(older.topic(), older.key(), older.value());
                    extra++;
                }
            }
        }
        return extra;
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        kafka.close();
        if (broker != null) {
            broker.close();
        }
    }
}
