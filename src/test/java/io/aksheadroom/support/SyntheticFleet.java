package io.aksheadroom.support;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet of look-alike clusters fed through the real {@link Fleet} as the pipeline would: a profile, a node
 * inventory and one SNAT sample per node. Each cluster: Azure CNI in one /16, {@code pools} pools sharing the nodes,
 * 4 managed outbound IPs at 1,024 ports per node (so up to 250 nodes), node {@code i} using a different share of its
 * ports. For metrics tests and the scrape benchmark.
 */
public final class SyntheticFleet {

    public static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");
    public static final int PORTS = 1024;
    private static final String SUBNET = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/"
            + "virtualNetworks/vnet/subnets/aks";

    private SyntheticFleet() {
    }

    public static Fleet<Void> of(int clusters, int nodesPerCluster, int pools) {
        Fleet<Void> fleet = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
        for (int c = 0; c < clusters; c++) {
            add(fleet, clusterId(c), c, nodesPerCluster, pools);
        }
        return fleet;
    }

    public static String clusterId(int c) {
        return String.format("cluster-%04d", c);
    }

    /** Adds one cluster on input partition {@code partition}. */
    public static void add(Fleet<Void> fleet, String clusterId, int partition, int nodes, int pools) {
        fleet.profile(clusterId, partition, profile(clusterId, nodes, pools), AT);
        List<NodeInfo> inventory = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            inventory.add(node(i, pools));
        }
        fleet.apply(partition, NodeEvent.inventory(clusterId, AT, inventory), null, AT, false);
        for (int i = 0; i < nodes; i++) {
            fleet.apply(partition, new SnatSample(clusterId, AT.plusSeconds(60), ip(i), Protocol.TCP, PORTS,
                    used(i), 0L), null, AT, false);
        }
    }

    /** Used ports of node {@code i}: spread over 0..1023 so that rankings and percentiles have something to sort. */
    public static long used(int i) {
        return (i * 389L) % PORTS;
    }

    public static String poolName(int p) {
        return "pool" + (p + 1);
    }

    public static String ip(int i) {
        return "10.240." + (i / 250) + "." + (4 + i % 250);
    }

    /** Node {@code i} of a cluster of {@code pools} pools, as {@link #add} makes it. */
    public static NodeInfo node(int i, int pools) {
        String pool = poolName(i % pools);
        return new NodeInfo(String.format("aks-%s-00000000-vmss%06x", pool, i), pool, ip(i), 30);
    }

    private static ClusterProfile profile(String clusterId, int nodes, int pools) {
        List<AgentPool> agentPools = new ArrayList<>(pools);
        for (int p = 0; p < pools; p++) {
            int count = nodes / pools + (p < nodes % pools ? 1 : 0);
            agentPools.add(new AgentPool(poolName(p), count, 30, false, null, null, null, SUBNET, null, null, null));
        }
        return new ClusterProfile(clusterId, clusterId, "rg", NetworkPlugin.AZURE, false, null,
                Cidr.parse("10.0.0.0/16"), null, OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(4, null, List.of(), PORTS, null), null, agentPools,
                Map.of(SUBNET, Cidr.parse("10.240.0.0/16")), List.of(Cidr.parse("10.240.0.0/12")), Map.of(), null);
    }
}
