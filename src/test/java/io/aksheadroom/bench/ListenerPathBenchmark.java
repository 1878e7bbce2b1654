package io.aksheadroom.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.Outcome;
import io.aksheadroom.support.WireJson;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * The listener's own work for one {@code aks.lb-metrics} record in the form the poller writes (one load balancer's
 * minute, every backend of the cluster): the streamed parse and the fleet's apply, as {@code bench/run.sh}'s fleet
 * has them (1,000 clusters of 20 nodes by default, a tenth of the nodes hot with their SnatPortsHigh warning firing),
 * cluster after cluster, minute after minute. Without Kafka, the messaging layer and the outputs' publishing: what is
 * left when those are taken out of the live drain's time per record. The records are written before the
 * measurement; each iteration starts on a fleet built again from the profiles and inventories, so every record's
 * samples are newer than the ones before.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class ListenerPathBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Param({"1000"})
    public int clusters;

    @Param({"20"})
    public int nodes;

    /** Minutes of records written per cluster: more than an iteration gets through. */
    @Param({"60"})
    public int minutes;

    private String[] records;
    private Fleet<Void> fleet;
    private int next;

    @Setup(Level.Trial)
    public void writeRecords() {
        int pools = FleetData.pools(nodes);
        records = new String[clusters * minutes];
        for (int m = 0; m < minutes; m++) {
            Instant at = T0.plus(m + 1, ChronoUnit.MINUTES);
            for (int c = 0; c < clusters; c++) {
                records[m * clusters + c] = WireJson.write(FleetData.minute(FleetData.clusterId(c), at, nodes, pools,
                        m, 0L));
            }
        }
    }

    @Setup(Level.Iteration)
    public void buildFleet() throws Exception {
        int pools = FleetData.pools(nodes);
        fleet = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
        for (int c = 0; c < clusters; c++) {
            String id = FleetData.clusterId(c);
            fleet.profile(id, 0, ProfileJson.parse(MAPPER.readTree(WireJson.write(FleetData.profile(id, pools,
                    nodes)))), T0);
            fleet.apply(0, EventJson.parseNodeEvent(MAPPER.readTree(WireJson.write(FleetData.inventory(id, T0, nodes,
                    pools)))), null, T0, false);
        }
        next = 0;
    }

    @Benchmark
    public Outcome parseAndApply() throws Exception {
        if (next == records.length) {
            throw new IllegalStateException("the iteration read all " + records.length + " records: write more minutes");
        }
        ClusterEvent event = EventJson.parseLbMetrics(MAPPER, records[next++]);
        return fleet.apply(0, event, null, T0, false);
    }
}
