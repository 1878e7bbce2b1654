package io.aksheadroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Turns {@code bench/run.sh}'s results file and JMH's JSON into the table of {@code BENCHMARKS.md}: each figure with
 * its target, whether it was met, and the load average of the shared machine when it was taken. It judges nothing
 * else and fails nothing: benchmarks report, tests assert.
 *
 * <p>What people wrote below {@link #KEPT} in the file it replaces (the profiles, what was tried, the arithmetic of a
 * missed target) is kept as it was, after the new table.
 *
 * <p>{@code java ... BenchReport results.properties jmh.json out.md}
 */
public final class BenchReport {

    /** The line after which the file is written by hand; everything below it survives a new run. */
    static final String KEPT = "<!-- Written by hand below this line: bench/run.sh keeps it as it is. -->";

    private final Properties results = new Properties();
    private final List<String> rows = new ArrayList<>();

    private BenchReport(Path resultsFile) throws IOException {
        try (Reader in = Files.newBufferedReader(resultsFile)) {
            results.load(in);
        }
    }

    public static void main(String[] args) throws IOException {
        BenchReport report = new BenchReport(Path.of(args[0]));
        String markdown = report.render(Path.of(args[1]));
        Path out = Path.of(args[2]);
        String kept = kept(out);
        Files.writeString(out, markdown + "\n" + KEPT + "\n" + kept);
        System.out.print(markdown);
    }

    /** What follows {@link #KEPT} in {@code file}, or nothing when there is no such file or line. */
    static String kept(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String text = Files.readString(file);
        int at = text.indexOf(KEPT);
        return at < 0 ? "" : text.substring(at + KEPT.length()).replaceFirst("^\n", "");
    }

