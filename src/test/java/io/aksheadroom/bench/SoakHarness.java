package io.aksheadroom.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measuring half of {@code bench/soak.sh}: the script runs broker and service, this sends the churning fleet at a
 * fixed rate for the given minutes and probes the service every 10 s (gauges, lag) and every minute (retained heap,
 * a full scrape), then drains and writes the table. It judges growth against the bounds and prints the
 * verdict beside each figure; it fails nothing (benchmarks report).
 *
 * <p>{@code java ... SoakHarness --bootstrap host:port --url http://... --pid N --minutes 30 --rate 5000 --out dir}
 */
public final class SoakHarness {

    private SoakHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "30"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "5000"));
        int population = Integer.parseInt(options.getOrDefault("population", "400"));
        int permanent = Integer.parseInt(options.getOrDefault("permanent", "20"));
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "10"));
        Duration lifetime = Duration.ofSeconds(Long.parseLong(options.getOrDefault("lifetime-s", "240")));
        int heapAt = Integer.parseInt(options.getOrDefault("heap-at-minute", "5"));
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);

        SoakWorkload workload = new SoakWorkload("soak", population, permanent, nodes, lifetime,
                System.currentTimeMillis());
        StringBuilder csv = new StringBuilder("minute,load1,sent,consumed,clusters,alerts,held,dead_lettered,lag,"
                + "heap_bytes,scrape_clusters,cluster_series,stale\n");
        String loadStart = PipelineHarness.loadAverage();
        SoakProbe.Heap heapAtMark = null;
        SoakRun.Point mark = null;
        try (SoakProbe probe = new SoakProbe(options.get("url"), Long.parseLong(options.get("pid")),
                options.get("bootstrap")); SoakRun run = new SoakRun(workload, probe, options.get("bootstrap"), rate)) {
            run.start();
            int nextMinute = 1;
            while (run.minutes() < minutes) {
                Thread.sleep(10_000);
                boolean heap = run.minutes() >= nextMinute;
                SoakRun.Point point = run.probe(heap, Duration.ofSeconds(30));
                if (heap) {
                    nextMinute = (int) Math.floor(point.minute()) + 1;
                    if (mark == null && point.minute() >= heapAt) {
                        mark = point;
                        heapAtMark = run.lastHeap();
                    }
                }
                csv.append(row(point));
                System.out.printf("[soak %5.1f min, load %s] sent %,d consumed %,.0f lag %,d clusters %.0f alerts %.0f "
                        + "held %.0f dead %.0f%s%n", point.minute(), point.load(), point.sent(), point.consumed(),
                        point.lag(), point.clusters(), point.alerts(), point.held(), point.deadLettered(),
                        heap ? String.format(" | heap %,d bytes, %d clusters in /q/metrics (%d series), stale %d",
                                point.heapBytes(), point.scrapeClusters(), point.clusterSeries(), point.stale()) : "");
            }
            SoakRun.Point end = run.drain(Duration.ofMinutes(3), Duration.ofSeconds(20));
            Map<String, Double> deadLetters = probe.deadLettersByReason();
            csv.append(row(end));
            Files.writeString(out.resolve("timeline.csv"), csv);
            if (heapAtMark != null) {
                Files.writeString(out.resolve("histogram-minute-" + heapAt + ".txt"), heapAtMark.top());
            }
            Files.writeString(out.resolve("histogram-end.txt"), run.lastHeap().top());
            String table = table(run, mark, end, deadLetters, minutes, rate, heapAt, loadStart, population, permanent,
                    nodes, lifetime);
            Files.writeString(out.resolve("soak.md"), table);
            System.out.print(table);
        }
    }

    private static long leastHeap(List<SoakRun.Point> points, double fromMinute, double toMinute) {
        return points.stream().filter(p -> p.heapBytes() > 0 && p.minute() >= fromMinute && p.minute() < toMinute)
                .mapToLong(SoakRun.Point::heapBytes).min().orElse(-1);
    }

    private static String row(SoakRun.Point p) {
        return String.format("%.2f,%s,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%d,%d,%d,%d,%d%n", p.minute(),
                p.load().split(" ")[0], p.sent(), p.consumed(), p.clusters(), p.alerts(), p.held(), p.deadLettered(),
                p.lag(), p.heapBytes(), p.scrapeClusters(), p.clusterSeries(), p.stale());
    }

    private static String table(SoakRun run, SoakRun.Point mark, SoakRun.Point end, Map<String, Double> deadLetters,
            int minutes, int rate,
            int heapAt, String loadStart, int population, int permanent, int nodes, Duration lifetime) {
        List<SoakRun.Point> points = run.points();
        List<SoakRun.Point> steady = points.stream().filter(p -> mark != null && p.minute() >= mark.minute()).toList();
        long lagMax = points.stream().mapToLong(SoakRun.Point::lag).max().orElse(-1);
        double clustersMax = steady.stream().mapToDouble(SoakRun.Point::clusters).max().orElse(-1);
        double clustersMin = steady.stream().mapToDouble(SoakRun.Point::clusters).min().orElse(-1);
        double alertsMin = steady.stream().mapToDouble(SoakRun.Point::alerts).min().orElse(-1);
        double alertsMax = steady.stream().mapToDouble(SoakRun.Point::alerts).max().orElse(-1);
        double heldMax = points.stream().mapToDouble(SoakRun.Point::held).max().orElse(-1);
        long seriesMin = steady.stream().filter(p -> p.clusterSeries() >= 0).mapToLong(SoakRun.Point::clusterSeries)
                .min().orElse(-1);
        long seriesMax = steady.stream().filter(p -> p.clusterSeries() >= 0).mapToLong(SoakRun.Point::clusterSeries)
                .max().orElse(-1);
        int staleMax = points.stream().mapToInt(SoakRun.Point::stale).max().orElse(-1);
        long heapMin = steady.stream().filter(p -> p.heapBytes() > 0).mapToLong(SoakRun.Point::heapBytes).min()
                .orElse(-1);
        long heapMax = steady.stream().filter(p -> p.heapBytes() > 0).mapToLong(SoakRun.Point::heapBytes).max()
                .orElse(-1);
        SoakWorkload workload = run.workload();
        long expectedAlive = workload.alive();
        // The least of the probes in a 3-minute window at each end: a single full-GC figure moves by about 2 MB (int[]
        // arrays alone, from one probe to the next) with what is in flight at that instant.
        long heapAtMark = leastHeap(points, heapAt, heapAt + 3);
        long heapAtEnd = leastHeap(points, minutes - 3, minutes + 1);
        double growth = 100.0 * (heapAtEnd - heapAtMark) / heapAtMark;
        long lost = run.sent() - run.failedSends() - Math.round(end.consumed());
        StringBuilder md = new StringBuilder();
        md.append(String.format("Soak: %d min at %,d records/s offered (%,.0f achieved; %,d sends more than 5 ms "
                + "late), %d clusters alive at once for %d s each plus %d permanent, %d nodes each; load average %s at the "
                + "start, %s at the end.%n%n", minutes, rate, run.achievedRate(), run.lateSends(), population,
                lifetime.toSeconds(), permanent, nodes, loadStart, end.load()));
        md.append("| figure | value | bound | met |\n|---|---|---|---|\n");
        md.append(String.format("| records sent (profiles, node events, samples in both forms, tombstones) | %,d (%s)"
                + " | | |%n", run.sent(), workload.sentByTopic()));
        md.append(String.format("| clusters born / tombstoned | %,d / %,d | | |%n", workload.born(),
                workload.tombstoned().size()));
        md.append(String.format("| retained heap after a full GC (`jcmd GC.class_histogram` total), least of the "
                + "probes of minutes %d-%d and of minutes %d-%d | %,d -> %,d bytes (%+.1f %%); every probe from "
                + "minute %d on: %,d to %,d; after the drain %,d | within 10 %% | %s |%n", heapAt, heapAt + 3, minutes - 3,
                minutes, heapAtMark, heapAtEnd, growth, heapAt, heapMin, heapMax, end.heapBytes(),
                Math.abs(growth) <= 10 ? "yes" : "**no**"));
        md.append(String.format("| clusters tracked (`%s`), from minute %d on | %.0f to %.0f; at the end %.0f (alive: "
                + "%d) | no growth | %s |%n", SoakProbe.CLUSTERS, heapAt, clustersMin, clustersMax, end.clusters(),
                expectedAlive, end.clusters() == expectedAlive && clustersMax <= expectedAlive + 1 ? "yes" : "**no**"));
        md.append(String.format("| alert book entries (`%s`), from minute %d on | %.0f to %.0f; at the end %.0f | "
                + "no growth | %s |%n", SoakProbe.ALERTS, heapAt, alertsMin, alertsMax, end.alerts(),
                end.alerts() <= alertsMax ? "yes" : "**no**"));
        md.append(String.format("| held events (`%s`) | max %.0f; at the end %.0f | none left | %s |%n", SoakProbe.HELD,
                heldMax, end.held(), end.held() == 0 ? "yes" : "**no**"));
        md.append(String.format("| series with a cluster label in `/q/metrics`, from minute %d on | %,d to %,d; at "
                + "the end %,d of %d clusters | no growth | %s |%n", heapAt, seriesMin, seriesMax, end.clusterSeries(),
                end.scrapeClusters(), end.clusterSeries() <= seriesMax ? "yes" : "**no**"));
        md.append(String.format("| tombstoned clusters still in `/q/metrics` (30 s after the tombstone; at the end: "
                + "any) | max %d; at the end %d | 0 | %s |%n", staleMax, end.stale(), staleMax == 0 && end.stale() == 0
                        ? "yes" : "**no**"));
        md.append(String.format("| consumer group lag (records past the committed marker) | max %,d (%.1f s of "
                + "input); at the end %,d | bounded | %s |%n", lagMax, lagMax / (double) rate, end.lag(),
                end.lag() == 0 ? "yes" : "**no**"));
        boolean onlyUnknown = deadLetters.keySet().equals(java.util.Set.of("unknown cluster"))
                || deadLetters.isEmpty();
        md.append(String.format("| dead-lettered, by reason | %s (late samples sent after their cluster's tombstone: "
                + "%d; any more are samples the tombstone overtook across topics) | all `unknown cluster`, at least "
                + "the late samples | %s |%n", deadLetters, workload.lateSamples(), onlyUnknown
                        && end.deadLettered() >= workload.lateSamples() ? "yes" : "**no**"));
        md.append(String.format("| lost (sent - consumed) | %,d (sends failed: %d) | 0 | %s |%n", lost,
                run.failedSends(), lost == 0 ? "yes" : "**no**"));
        return md.toString();
    }
}
