package io.aksheadroom.bench;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.metrics.FleetExposition;
import io.aksheadroom.metrics.MetricsEndpoint;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.metrics.FleetSeries;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scrape of {@code /q/metrics} for a fleet of {@code clusters} clusters of {@code nodes} nodes in 2 pools, each
 * node with a SNAT sample, as {@link MetricsEndpoint} renders it (Micrometer's meters, then the fleet); and its parts:
 * the fleet snapshot, the series computed from it. {@code clientWriter} is the way before it, kept for comparison: the
 * fleet as a collector on Micrometer's registry, written by the Prometheus client's text writer. The harness's shape
 * is 1,000 x 20 (bench/run.sh), the fleet metrics tests' largest 1,000 x 200.
 *
 * <p>The fleet's part alone, three ways: {@code fleetRenderedWhole} renders every cluster, as every scrape did before
 * each cluster's lines were kept; {@code fleetQuarterChanged} a scrape after a quarter of the clusters took a sample
 * (a cluster samples once a minute, Prometheus scrapes every 15 s); {@code fleetUnchanged} a scrape of a quiet fleet.
 * {@code scrape} scrapes a fleet that does not change, so it is the quiet case plus Micrometer's meters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class FleetScrapeBenchmark {

    @Param({"1000:20", "1000:200"})
    public String shape;

    private Fleet<Void> fleet;
    private MetricsEndpoint endpoint;
    private PrometheusMeterRegistry clientRegistry;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        fleet = SyntheticFleet.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 2);
        endpoint = new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), fleet, new MetricsConfig() {
            @Override
            public int topNodes() {
                return 20;
            }

            @Override
            public int gzipLevel() {
                return 0;
            }
        });
        String scrape = endpoint.render(null);
        long series = scrape.lines().filter(line -> !line.startsWith("#")).count();
        System.out.printf("%n%s: %,d series, %,d bytes per scrape%n", shape, series, scrape.length());
        clientRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        clientRegistry.getPrometheusRegistry().register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                List<MetricFamilySamples> out = new ArrayList<>();
                for (FleetSeries.Family family : FleetSeries.of(fleet.view(), 20)) {
                    FleetSeries.Metric metric = family.metric();
                    out.add(new MetricFamilySamples(metric.name(), Type.GAUGE, metric.help(), family.samples()
                            .stream().map(s -> new MetricFamilySamples.Sample(metric.name(), metric.labelNames(),
                                    s.labelValues(), s.value())).toList()));
                }
                return out;
            }
        });
    }

    @Benchmark
    public List<ClusterView> view() {
        return fleet.view();
    }

    @Benchmark
    public List<FleetSeries.Family> series() {
        return FleetSeries.of(fleet.view(), 20);
    }

    /** What the endpoint does per scrape: every piece as the bytes it sends. */
    @Benchmark
    public long scrape() {
        long[] bytes = {0};
        endpoint.write(null, piece -> {
            bytes[0] += piece.readableBytes();
            piece.release();
        });
        return bytes[0];
    }

    @Benchmark
    public String clientWriter() {
        return clientRegistry.scrape();
    }

    @Benchmark
    public long fleetRenderedWhole(Fleets fleets) {
        return bytes(fleets.uncached);
    }

    @Benchmark
    public long fleetUnchanged(Fleets fleets) {
        return bytes(fleets.cached);
    }

    @Benchmark
    public long fleetQuarterChanged(QuarterChanged changing) {
        return bytes(changing.fleets.cached);
    }

    private static long bytes(FleetExposition exposition) {
        long[] bytes = {0};
        exposition.writeTo(name -> true, piece -> {
            bytes[0] += piece.readableBytes();
            piece.release();
        });
        return bytes[0];
    }

    /** A fleet of its own, with the exposition that keeps each cluster's lines and the one that renders them all. */
    @State(Scope.Benchmark)
    public static class Fleets {
        @Param({"1000:20", "1000:200"})
        public String shape;

        Fleet<Void> fleet;
        int clusters;
        FleetExposition cached;
        FleetExposition uncached;

        @Setup
        public void setUp() {
            String[] parts = shape.split(":");
            clusters = Integer.parseInt(parts[0]);
            fleet = SyntheticFleet.of(clusters, Integer.parseInt(parts[1]), 2);
            cached = new FleetExposition(fleet, 20, PooledByteBufAllocator.DEFAULT);
            uncached = FleetExposition.uncached(fleet, 20, PooledByteBufAllocator.DEFAULT);
            bytes(cached);
        }
    }

    /** Before each scrape, the next quarter of the clusters (in turn) takes a sample of one backend. */
    @State(Scope.Benchmark)
    public static class QuarterChanged {
        final Fleets fleets = new Fleets();
        private int next;
        private Instant at = SyntheticFleet.AT.plusSeconds(120);

        @Param({"1000:20", "1000:200"})
        public String shape;

        @Setup(Level.Trial)
        public void setUp() {
            fleets.shape = shape;
            fleets.setUp();
        }

        @Setup(Level.Invocation)
        public void change() {
            at = at.plusSeconds(1);
            for (int i = 0; i < fleets.clusters / 4; i++) {
                int c = next;
                next = (next + 1) % fleets.clusters;
                fleets.fleet.apply(c, new SnatSample(SyntheticFleet.clusterId(c), at, SyntheticFleet.ip(0),
                        Protocol.TCP, SyntheticFleet.PORTS, at.getEpochSecond() % SyntheticFleet.PORTS, 0L), null,
                        at, false);
            }
        }
    }
}
