package io.aksheadroom.bench;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.monitor.ClusterMonitor;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.monitor.Outcome;

import java.time.Instant;
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
 * The per-event cost of one cluster's monitor in the steady state, as the cluster grows: every node has a backend
 * with samples, one node in ten runs hot with its SnatPortsHigh warning firing. The pool count is the same (5) at
 * every size, so the node count is the only thing that changes.
 * <ul>
 * <li>{@code applySample}: the next sample of the next backend, round-robin, with unchanged use: nothing to
 * publish, the plan must not be recomputed. The sample is built inside the measurement (as the pipeline's parser
 * builds one per record): a constant share of the time at every size.</li>
 * <li>{@code applyNodeEvent}: a surge node joins, then leaves: each event changes a pool's node count, so the plan is
 * recomputed and its alerts reconciled.</li>
 * </ul>
 */
@State(Scope.Thread)
// Sampled, not averaged: on a shared machine the median of single events is robust to the preemptions that inflate
// an average; BENCHMARKS.md reports the median and the mean.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitorBenchmark {

    static final int POOLS = 5;
    private static final String CLUSTER = FleetData.clusterId(0);

    @Param({"10", "100", "1000", "5000"})
    public int nodes;

    private ClusterMonitor monitor;
    private Instant start;
    private long events;
    private NodeInfo surge;

    @Setup
    public void setUp() {
        monitor = new ClusterMonitor(CLUSTER, MonitorSettings.DEFAULTS, new CapacityPlanner());
        start = Instant.parse("2026-01-01T00:00:00Z");
        monitor.applyProfile(FleetData.profile(CLUSTER, POOLS, nodes), start);
        monitor.applyNodeEvent(FleetData.inventory(CLUSTER, start, nodes, POOLS));
        // Three rounds: hot backends reach the SnatPortsHigh streak and fire, as in the steady state measured.
        for (int i = 0; i < 3 * nodes; i++) {
            applySample();
        }
        if (monitor.firingAlerts().size() != nodes / 10 + (nodes % 10 > 3 ? 1 : 0)) {
            throw new IllegalStateException("not the steady state meant: " + monitor.firingAlerts().size()
                    + " alerts firing for " + nodes + " nodes");
        }
        surge = FleetData.node(nodes, POOLS);
    }

    @Benchmark
    public Outcome applySample() {
        long i = events++;
        int k = (int) (i % nodes);
        // One second of event time per round: every backend's sample is newer than its last.
        Instant at = start.plusSeconds(1 + i / nodes);
        return monitor.applySample(FleetData.sample(CLUSTER, at, k, POOLS, 0, 0L));
    }

    @Benchmark
    public Outcome applyNodeEvent() {
        long i = events++;
        Instant at = start.plusMillis(1 + i);
        return monitor.applyNodeEvent(i % 2 == 0 ? NodeEvent.added(CLUSTER, at, surge)
                : NodeEvent.removed(CLUSTER, at, surge));
    }
}
