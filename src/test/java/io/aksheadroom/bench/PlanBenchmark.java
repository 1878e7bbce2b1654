package io.aksheadroom.bench;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.MaxSurge;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * One plan for a cluster of {@code pools} pools and {@code nodes} nodes spread over them, every pool in its own /20
 * node subnet plus a shared pod subnet for half of them: the "100 pools and 5,000 nodes" and smaller shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanBenchmark {

    @Param({"1:10", "10:1000", "100:5000"})
    public String shape;

    private final CapacityPlanner planner = new CapacityPlanner();
    private ClusterProfile profile;

    @Setup
    public void setUp() {
        String[] parts = shape.split(":");
        profile = cluster(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @Benchmark
    public Plan plan() {
        return planner.plan(profile);
    }

    public static ClusterProfile cluster(int pools, int nodes) {
        Map<String, Cidr> subnets = new LinkedHashMap<>();
        String podSubnet = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/pods";
        subnets.put(podSubnet, Cidr.parse("10.128.0.0/10"));
        List<AgentPool> list = new ArrayList<>();
        for (int i = 0; i < pools; i++) {
            String subnet = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s" + i;
            subnets.put(subnet, new Cidr(0x0A000000L + ((long) i << 12), 20));
            int count = nodes / pools + (i < nodes % pools ? 1 : 0);
            list.add(new AgentPool("pool" + i, count, 30, true, 0, count + 10, MaxSurge.parse("10%"), subnet,
                    i % 2 == 0 ? podSubnet : null, null, null));
        }
        return new ClusterProfile("bench", "bench", "rg", NetworkPlugin.AZURE, false, null, Cidr.parse("172.16.0.0/16"),
                null, OutboundType.LOAD_BALANCER, new LoadBalancerProfile(10, null, List.of(), 4000, null), null, list,
                subnets, List.of(Cidr.parse("10.0.0.0/8")), Map.of(), new Observed(900, 0L, 40));
    }
}
