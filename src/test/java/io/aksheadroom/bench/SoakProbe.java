package io.aksheadroom.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the soak reads of a running service: its retained heap (a full collection, then the live objects' total, by
 * {@code jcmd GC.class_histogram}), the gauges of what its fleet holds, the clusters its {@code /q/metrics} has series
 * of, and how far its consumer group is behind the input topics. Used by {@code bench/soak.sh} and {@code SoakIT}.
 */
public final class SoakProbe implements AutoCloseable {

    /** The service's consumer group and input topics. */
    static final String GROUP = "aks-headroom";
    static final List<String> INPUTS = List.of(PipelineHarness.PROFILES, PipelineHarness.NODE_EVENTS,
            PipelineHarness.LB_METRICS, "aks.natgw-metrics");
    public static final String CLUSTERS = "aks_headroom_clusters_tracked";
    public static final String ALERTS = "aks_headroom_alert_book_entries";
    public static final String HELD = "aks_headroom_held_events";
    public static final String CONSUMED = "aks_headroom_records_consumed_total";
    public static final String DEAD_LETTERED = "aks_headroom_records_dead_lettered_total";
    private static final List<String> GAUGES = List.of(CLUSTERS, ALERTS, HELD, CONSUMED, DEAD_LETTERED);
    private static final Pattern CLUSTER_LABEL = Pattern.compile("[{,]cluster=\"([^\"]*)\"");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /** The live objects after a full collection: their count and bytes, and the histogram's first lines. */
    public record Heap(long instances, long bytes, String top) {
    }

    private final String url;
    private final long pid;
    private final Admin admin;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public SoakProbe(String url, long pid, String bootstrap) {
        this.url = url;
        this.pid = pid;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Retained heap: {@code GC.class_histogram} collects fully before it counts (it counts live objects only), so its
     * total is what survives a full GC. Taken twice, the second figure kept: the first collection may leave objects
     * whose finalization or reference processing the second one frees.
     */
    public Heap retainedHeap() {
        histogram();
        return histogram();
    }

    private Heap histogram() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String text;
            try (InputStream in = process.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + text);
            }
            Matcher total = TOTAL.matcher(text);
            if (!total.find()) {
                throw new IllegalStateException("no Total line in the class histogram: " + text);
            }
            String top = text.lines().limit(18).collect(Collectors.joining("\n"));
            return new Heap(Long.parseLong(total.group(1)), Long.parseLong(total.group(2)), top);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The fleet's gauges and the record counters, each summed over its label sets. */
    public Map<String, Double> gauges() {
        String query = GAUGES.stream().map(name -> "name%5B%5D=" + name).collect(Collectors.joining("&"));
        String body = get("/q/metrics?" + query);
        Map<String, Double> values = new HashMap<>();
        GAUGES.forEach(name -> values.put(name, 0.0));
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace > 0 && brace < space ? brace : space);
            if (values.containsKey(name)) {
                values.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return values;
    }

    /** Dead letters so far by reason kind (the counter's {@code reason} label), each summed over topics. */
    public Map<String, Double> deadLettersByReason() {
        Map<String, Double> byReason = new java.util.TreeMap<>();
        Pattern reason = Pattern.compile("reason=\"([^\"]*)\"");
        for (String line : get("/q/metrics?name%5B%5D=" + DEAD_LETTERED).split("\n")) {
            Matcher matcher = reason.matcher(line);
            if (!line.startsWith("#") && matcher.find()) {
                byReason.merge(matcher.group(1), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                        Double::sum);
            }
        }
        return byReason;
    }

    /** The clusters that have at least one series in a full scrape of {@code /q/metrics}, and the series count. */
    public Scrape scrape() {
        String body = get("/q/metrics");
        Set<String> clusters = new HashSet<>();
        long series = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher matcher = CLUSTER_LABEL.matcher(line);
            if (matcher.find()) {
                clusters.add(matcher.group(1));
                series++;
            }
        }
        return new Scrape(clusters, series);
    }

    /** A scrape's clusters and its series that carry a cluster label. */
    public record Scrape(Set<String> clusters, long series) {
    }

    /** Records of the input topics beyond the consumer group's committed marker; -1 before its first commit. */
    public long groupLag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                return -1;
            }
            // The service commits every partition it owns at once when it takes it (the log end of a new one).
            Set<TopicPartition> partitions = committed.keySet().stream().filter(p -> INPUTS.contains(p.topic()))
                    .collect(Collectors.toSet());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata marker = committed.get(partition);
                lag += ends.get(partition).offset() - (marker == null ? 0 : marker.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the consumer group's lag", e);
        }
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
