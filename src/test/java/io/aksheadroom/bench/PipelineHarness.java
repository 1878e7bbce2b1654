package io.aksheadroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.WireJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The measuring half of {@code bench/run.sh}, one sub-command per phase; the script owns the processes (broker,
 * service) and calls these in order. Every phase appends {@code key=value} lines to the results file, each figure
 * with the load average read when it was taken, and {@link BenchReport} turns the file into the table.
 * Every loop here is bounded by a count or a deadline.
 */
public final class PipelineHarness {

    /** The service's default topic names and partition count ({@code TopicsConfig}). */
    static final String PROFILES = "aks.cluster-profiles";
    static final String NODE_EVENTS = "aks.node-events";
    static final String LB_METRICS = "aks.lb-metrics";
    static final String RECOMMENDATIONS = "aks.recommendations";
    static final String ALERTS = "aks.alerts";
    static final String DEAD_LETTER = "aks.dead-letter";
    static final int PARTITIONS = 6;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern CONSUMED = Pattern.compile(
            "^aks_headroom_records_consumed_total\\{[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final Map<String, String> options;
    private final Path results;
    /** Prepended to every topic name: the recovery phase loads each fleet onto topics of its own. */
    private final String prefix;
    /** How samples go onto the topic: one record per load balancer and minute ("minute"), or one per sample. */
    private final boolean minuteForm;

    private PipelineHarness(Map<String, String> options) {
        this.options = options;
        this.results = Path.of(required("results"));
        this.prefix = options.getOrDefault("prefix", "");
        String form = options.getOrDefault("form", "minute");
        if (!form.equals("minute") && !form.equals("sample")) {
            throw new IllegalArgumentException("--form is minute or sample, not " + form);
        }
        this.minuteForm = form.equals("minute");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: PipelineHarness load|await|recovery|latency|scrape|heap --key value ...");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        PipelineHarness harness = new PipelineHarness(options);
        switch (args[0]) {
            case "load" -> harness.load();
            case "await" -> harness.await();
            case "recovery" -> harness.recovery();
            case "latency" -> harness.latency();
            case "scrape" -> harness.scrape();
            case "heap" -> harness.heap();
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // load: the synthetic fleet onto the input topics

    /**
     * Batch 0 creates the topics and writes every profile, one node inventory per cluster and {@code minutes} minutes
     * of samples; batch n writes the n-th next {@code minutes} minutes of samples, one record per cluster and minute
     * ({@code --form minute}, as the metrics poller writes them) or one per node and minute ({@code --form sample}).
     * Event times run up to a minute before now; record timestamps are the send time, so the service's replay
     * windows (wall clock) include every record.
     */
    private void load() throws Exception {
        int clusters = integer("clusters");
        int nodes = integer("nodes");
        int minutes = integer("minutes");
        int batch = integer("batch");
        // Batch 0 places the timeline so that every batch to come still ends in the past.
        int batches = Integer.parseInt(options.getOrDefault("batches", "2"));
        int pools = FleetData.pools(nodes);
        Properties known = readResults();
        Instant t0 = batch == 0
                ? Instant.now().truncatedTo(ChronoUnit.MINUTES).minus((long) batches * minutes + 1, ChronoUnit.MINUTES)
                : Instant.parse(known.getProperty("fleet.t0"));
        if (batch == 0) {
            createTopics();
        }
        if (batch == 0 && prefix.isEmpty()) {
            put("fleet.t0", t0.toString());
            put("fleet.clusters", clusters);
            put("fleet.nodes", nodes);
            put("fleet.minutes", minutes);
            put("fleet.batches", batches);
            put("fleet.pools", pools);
            put("fleet.form", minuteForm ? "minute" : "sample");
        }
        long started = System.nanoTime();
        Map<String, Long> counts = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.BATCH_SIZE_CONFIG, "131072",
                ProducerConfig.LINGER_MS_CONFIG, "10"))) {
            if (batch == 0) {
                for (int c = 0; c < clusters; c++) {
                    String id = FleetData.clusterId(c);
                    ClusterProfile profile = FleetData.profile(id, pools, nodes);
                    send(producer, counts, topic(PROFILES), id, WireJson.write(profile));
                }
                // Profiles first: while a partition replays, the fleet holds events of clusters it does not know yet,
                // but live it would dead-letter them.
                producer.flush();
                for (int c = 0; c < clusters; c++) {
                    String id = FleetData.clusterId(c);
                    NodeEvent inventory = FleetData.inventory(id, t0, nodes, pools);
                    send(producer, counts, topic(NODE_EVENTS), id, WireJson.write(inventory));
                }
            }
            for (int m = batch * minutes; m < (batch + 1) * minutes; m++) {
                Instant at = t0.plus(m + 1, ChronoUnit.MINUTES);
                for (int c = 0; c < clusters; c++) {
                    String id = FleetData.clusterId(c);
                    if (minuteForm) {
                        send(producer, counts, topic(LB_METRICS), id,
                                WireJson.write(FleetData.minute(id, at, nodes, pools, m, 0L)));
                        continue;
                    }
                    for (int k = 0; k < nodes; k++) {
                        SnatSample sample = FleetData.sample(id, at, k, pools, m, 0L);
                        send(producer, counts, topic(LB_METRICS), id, WireJson.write(sample));
                    }
                }
            }
            producer.flush();
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String key = "load." + prefix + "b" + batch;
        put(key + ".records", total);
        put(key + ".samples", (long) clusters * nodes * minutes);
        put(key + ".form", minuteForm ? "minute" : "sample");
        counts.forEach((topic, count) -> put(key + "." + topic.substring(prefix.length()), count));
        System.out.printf("loaded batch %d: %,d records (%s) in %.1f s%n", batch, total, counts,
                (System.nanoTime() - started) / 1e9);
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, required("bootstrap")))) {
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            // The outputs carry the broker's append time, so latency is measured to the moment an alert or
            // recommendation is durably in Kafka, on the broker's clock, not to when this harness happens to poll.
            Map<String, String> appendTime = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            admin.createTopics(List.of(
                    new NewTopic(topic(PROFILES), PARTITIONS, (short) 1).configs(compacted),
                    new NewTopic(topic(NODE_EVENTS), PARTITIONS, (short) 1),
                    new NewTopic(topic(LB_METRICS), PARTITIONS, (short) 1),
                    new NewTopic(topic(RECOMMENDATIONS), PARTITIONS, (short) 1).configs(appendTime),
                    new NewTopic(topic(ALERTS), PARTITIONS, (short) 1).configs(appendTime),
                    new NewTopic(topic(DEAD_LETTER), PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private String topic(String name) {
        return prefix + name;
    }

    private static void send(KafkaProducer<String, String> producer, Map<String, Long> counts, String topic,
            String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                System.err.println("send failed: " + error);
            }
        });
        counts.merge(topic, 1L, Long::sum);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // await: the pipeline's throughput from its consumed-records counter

    /**
     * Polls {@code /q/metrics} until the consumed-records counter reaches {@code target}. With {@code resume-pid} the
     * clock starts when this sends SIGCONT to the stopped service (a backlog waits for it); otherwise at the first
     * poll that shows the counter above {@code from} (the service starting and replaying), and only the records
     * counted after that poll count: those consumed before its HTTP port opened are left out, not guessed.
     * It asks for that counter alone ({@code name[]}): a full scrape renders the whole fleet (tens of milliseconds of
     * the service's one core with 1,000 clusters), the counter alone well under one. It polls every 250 ms and places
     * the moment the target was reached by interpolating between the last two polls.
     */
    private void await() throws Exception {
        String key = required("key");
        long target = Long.parseLong(required("target"));
        long from = Long.parseLong(options.getOrDefault("from", "0"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(integer("timeout-s"));
        HttpClient http = HttpClient.newHttpClient();
        String load = loadAverage();
        Long startNanos = null;
        if (options.containsKey("resume-pid")) {
            startNanos = System.nanoTime();
            Process resume = new ProcessBuilder("kill", "-CONT", required("resume-pid")).inheritIO().start();
            if (resume.waitFor() != 0) {
                throw new IllegalStateException("could not resume the service");
            }
        }
        long consumed = -1;
        long previous = from;
        long previousNanos = startNanos == null ? 0 : startNanos;
        long polledNanos = 0;
        long polls = 0;
        while (System.nanoTime() < deadline) {
            long before = System.nanoTime();
            try {
                consumed = consumedRecords(http);
            } catch (IOException e) {
                // The service is still starting: its HTTP port opens after the Kafka consumer may have begun.
                Thread.sleep(200);
                continue;
            }
            // The counter was read somewhere within the request: take its middle.
            polledNanos = (before + System.nanoTime()) / 2;
            polls++;
            if (startNanos == null) {
                if (consumed > from) {
                    startNanos = polledNanos;
                    from = consumed;
                    previous = consumed;
                    previousNanos = polledNanos;
                }
                Thread.sleep(200);
                continue;
            }
            if (consumed >= target) {
                break;
            }
            previous = consumed;
            previousNanos = polledNanos;
            Thread.sleep(250);
        }
        if (consumed < target || startNanos == null) {
            throw new IllegalStateException("the service consumed " + consumed + " of " + target + " records in time");
        }
        double share = consumed == previous ? 1 : (double) (target - previous) / (consumed - previous);
        long reachedNanos = previousNanos + Math.round((polledNanos - previousNanos) * share);
        double seconds = (reachedNanos - startNanos) / 1e9;
        double rate = (target - from) / seconds;
        put(key + ".records", target - from);
        put(key + ".seconds", String.format("%.2f", seconds));
        put(key + ".rate", String.format("%.0f", rate));
        put(key + ".load", load + " -> " + loadAverage());
        put(key + ".polls", polls);
        System.out.printf("%s: %,d records in %.2f s = %,.0f records/s (%d polls)%n", key, target - from, seconds,
                rate, polls);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // recovery: a service started on a fleet already on its topics, from assignment to live

    /**
     * Waits until the service, started on a fleet already on its topics, has rebuilt every input partition it was
     * given and is live: {@code aks_headroom_replay_partitions} at 0 and a last rebuild reported. The figure is the
     * service's own, from the assignment of its partitions to the last of them live; the time from this phase's start
     * (the JVM and Quarkus starting, the group join, the rebuild) is kept beside it for information.
     */
    private void recovery() throws Exception {
        String key = required("key");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(integer("timeout-s"));
        long started = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        String load = loadAverage();
        Map<String, Double> figures = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                figures = gauges(http, "aks_headroom_replay_partitions", "aks_headroom_replay_last_duration_seconds",
                        "aks_headroom_replay_last_records", "aks_headroom_replay_last_snapshots");
            } catch (IOException e) {
                figures = Map.of(); // still starting
            }
            if (figures.containsKey("aks_headroom_replay_last_duration_seconds")
                    && figures.getOrDefault("aks_headroom_replay_partitions", 1.0) == 0) {
                break;
            }
            Thread.sleep(100);
        }
        if (!figures.containsKey("aks_headroom_replay_last_duration_seconds")) {
            throw new IllegalStateException("the service was not live in time: " + figures);
        }
        double seconds = figures.get("aks_headroom_replay_last_duration_seconds");
        long records = Math.round(figures.get("aks_headroom_replay_last_records"));
        long snapshots = Math.round(figures.getOrDefault("aks_headroom_replay_last_snapshots", 0.0));
        // A run whose successor should restore from snapshots waits until it has written them: a state snapshot of
        // every cluster and the manifests, a round or two after it went live.
        long awaited = options.containsKey("await-snapshots") ? integer("await-snapshots") : 0;
        double written = 0;
        while (awaited > 0 && System.nanoTime() < deadline) {
            written = gauges(http, "aks_headroom_snapshots_written_total").getOrDefault(
                    "aks_headroom_snapshots_written_total", 0.0);
            if (written >= awaited) {
                break;
            }
            Thread.sleep(200);
        }
        if (written < awaited) {
            throw new IllegalStateException("the service wrote " + written + " snapshots, not " + awaited);
        }
        put(key + ".snapshots", snapshots);
        put(key + ".seconds", String.format(Locale.ROOT, "%.2f", seconds));
        put(key + ".records", records);
        put(key + ".startToLive", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        put(key + ".load", load + " -> " + loadAverage());
        System.out.printf("%s: %,d snapshots restored, %,d records replayed, live %.2f s after assignment%n", key,
                snapshots, records, seconds);
    }

    /** The named gauges the service shows now (series without labels). */
    private Map<String, Double> gauges(HttpClient http, String... names) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("/q/metrics?");
        for (String name : names) {
            query.append(query.charAt(query.length() - 1) == '?' ? "" : "&").append("name%5B%5D=").append(name);
        }
        Map<String, Double> values = new HashMap<>();
        for (String line : get(http, query.toString()).body().split("\n")) {
            String[] parts = line.split(" ");
            if (!line.startsWith("#") && parts.length == 2) {
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }

    private long consumedRecords(HttpClient http) throws IOException, InterruptedException {
        String body = get(http, "/q/metrics?name%5B%5D=aks_headroom_records_consumed_total").body();
        Matcher matcher = CONSUMED.matcher(body);
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
        }
        return (long) sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // latency: input record time to the alert / recommendation on the broker, at a fixed offered rate

    /**
     * Offers samples at {@code rate} per second for {@code seconds} (after {@code warmup-s} not counted), paced by
     * the clock, not by acknowledgements, so a slow service cannot slow the offered load down. The hot backends (one
     * in ten) alternate between failing connections and none, so each of their samples fires or resolves a
     * SnatConnectionsFailing alert, and a failing one also moves the plan's failed-connection input (a new plan, a
     * recommendation published). Each sample's event time is its
     * record timestamp; the service stamps that event time on what it publishes (updatedAt, generatedAt), so
     * latency = broker append time of the output - record time of the input, with no matching table.
     */
    private void latency() throws Exception {
        int clusters = integer("clusters");
        int nodes = integer("nodes");
        int pools = FleetData.pools(nodes);
        int rate = integer("rate");
        int seconds = integer("seconds");
        int warmup = integer("warmup-s");
        Properties fleet = readResults();
        long minute = Long.parseLong(fleet.getProperty("fleet.batches"))
                * Long.parseLong(fleet.getProperty("fleet.minutes"));

        List<long[]> observed = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        KafkaConsumer<String, String> consumer = consumer();
        List<TopicPartition> outputs = new ArrayList<>();
        for (String topic : List.of(ALERTS, RECOMMENDATIONS)) {
            for (int p = 0; p < PARTITIONS; p++) {
                outputs.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(outputs);
        consumer.seekToEnd(outputs);
        outputs.forEach(consumer::position);
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (!done.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        long received = System.currentTimeMillis();
                        Long eventTime = eventTime(record);
                        if (eventTime != null) {
                            boolean appendTime = record.timestampType() == TimestampType.LOG_APPEND_TIME;
                            observed.add(new long[] {eventTime, appendTime ? record.timestamp() : received,
                                    record.topic().equals(ALERTS) ? 1 : 0, appendTime ? 1 : 0});
                        }
                    }
                }
            }
        }, "latency-reader");
        reader.start();

        String loadBefore = loadAverage();
        // In the minute form one record carries a cluster's every node: the records come nodes times less often.
        int perRecord = minuteForm ? nodes : 1;
        long total = (long) rate * (seconds + warmup) / perRecord;
        long startNanos = System.nanoTime();
        long measureFrom = System.currentTimeMillis() + warmup * 1000L;
        long lastMillis = 0;
        long late = 0;
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            for (long i = 0; i < total; i++) {
                long due = startNanos + i * perRecord * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else if (wait < -5_000_000L) {
                    late++;
                }
                // Cluster by cluster, as the metrics poller publishes a cluster's backends together: the hot tenth
                // of the samples is spread over the run, not bunched into the same fifth of a second.
                long sampleIndex = i * perRecord;
                int k = (int) (sampleIndex % nodes);
                long round = sampleIndex / nodes;
                int c = (int) (round % clusters);
                long pass = round / clusters;
                // Event time must move forward per backend; a backend comes round every clusters*nodes/rate seconds.
                long now = Math.max(System.currentTimeMillis(), lastMillis);
                lastMillis = now;
                String id = FleetData.clusterId(c);
                long failed = pass % 2 == 0 ? 3 : 0;
                Object value = minuteForm
                        ? FleetData.minute(id, Instant.ofEpochMilli(now), nodes, pools, minute, failed)
                        : FleetData.sample(id, Instant.ofEpochMilli(now), k, pools, minute,
                                FleetData.hot(k) ? failed : 0);
                producer.send(new ProducerRecord<>(LB_METRICS, null, now, id, WireJson.write(value)));
            }
            producer.flush();
        }
        double offeredSeconds = (System.nanoTime() - startNanos) / 1e9;
        // A fixed grace for the outputs of the last sends, not a condition: how many outputs will come is what is
        // being measured. Latencies are tens of milliseconds; an output later than this would show as a lower
        // outputs count in the results, not as a shorter latency.
        Thread.sleep(3000);
        done.set(true);
        reader.join(10_000);
        String loadAfter = loadAverage();

        long[] all = observed.stream().filter(o -> o[0] >= measureFrom).mapToLong(o -> o[1] - o[0]).sorted().toArray();
        long[] alerts = observed.stream().filter(o -> o[0] >= measureFrom && o[2] == 1).mapToLong(o -> o[1] - o[0])
                .sorted().toArray();
        boolean allAppendTime = observed.stream().allMatch(o -> o[3] == 1);
        // Every observation, for a look at how latency moved over the run (a steady offset or a growing queue).
        StringBuilder csv = new StringBuilder("event_time_ms,latency_ms,alert\n");
        observed.forEach(o -> csv.append(o[0]).append(',').append(o[1] - o[0]).append(',').append(o[2]).append('\n'));
        Files.writeString(results.resolveSibling("latency.csv"), csv);
        put("latency.offered", rate);
        put("latency.form", minuteForm ? "minute" : "sample");
        double achieved = total * perRecord / offeredSeconds; // samples/s, as the rate offered is
        put("latency.achieved", String.format("%.0f", achieved));
        put("latency.late", late);
        put("latency.seconds", seconds);
        put("latency.clock", allAppendTime ? "broker LogAppendTime" : "harness receive time");
        put("latency.outputs", all.length);
        put("latency.alerts", alerts.length);
        putPercentiles("latency.all", all);
        putPercentiles("latency.alert", alerts);
        put("latency.load", loadBefore + " -> " + loadAfter);
        System.out.printf("latency at %,d samples/s offered (%,.0f achieved, %,d records): %,d outputs, p50 %s p99 %s "
                + "p99.9 %s ms%n", rate, achieved, total, all.length, percentile(all, 0.5), percentile(all, 0.99),
                percentile(all, 0.999));
    }

    private static Long eventTime(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode json = MAPPER.readTree(record.value());
            JsonNode at = json.get(record.topic().equals(ALERTS) ? "updatedAt" : "generatedAt");
            return at == null || !at.isTextual() ? null : Instant.parse(at.asText()).toEpochMilli();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void putPercentiles(String key, long[] sorted) {
        put(key + ".p50", percentile(sorted, 0.5));
        put(key + ".p99", percentile(sorted, 0.99));
        put(key + ".p999", percentile(sorted, 0.999));
        put(key + ".max", sorted.length == 0 ? "n/a" : String.valueOf(sorted[sorted.length - 1]));
    }

    private static String percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "n/a";
        }
        // Nearest rank: the smallest value with at least q of the observations at or below it.
        int rank = (int) Math.ceil(q * sorted.length);
        return String.valueOf(sorted[Math.max(0, rank - 1)]);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // scrape: GET /q/metrics (and the cluster list) with the fleet loaded

    private void scrape() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int count = integer("count");
        int warmup = integer("warmup");
        for (String path : List.of("/q/metrics", "/api/v1/clusters")) {
            String key = path.equals("/q/metrics") ? "scrape.metrics" : "scrape.clusters";
            for (int i = 0; i < warmup; i++) {
                get(http, path);
            }
            String load = loadAverage();
            long[] micros = new long[count];
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                bytes = rawGet(path);
                micros[i] = (System.nanoTime() - started) / 1000;
            }
            Arrays.sort(micros);
            put(key + ".count", count);
            put(key + ".bytes", bytes);
            put(key + ".p50", String.format("%.1f", micros[count / 2] / 1000.0));
            put(key + ".p99", String.format("%.1f", Long.parseLong(percentile(micros, 0.99)) / 1000.0));
            put(key + ".max", String.format("%.1f", micros[count - 1] / 1000.0));
            put(key + ".load", load + " -> " + loadAverage());
            System.out.printf("%s: %d GETs, %,d bytes, p50 %.1f ms, max %.1f ms%n", path, count, bytes,
                    micros[count / 2] / 1000.0, micros[count - 1] / 1000.0);
        }
        String clusters = get(http, "/api/v1/clusters").body();
        put("scrape.clusters.known", MAPPER.readTree(clusters).size());
        if (options.containsKey("changed-per-scrape")) {
            fedScrape(http, count);
        }
    }

    /**
     * GET /q/metrics after a share of the fleet changed since the previous GET, as Prometheus meets it: every 15 s,
     * with each cluster's poller writing one minute record a minute, about a quarter of the clusters have something
     * new. The service renders again only the clusters that changed, so a quiet fleet's scrape is the cheap case; this
     * is the one the target is judged on. The records are sent and consumed before each GET, outside its timing.
     */
    private void fedScrape(HttpClient http, int count) throws Exception {
        int clusters = integer("clusters");
        int nodes = integer("nodes");
        int pools = FleetData.pools(nodes);
        int changed = integer("changed-per-scrape");
        long minute = Long.parseLong(readResults().getProperty("fleet.batches"))
                * Long.parseLong(readResults().getProperty("fleet.minutes"));
        String load = loadAverage();
        long[] micros = new long[count];
        long bytes = 0;
        int next = 0;
        long lastMillis = 0;
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            for (int i = 0; i < count; i++) {
                long before = consumedRecords(http);
                for (int j = 0; j < changed; j++) {
                    long now = Math.max(System.currentTimeMillis(), lastMillis + 1);
                    lastMillis = now;
                    String id = FleetData.clusterId(next);
                    next = (next + 1) % clusters;
                    Object value = FleetData.minute(id, Instant.ofEpochMilli(now), nodes, pools, minute, 0);
                    producer.send(new ProducerRecord<>(LB_METRICS, null, now, id, WireJson.write(value)));
                }
                producer.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (consumedRecords(http) < before + changed) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the service did not consume " + changed + " records in 60 s");
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                long started = System.nanoTime();
                bytes = rawGet("/q/metrics");
                micros[i] = (System.nanoTime() - started) / 1000;
            }
        }
        Arrays.sort(micros);
        put("scrape.fed.changed", changed);
        put("scrape.fed.count", count);
        put("scrape.fed.bytes", bytes);
        put("scrape.fed.p50", String.format("%.1f", micros[count / 2] / 1000.0));
        put("scrape.fed.p99", String.format("%.1f", Long.parseLong(percentile(micros, 0.99)) / 1000.0));
        put("scrape.fed.max", String.format("%.1f", micros[count - 1] / 1000.0));
        put("scrape.fed.load", load + " -> " + loadAverage());
        System.out.printf("/q/metrics, %d clusters changed before each: %d GETs, p50 %.1f ms, max %.1f ms%n",
                changed, count, micros[count / 2] / 1000.0, micros[count - 1] / 1000.0);
    }

    /**
     * One GET over a plain socket, read to the end and thrown away: the bytes of the answer, headers included. Timed
     * like Prometheus meets it, to the last byte and no further. The JDK's HttpClient was tried first: it reassembles
     * a chunked 14 MB answer at a few hundred MB/s on its own thread, which added tens of milliseconds of the
     * client's own to every figure.
     */
    private long rawGet(String path) throws IOException {
        URI url = URI.create(required("url"));
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long read = 0;
            int n = in.read(buffer);
            String status = n > 12 ? new String(buffer, 0, 12, StandardCharsets.US_ASCII) : "";
            if (!status.equals("HTTP/1.1 200")) {
                throw new IllegalStateException("GET " + path + " answered " + status);
            }
            for (; n > 0; n = in.read(buffer)) {
                read += n;
            }
            return read;
        }
    }

    private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(required("url") + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return response;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // heap: retained heap per tracked node, in this JVM

    /**
     * Feeds a {@link Fleet} what the service would get (the same JSON, parsed by the service's parsers, so every
     * string is its own object as after a Kafka read) and measures the heap it retains after full GCs.
     */
    private void heap() throws Exception {
        int clusters = integer("clusters");
        int nodes = integer("nodes");
        int minutes = integer("minutes");
        int pools = FleetData.pools(nodes);
        String key = "heap." + clusters + "x" + nodes;
        long before = usedAfterGc();
        Fleet<Void> fleet = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int c = 0; c < clusters; c++) {
            String id = FleetData.clusterId(c);
            fleet.profile(id, 0, ProfileJson.parse(MAPPER.readTree(
                    WireJson.write(FleetData.profile(id, pools, nodes)))), t0);
            fleet.apply(0, EventJson.parseNodeEvent(MAPPER.readTree(
                    WireJson.write(FleetData.inventory(id, t0, nodes, pools)))), null, t0, false);
        }
        for (int m = 0; m < minutes; m++) {
            Instant at = t0.plus(m + 1, ChronoUnit.MINUTES);
            for (int c = 0; c < clusters; c++) {
                String id = FleetData.clusterId(c);
                for (int k = 0; k < nodes; k++) {
                    fleet.apply(0, EventJson.parseSample(MAPPER.readTree(
                            WireJson.write(FleetData.sample(id, at, k, pools, m, 0L)))), null, at, false);
                }
            }
        }
        long after = usedAfterGc();
        long tracked = (long) clusters * nodes;
        if (fleet.size() != clusters) {
            throw new IllegalStateException("the fleet holds " + fleet.size() + " clusters, not " + clusters);
        }
        put(key + ".bytes", after - before);
        put(key + ".perNode", (after - before) / tracked);
        put(key + ".load", loadAverage());
        System.out.printf("heap %d clusters x %d nodes: %,d bytes retained, %,d bytes per tracked node%n", clusters,
                nodes, after - before, (after - before) / tracked);
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        // Several collections: the last one finds what the earlier ones' finalization and reference processing freed.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private KafkaProducer<String, String> producer(Map<String, String> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, required("bootstrap"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, required("bootstrap"),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private Properties readResults() throws IOException {
        Properties properties = new Properties();
        if (Files.exists(results)) {
            try (var in = Files.newBufferedReader(results)) {
                properties.load(in);
            }
        }
        return properties;
    }

    private void put(String key, Object value) {
        try {
            Files.writeString(results, key + "=" + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private int integer(String name) {
        return Integer.parseInt(required(name));
    }
}
