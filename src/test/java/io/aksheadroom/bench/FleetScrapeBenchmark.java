package io.aksheadroom.bench;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.metrics.MetricsEndpoint;
import io.aksheadroom.metrics.FleetSeries;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
}
