package io.aksheadroom.dev;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.MaxSurge;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.capacity.SnatRules;
import io.aksheadroom.monitor.SnatSample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's story, one simulated minute per tick: an Azure CNI cluster in 10.240.0.0/16 with one outbound IP and
 * default allocation scales from 3 to 60 nodes while SNAT use climbs. Crossing 50 nodes halves every node's ports, so
 * alerts fire; at tick {@link #FIX_TICK} the operator applies the recommendation and they resolve; at
 * {@link #LENGTH} the story starts over. Plain Java, time passed in: the feed only publishes what this returns.
 */
public final class DemoStory {

    public static final String CLUSTER_ID = "demo-westeurope";
    static final String SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo-net/providers/"
            + "Microsoft.Network/virtualNetworks/demo-vnet/subnets/aks";
    static final String POOL = "nodepool1";
    static final int START_NODES = 3;
    static final int MAX_NODES = 60;
    static final int NODES_PER_TICK = 2;
    static final int FIX_TICK = 34;
    static final int LENGTH = 50;
    /**
     * The pool surges by one node, as a pool created before Kubernetes 1.27 does, and says so: 60 + 1 planned nodes at
     * 1,024 ports fit one IP, so it is demand that brings the second. With the 10% default of newer pools, 66 planned
     * nodes would need two IPs at any demand.
     */
    private static final MaxSurge SURGE = new MaxSurge(1, false);
    /** Demand stops growing here: above 683 ports (1,024 / 1.5) the recommendation needs a second outbound IP. */
    private static final long PLATEAU = 800;
    private static final long GROWTH_PER_TICK = 28;

    /** What one tick publishes. {@code profile} is null when the profile does not change at this tick. */
    public record Tick(Instant at, ClusterProfile profile, List<NodeEvent> nodeEvents, List<SnatSample> samples) {
    }

    private final Instant start;
    private final CapacityPlanner planner = new CapacityPlanner();
    private ClusterProfile current;
    private long peakUsed;

    public DemoStory(Instant start) {
        this.start = start;
    }

    public Tick tick(long n) {
        Instant at = start.plus(Duration.ofMinutes(n));
        int t = (int) (n % LENGTH);
        List<NodeEvent> nodeEvents = new ArrayList<>();
        ClusterProfile profile = null;
        if (t == 0) {
            current = profile(null, 0);
            profile = current;
            peakUsed = 0;
            nodeEvents.add(NodeEvent.inventory(CLUSTER_ID, at, nodes(START_NODES)));
        } else {
            int before = nodesAt(t - 1);
            for (int i = before; i < nodesAt(t); i++) {
                nodeEvents.add(NodeEvent.added(CLUSTER_ID, at, node(i)));
            }
        }
        if (t == FIX_TICK) {
            // The operator runs the recommended az aks update: what the planner says for the demand seen so far.
            Plan plan = planner.plan(current.withLiveNodes(Map.of(POOL, nodesAt(t)))
                    .withObserved(new Observed((int) peakUsed, 0L, null)));
            current = profile(plan.snat().recommendedOutboundIps(), plan.snat().recommendedPortsPerNode());
            profile = current;
        }
        if (t == 0) {
            // Samples wait a tick: across topics the consumer keeps no order, and a sample before its profile is
            // dead-lettered as an unknown cluster.
            return new Tick(at, profile, nodeEvents, List.of());
        }
        int nodes = nodesAt(t);
        LoadBalancerProfile lb = current.loadBalancer();
        int allocated = lb.manualAllocation() ? lb.allocatedOutboundPorts()
                : SnatRules.defaultPortsPerNode(nodes, lb.outboundIps());
        List<SnatSample> samples = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            long wanted = Math.min(PLATEAU, 120 + GROWTH_PER_TICK * t) + (i % 7) * 5L;
            long used = Math.min(wanted, allocated);
            peakUsed = Math.max(peakUsed, used);
            samples.add(new SnatSample(CLUSTER_ID, at, ip(i), Protocol.TCP, allocated, used, wanted - used));
        }
        return new Tick(at, profile, nodeEvents, samples);
    }

    static int nodesAt(int t) {
        return Math.min(MAX_NODES, START_NODES + NODES_PER_TICK * t);
    }

    private static ClusterProfile profile(Integer ips, int ports) {
        AgentPool pool = new AgentPool(POOL, START_NODES, 30, true, START_NODES, MAX_NODES, SURGE, SUBNET,
                null, null, null);
        return new ClusterProfile(CLUSTER_ID, "demo-aks", "demo-rg", NetworkPlugin.AZURE, false, null,
                Cidr.parse("10.0.0.0/16"), null, OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(ips == null ? 1 : ips, null, List.of(), ports, null), null, List.of(pool),
                Map.of(SUBNET, Cidr.parse("10.240.0.0/16")), List.of(Cidr.parse("10.240.0.0/12")), Map.of(), null);
    }

    private static List<NodeInfo> nodes(int count) {
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(node(i));
        }
        return nodes;
    }

    private static NodeInfo node(int i) {
        return new NodeInfo(String.format("aks-%s-%08d-vmss%06x", POOL, 12345678, i), POOL, ip(i), 30);
    }

    private static String ip(int i) {
        return "10.240." + (i / 250) + "." + (4 + i % 250);
    }
}
