package io.aksheadroom.capacity;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * QuickTheories generators of cluster profiles Azure could hold: every plugin mode, the load balancer (managed, own
 * IPs, own prefixes; default and manual ports), NAT gateways and user-defined routing, one to four pools that may
 * autoscale, leave maxSurge out or state it as a count or a percentage, and use a dynamic or static pod subnet.
 * Drawn from the source one choice at a time, so QuickTheories can shrink a failure to a small profile.
 */
final class Profiles {

    private static final String VNET = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v";
    static final String NODES = VNET + "/subnets/nodes";
    static final String PODS = VNET + "/subnets/pods";

    private Profiles() {
    }

    static Gen<ClusterProfile> profiles() {
        return Profiles::profile;
    }

    private static ClusterProfile profile(RandomnessSource in) {
        int plugin = range(0, 4).generate(in);
        NetworkPlugin networkPlugin = plugin == 3 ? NetworkPlugin.KUBENET
                : plugin == 4 ? NetworkPlugin.NONE : NetworkPlugin.AZURE;
        boolean overlay = plugin == 1;
        boolean podSubnets = plugin == 2;
        Cidr podCidr = booleans().generate(in) ? null : cidr(0xC0000000L, range(14, 24).generate(in));
        Map<String, Cidr> subnets = new LinkedHashMap<>();
        subnets.put(NODES, cidr(0x0AF00000L, range(18, 28).generate(in)));
        subnets.put(PODS, cidr(0x0A800000L, range(16, 24).generate(in)));
        List<AgentPool> pools = new ArrayList<>();
        int poolCount = range(1, 4).generate(in);
        for (int i = 0; i < poolCount; i++) {
            pools.add(pool(in, "pool" + i, podSubnets));
        }
        int outbound = range(0, 5).generate(in);
        OutboundType type = outbound == 4 ? OutboundType.MANAGED_NAT_GATEWAY
                : outbound == 5 ? OutboundType.USER_DEFINED_ROUTING : OutboundType.LOAD_BALANCER;
        int ports = pick(List.of(0, 0, 0, 8, 1024, 1500, 2400, 4000, 16000, 64000)).generate(in);
        LoadBalancerProfile lb = switch (outbound) {
            case 1 -> new LoadBalancerProfile(null, range(1, 5).generate(in), List.of(), ports, null);
            case 2 -> new LoadBalancerProfile(null, null, List.of(range(26, 31).generate(in)), ports, null);
            default -> new LoadBalancerProfile(range(1, 100).generate(in), null, List.of(), ports, null);
        };
        NatGatewayProfile nat = new NatGatewayProfile(range(1, 16).generate(in), null);
        Integer demand = booleans().generate(in) ? null : range(0, 5000).generate(in);
        Integer podsPerNode = booleans().generate(in) ? null : range(0, 250).generate(in);
        int consumers = range(0, 20).generate(in);
        return new ClusterProfile("c", "c", "rg", networkPlugin, overlay, podCidr, null, null, type, lb, nat, pools,
                subnets, List.of(), Map.of(NODES, consumers), new Observed(demand, null, podsPerNode));
    }

    private static AgentPool pool(RandomnessSource in, String name, boolean podSubnets) {
        int count = range(0, 300).generate(in);
        int maxPods = range(10, 250).generate(in);
        boolean autoscaling = booleans().generate(in);
        Integer minCount = autoscaling ? range(0, count).generate(in) : null;
        Integer maxCount = autoscaling ? count + range(0, 200).generate(in) : null;
        MaxSurge surge = switch (range(0, 2).generate(in)) {
            case 0 -> null;
            case 1 -> new MaxSurge(range(0, 12).generate(in), false);
            default -> new MaxSurge(range(0, 100).generate(in), true);
        };
        boolean usesPodSubnet = podSubnets && booleans().generate(in);
        PodIpAllocation allocation = booleans().generate(in) ? PodIpAllocation.DYNAMIC_INDIVIDUAL
                : PodIpAllocation.STATIC_BLOCK;
        // Live nodes differ from count while the autoscaler or an upgrade moves the pool.
        Integer live = booleans().generate(in) ? null : range(0, count + 20).generate(in);
        return new AgentPool(name, count, maxPods, autoscaling, minCount, maxCount, surge, NODES,
                usesPodSubnet ? PODS : null, allocation, live);
    }

    private static Cidr cidr(long base, int prefix) {
        return new Cidr(base & Cidr.mask(prefix), prefix);
    }

    /** The same cluster with other pools. */
    static ClusterProfile withPools(ClusterProfile profile, List<AgentPool> pools) {
        return new ClusterProfile(profile.clusterId(), profile.name(), profile.resourceGroup(),
                profile.networkPlugin(), profile.overlay(), profile.podCidr(), profile.serviceCidr(),
                profile.dnsServiceIp(), profile.outboundType(), profile.loadBalancer(), profile.natGateway(), pools,
                profile.subnets(), profile.vnetAddressSpace(), profile.subnetConsumers(), profile.observed());
    }

    /** {@code pool} with other sizes, its subnets, pod allocation and surge kept unless given. */
    static AgentPool resized(AgentPool pool, int count, boolean autoscaling, Integer minCount, Integer maxCount,
            MaxSurge surge, PodIpAllocation allocation, Integer live) {
        return new AgentPool(pool.name(), count, pool.maxPods(), autoscaling, minCount, maxCount,
                surge != null ? surge : pool.maxSurge(), pool.vnetSubnetId(), pool.podSubnetId(),
                allocation != null ? allocation : pool.podIpAllocation(), live);
    }
}