    private String render(Path jmhJson) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run.sh")
                .append(get("run.smoke").equals("true") ? " --smoke` (a smoke run: tiny sizes, figures mean nothing)"
                        : "`").append(" on ").append(get("run.date")).append(": the pipeline against ")
                .append("Kafka's own consumer, latency at a fixed rate, the scrape, recovery after a restart, and cost as ")
                .append("clusters grow.\n\n");
        md.append("## Machine\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(get("machine.cpu")).append(" |\n");
        md.append("| Cores | ").append(get("machine.cores")).append(" |\n");
        md.append("| Memory | ").append(get("machine.memory")).append(" |\n");
        md.append("| JDK | ").append(get("machine.jdk")).append(" |\n");
        md.append("| OS | ").append(get("machine.os")).append(" |\n");
        md.append("| Load average at start / end (1, 5, 15 min) | ").append(get("run.load.start")).append(" / ")
                .append(get("run.load.end")).append(" |\n");
        md.append("| Placement | ").append(get("run.placement")).append(" |\n\n");
        md.append("The machine is shared with other builds: a figure taken with a 1-minute load average above the ")
                .append("core count (").append(get("machine.cores")).append(") was taken under load and is marked ")
                .append("**(under load)**; it is slower than the machine can do, not faster.\n\n");

        md.append("## Fleet\n\n");
        md.append(String.format(Locale.ROOT, "%s clusters x %s nodes (%s pools each), %s minutes of SNAT samples per "
                        + "batch; one node in ten runs hot (a SnatPortsHigh warning fires). Samples are on "
                        + "`aks.lb-metrics` %s. Batch 0: %s records (profiles, inventories, %s samples), replayed at "
                        + "start; batches 1 to %s: %s records of %s samples each, drained live one at a time.%n%n",
                get("fleet.clusters"), get("fleet.nodes"), get("fleet.pools"), get("fleet.minutes"),
                formName(get("fleet.form")), grouped(get("load.b0.records")), grouped(get("load.b0.samples")),
                get("live.runs"), grouped(get("load.b1.records")), grouped(get("load.b1.samples"))));

        md.append("## Results\n\n");
        md.append("| # | Figure | Result | Target | Met | Load average (1, 5, 15 min) |\n");
        md.append("|---|---|---|---|---|---|\n");
        // Samples per record of the lb-metrics topic: the figures compare samples per second, whatever the form.
        double perRecord = number("load.b1.samples") / number("load.b1.records");
        double raw = number("raw.rate");
        row("1", "Raw consumer: Kafka's `ConsumerPerformance` on `aks.lb-metrics` (" + grouped(get("raw.records"))
                + " records; median of " + get("raw.runs") + " runs: " + get("raw.all") + ")",
                grouped(get("raw.rate")) + " records/s = " + grouped(String.valueOf(raw * perRecord)) + " samples/s",
                "the limit", "", get("raw.load"));
        double live = number("live.rate");
        row("2", "Pipeline, live: the service drains a backlog of " + grouped(get("live.records"))
                + " records end to end (parse, state, recompute, publish; median of " + get("live.runs") + " runs: "
                + get("live.all") + ")", grouped(get("live.rate")) + " records/s = "
                + grouped(String.valueOf(live * perRecord)) + " samples/s = " + percent(live / raw) + " of (1)",
                ">= 50 % of (1)", met(live / raw >= 0.5),
                get("live.load"));
        row("2b", "Pipeline, replay: silent rebuild of batch 0 at start (parse, state; nothing published)",
                grouped(get("replay.rate")) + " records/s = " + percent(number("replay.rate") / raw) + " of (1)",
                "(information)", "", get("replay.load"));
        row("3", "Latency, input record time -> alert / recommendation appended on the broker ("
                + get("latency.clock") + "), at " + grouped(get("latency.offered")) + " samples/s offered ("
                + grouped(get("latency.achieved")) + " achieved), " + grouped(get("latency.outputs"))
                + " outputs over " + get("latency.seconds") + " s",
                "p50 " + get("latency.all.p50") + " ms, p99 " + get("latency.all.p99") + " ms, p99.9 "
                        + get("latency.all.p999") + " ms, max " + get("latency.all.max") + " ms",
                "p99 < 50 ms", met(number("latency.all.p99") < 50), get("latency.load"));
        row("3b", "… of which alerts (" + grouped(get("latency.alerts")) + ")",
                "p50 " + get("latency.alert.p50") + " ms, p99 " + get("latency.alert.p99") + " ms, p99.9 "
                        + get("latency.alert.p999") + " ms", "p99 < 50 ms", met(number("latency.alert.p99") < 50),
                get("latency.load"));
        growthRows(jmhJson);
        for (String shape : results.stringPropertyNames().stream().filter(k -> k.matches("heap\\.[0-9x]+\\.perNode"))
                .sorted().toList()) {
            String key = shape.substring(0, shape.length() - ".perNode".length());
            String[] size = key.substring("heap.".length()).split("x");
            row("4c", "Heap per tracked node, " + grouped(size[0]) + " clusters x " + grouped(size[1])
                            + " nodes (retained after GC: profile, plan, nodes, backends, alerts, " + get("fleet.minutes")
                            + " minutes of samples)", grouped(get(shape)) + " bytes", "< 1 KiB",
                    met(number(shape) < 1024), get(key + ".load"));
        }
        // The service renders again only the clusters that changed since the last scrape: a quiet fleet is the cheap
        // case, so the target is judged on the scrape after a quarter of the fleet changed, when that was measured.
        boolean fed = results.containsKey("scrape.fed.p99");
        if (fed) {
            row("4d", "`GET /q/metrics` with " + grouped(get("scrape.clusters.known")) + " clusters loaded, "
                            + grouped(get("scrape.fed.changed"))
                            + " clusters given a new minute record before each request (a 15 s scrape interval of"
                            + " once-a-minute samples; sent and consumed outside the timing; "
                            + grouped(get("scrape.fed.count")) + " requests)",
                    "p50 " + get("scrape.fed.p50") + " ms, p99 " + get("scrape.fed.p99") + " ms, max "
                            + get("scrape.fed.max") + " ms", "< 100 ms", met(number("scrape.fed.p99") < 100),
                    get("scrape.fed.load"));
        }
        row(fed ? "4d-quiet" : "4d", "`GET /q/metrics` with " + grouped(get("scrape.clusters.known"))
                        + " clusters loaded"
                        + (fed ? ", nothing changed between requests" : "") + " ("
                        + grouped(get("scrape.metrics.count")) + " requests, " + grouped(get("scrape.metrics.bytes"))
                        + " bytes with headers, timed to the last byte)", "p50 " + get("scrape.metrics.p50") + " ms, p99 " + get("scrape.metrics.p99")
                        + " ms, max " + get("scrape.metrics.max") + " ms", fed ? "(information)" : "< 100 ms",
                fed ? "" : met(number("scrape.metrics.p99") < 100), get("scrape.metrics.load"));
        row("4e", "`GET /api/v1/clusters`, same fleet (" + grouped(get("scrape.clusters.bytes")) + " bytes)",
                "p50 " + get("scrape.clusters.p50") + " ms, p99 " + get("scrape.clusters.p99") + " ms",
                "(information)", "", get("scrape.clusters.load"));
        recoveryRows();
        rows.forEach(md::append);
        md.append("\n").append(Files.exists(Path.of("bench/NOTES.md")) ? "How each figure is taken, and what it "
                + "leaves out: [bench/NOTES.md](bench/NOTES.md).\n" : "");
        return md.toString();
    }

