package io.aksheadroom.bench;

import io.aksheadroom.domain.ClusterView;
import io.aksheadroom.domain.Fleet;
import io.aksheadroom.metrics.FleetCollector;
import io.aksheadroom.metrics.FleetSeries;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

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
 * node with a SNAT sample, on the Micrometer Prometheus registry Quarkus serves; and its parts: the fleet snapshot,
 * the series computed from it. The issue's shape is 1,000 x 200.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class FleetScrapeBenchmark {

    @Param({"1000:200"})
    public String shape;

    private Fleet fleet;
    private PrometheusMeterRegistry registry;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        fleet = SyntheticFleet.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 2);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new FleetCollector(fleet, 20));
        String scrape = registry.scrape();
        long series = scrape.lines().filter(line -> !line.startsWith("#")).count();
        System.out.printf("%n%s: %,d series, %,d bytes per scrape%n", shape, series, scrape.length());
    }

    @Benchmark
    public List<ClusterView> view() {
        return fleet.view();
    }

    @Benchmark
    public List<FleetSeries.Family> series() {
        return FleetSeries.of(fleet.view(), 20);
    }

    @Benchmark
    public String scrape() {
        return registry.scrape();
    }
}
