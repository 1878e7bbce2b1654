package io.aksheadroom.bench;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.MaxSurge;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic fleet of the benchmarks, deterministic so every run and every harness phase sees the same clusters:
 * Azure CNI with a shared pod subnet (so a node takes one node-subnet address and any pool size fits), one /16 node
 * subnet per pool, and a load balancer with 1,024 ports per node and enough outbound IPs for every node. A healthy
 * cluster then has no plan alert; one node in ten runs hot (about 80 % of its ports, a firing SnatPortsHigh warning),
 * as in a fleet where some workloads are busy.
 */
public final class FleetData {

    public static final int PORTS_PER_NODE = 1024;
    static final String POD_SUBNET = subnetId("pods");
    static final String LOAD_BALANCER = "/subscriptions/0/resourceGroups/mc-bench/providers/Microsoft.Network/"
            + "loadBalancers/kubernetes";

    private FleetData() {
    }

    public static String clusterId(int cluster) {
        return String.format("aks-bench-%05d", cluster);
    }

    /** A cluster of {@code nodes} nodes spread round-robin over {@code pools} pools. */
    public static ClusterProfile profile(String clusterId, int pools, int nodes) {
        Map<String, Cidr> subnets = new LinkedHashMap<>();
        subnets.put(POD_SUBNET, Cidr.parse("10.128.0.0/10"));
        List<AgentPool> list = new ArrayList<>(pools);
        for (int i = 0; i < pools; i++) {
            String subnet = subnetId("nodes" + i);
            subnets.put(subnet, Cidr.parse("10." + (i + 1) + ".0.0/16"));
            int count = nodes / pools + (i < nodes % pools ? 1 : 0);
            list.add(new AgentPool(pool(i), count, 30, true, 0, count + 10, MaxSurge.parse("10%"), subnet,
                    POD_SUBNET, null, null));
        }
        // Enough IPs that 1,024 ports per node fits the nodes and the surge, up to the 100 managed IPs Azure allows.
        int ips = Math.min(LoadBalancerProfile.MAX_MANAGED_IPS,
                (int) Math.ceil(nodes * 1.2 * PORTS_PER_NODE / LoadBalancerProfile.PORTS_PER_IP) + 1);
        return new ClusterProfile(clusterId, clusterId, "rg-bench", NetworkPlugin.AZURE, false, null,
                Cidr.parse("172.16.0.0/16"), Ipv4.parse("172.16.0.10"), OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(ips, null, List.of(), PORTS_PER_NODE, null), null, list, subnets,
                List.of(Cidr.parse("10.0.0.0/8")), Map.of(), null);
    }

    /** Node {@code k} of a cluster with {@code pools} pools; at most 1,000 per pool keeps the IP inside its /16. */
    public static NodeInfo node(int k, int pools) {
        int pool = k % pools;
        int j = k / pools;
        return new NodeInfo(String.format("aks-%s-31415926-vmss%06x", pool(pool), j), pool(pool), ip(pool, j), 30);
    }

    public static List<NodeInfo> nodes(int count, int pools) {
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            nodes.add(node(k, pools));
        }
        return nodes;
    }

    public static NodeEvent inventory(String clusterId, Instant at, int nodes, int pools) {
        return NodeEvent.inventory(clusterId, at, nodes(nodes, pools));
    }

    public static boolean hot(int k) {
        return k % 10 == 3;
    }

    /**
     * Node {@code k}'s sample in minute {@code minute}: a cool node's use climbs slowly (so the busiest node's peak,
     * and with it the recommendation, moves now and then), a hot node stays just above the 75 % warning level.
     */
    public static SnatSample sample(String clusterId, Instant at, int k, int pools, long minute, long failed) {
        long used = hot(k) ? 780 + k % 7 : 150 + (k * 37L) % 300 + Math.min(minute, 200);
        NodeInfo node = node(k, pools);
        return new SnatSample(clusterId, at, node.ip(), Protocol.TCP, PORTS_PER_NODE, used, failed);
    }

    /** Every node's sample of minute {@code minute} as one load balancer's minute, as the metrics poller writes it. */
    public static LoadBalancerMinute minute(String clusterId, Instant at, int nodes, int pools, long minute,
            long failedOfHot) {
        List<SnatSample> samples = new ArrayList<>(nodes);
        for (int k = 0; k < nodes; k++) {
            samples.add(sample(clusterId, at, k, pools, minute, hot(k) ? failedOfHot : 0L));
        }
        return new LoadBalancerMinute(clusterId, at, LOAD_BALANCER, samples);
    }

    public static int pools(int nodes) {
        // AKS allows 1,000 nodes per pool; small clusters get two pools so pool bookkeeping is exercised.
        return Math.max(2, (nodes + 999) / 1000);
    }

    private static String pool(int i) {
        return "pool" + i;
    }

    private static String ip(int pool, int j) {
        return "10." + (pool + 1) + "." + (j / 250) + "." + (4 + j % 250);
    }

    private static String subnetId(String name) {
        return "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/" + name;
    }
}