    /**
     * Per recovery shape: records replayed and seconds from assignment to live, at the first start (nothing committed)
     * and at a restart, beside Kafka's consumer reading the same input records. The target is judged on the issue's
     * fleet (1,000 x 20 nodes, 1 h, as the poller writes it) at the restart, which is what a restart or a takeover
     * meets: it restores the state snapshots its predecessor wrote and replays what came after them. A first start
     * (nothing committed, no snapshot) replays the window and is shown beside. The other shapes show the growth.
     */
    private void recoveryRows() {
        int shapes = (int) number("recovery.shapes");
        for (int i = 0; i < shapes; i++) {
            String key = "recovery.r" + i;
            String[] shape = get(key + ".shape").split(" ");
            if (shape.length != 4) {
                continue;
            }
            double rawSeconds = number(key + ".raw.ms") / 1000;
            double first = number(key + ".first.seconds");
            double restart = number(key + ".restart.seconds");
            String restored = get(key + ".restart.snapshots");
            boolean judged = shape[0].equals("1000") && shape[1].equals("20") && shape[2].equals("60")
                    && shape[3].equals("minute");
            row("5", "Recovery, " + grouped(shape[0]) + " clusters x " + grouped(shape[1]) + " nodes, " + shape[2]
                    + " min of samples " + formName(shape[3]) + ": " + grouped(get(key + ".first.records"))
                    + " records replayed, assignment to live (first start; the restart restored "
                    + grouped(restored) + " state snapshots and replayed "
                    + grouped(get(key + ".restart.records")) + "); Kafka's consumer on the same "
                    + grouped(get(key + ".records")) + " records: " + String.format(Locale.ROOT, "%.2f s", rawSeconds)
                    + " (median of " + get(key + ".raw.all") + ")",
                    String.format(Locale.ROOT, "restart: %.2f s = %.1fx the raw consumer (first start: %.2f s = %.1fx)",
                            restart, restart / rawSeconds, first, first / rawSeconds),
                    judged ? "restart <= 3x and < 15 s" : "(growth)",
                    judged ? met(restart <= 3 * rawSeconds && restart < 15) : "",
                    get(key + ".first.load") + "; " + get(key + ".restart.load"));
        }
    }

    private static String formName(String form) {
        return switch (form) {
            case "minute" -> "as one record per load balancer and minute";
            case "sample" -> "as one record per sample";
            default -> "(form " + form + ")";
        };
    }

    /**
     * JMH's time per event by node count: the median of sampled events (robust to the preemptions of a shared machine;
     * the target is judged on it) with the mean beside it, and the ratio of the largest cluster to the smallest.
     */
    private void growthRows(Path jmhJson) throws IOException {
        if (!Files.exists(jmhJson)) {
            row("4", "Per-event cost (JMH)", "not run", "", "", "");
            return;
        }
        JsonNode runs = new ObjectMapper().readTree(jmhJson.toFile());
        Map<String, TreeMap<Integer, double[]>> byMethod = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            String method = run.get("benchmark").asText().replaceFirst(".*\\.", "");
            int nodes = run.get("params").get("nodes").asInt();
            JsonNode metric = run.get("primaryMetric");
            JsonNode median = metric.path("scorePercentiles").path("50.0");
            double mean = metric.get("score").asDouble();
            byMethod.computeIfAbsent(method, m -> new TreeMap<>()).put(nodes,
                    new double[] {median.isNumber() ? median.asDouble() : mean, mean});
        }
        String load = get("jmh.load");
        byMethod.forEach((method, scores) -> {
            StringBuilder figure = new StringBuilder();
            scores.forEach((nodes, score) -> figure.append(figure.length() == 0 ? "" : "; ")
                    .append(String.format(Locale.ROOT, "%,d nodes: %,.0f (mean %,.0f)", nodes, score[0], score[1])));
            double ratio = scores.lastEntry().getValue()[0] / scores.firstEntry().getValue()[0];
            row("4", "Per-event cost, `ClusterMonitor." + method + "` steady state (JMH, ns per event, median of "
                    + "sampled events)", figure + "; largest / smallest = " + String.format(Locale.ROOT, "%.2fx",
                    ratio), "<= 2x", met(ratio <= 2), load);
        });
    }

    private void row(String number, String figure, String result, String target, String met, String load) {
        String loaded = underLoad(load) ? " **(under load)**" : "";
        rows.add("| " + number + " | " + figure + " | " + result + loaded + " | " + target + " | " + met + " | "
                + load + " |\n");
    }

    /** Under load when the 1-minute average anywhere in the figure's span exceeds the core count. */
    private boolean underLoad(String load) {
        double cores = number("machine.cores");
        for (String part : load.split("->|;")) {
            String[] figures = part.trim().split(" ");
            if (figures.length > 0 && !figures[0].isBlank() && !figures[0].equals("n/a")) {
                try {
                    if (Double.parseDouble(figures[0]) > cores) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    private String get(String key) {
        return results.getProperty(key, "n/a");
    }

    private double number(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String grouped(String number) {
        try {
            return String.format(Locale.ROOT, "%,d", Math.round(Double.parseDouble(number)));
        } catch (NumberFormatException e) {
            return number;
        }
    }
}
