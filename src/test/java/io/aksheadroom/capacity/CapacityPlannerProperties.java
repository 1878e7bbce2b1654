package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants that must hold for every profile Azure could hold, not only the tabled ones. */
class CapacityPlannerProperties {

    private static final String NODES = "/subscriptions/0/.../subnets/nodes";
    private static final String PODS = "/subscriptions/0/.../subnets/pods";
    private final CapacityPlanner planner = new CapacityPlanner();

    @Property(tries = 300)
    void usedPlusFreeIsUsable(@ForAll("profiles") ClusterProfile profile) {
        for (SubnetFigures subnet : planner.plan(profile).subnets()) {
            assertEquals(subnet.usable(), subnet.used() + subnet.free(), subnet.id());
            assertEquals(subnet.required() <= subnet.usable(), subnet.fits(), subnet.id());
        }
    }

    @Property(tries = 300)
    void additionalNodesIsTheLargestGrowthThatStillFits(@ForAll("profiles") ClusterProfile profile) {
        Plan plan = planner.plan(profile);
        for (int i = 0; i < profile.pools().size(); i++) {
            AgentPool pool = profile.pools().get(i);
            int additional = plan.pools().get(i).additionalNodes();
            if (additional > 0 || fitsWith(profile, i, 0)) {
                assertTrue(fitsWith(profile, i, additional), pool.name() + " +" + additional + " must fit");
            }
            assertFalse(fitsWith(profile, i, additional + 1), pool.name() + " +" + (additional + 1) + " must not fit");
        }
    }

    @Property(tries = 300)
    void theRecommendationFitsThePlannedCluster(@ForAll("profiles") ClusterProfile profile) {
        SnatFigures snat = planner.plan(profile).snat();
        if (snat.mode() == SnatMode.DEFAULT || snat.mode() == SnatMode.MANUAL) {
            long needed = (long) profile.plannedNodes() * snat.recommendedPortsPerNode();
            assertTrue(needed <= (long) snat.recommendedOutboundIps() * 64_000);
            assertEquals(0, snat.recommendedPortsPerNode() % 8);
        }
    }

    @Property(tries = 300)
    void manualMaxNodesMatchesTheOvercommitFinding(@ForAll("profiles") ClusterProfile profile) {
        Plan plan = planner.plan(profile);
        if (plan.snat().mode() == SnatMode.MANUAL) {
            assertEquals(profile.plannedNodes() > plan.snat().maxNodes(), plan.hasFinding("SNAT-6"));
        } else {
            assertFalse(plan.hasFinding("SNAT-6"));
        }
    }

    /**
     * IP-5 restated independently: grow pool {@code index} by {@code more} nodes (its surge at the new size
     * included) and check every subnet and the pod CIDR by recomputing the plan for that grown cluster.
     */
    private boolean fitsWith(ClusterProfile profile, int index, int more) {
        AgentPool pool = profile.pools().get(index);
        int grown = pool.currentNodes() + more;
        int surge = pool.maxSurge().surgeAt(grown);
        List<AgentPool> pools = new ArrayList<>();
        for (int i = 0; i < profile.pools().size(); i++) {
            AgentPool p = profile.pools().get(i);
            // The grown pool, surge nodes materialised as plain nodes, replaces the original; others stay as they are.
            pools.add(i == index ? p.withLiveNodes(grown + surge) : p);
        }
        ClusterProfile bigger = new ClusterProfile(profile.clusterId(), profile.name(), profile.resourceGroup(),
                profile.networkPlugin(), profile.overlay(), profile.podCidr(), profile.serviceCidr(),
                profile.dnsServiceIp(), profile.outboundType(), profile.loadBalancer(), profile.natGateway(), pools,
                profile.subnets(), profile.vnetAddressSpace(), profile.subnetConsumers(), profile.observed());
        Plan plan = planner.plan(bigger);
        for (SubnetFigures subnet : plan.subnets()) {
            if (subnet.pools().contains(pool.name()) && subnet.used() > subnet.usable()) {
                return false;
            }
        }
        PluginMode mode = profile.modeOf(pool);
        if (mode.carvesPodCidr()) {
            long capacity = Math.min(profile.effectivePodCidr().blocksOf(24), mode.nodeLimit());
            return bigger.currentNodes() <= capacity;
        }
        return true;
    }

    @Provide
    Arbitrary<ClusterProfile> profiles() {
        Arbitrary<NetworkPlugin> plugins = Arbitraries.of(NetworkPlugin.values());
        Arbitrary<Boolean> overlay = Arbitraries.of(true, false);
        Arbitrary<Integer> nodePrefix = Arbitraries.integers().between(18, 29);
        Arbitrary<Integer> podCidrPrefix = Arbitraries.integers().between(14, 24);
        Arbitrary<LoadBalancerProfile> lb = Combinators.combine(Arbitraries.integers().between(1, 100),
                Arbitraries.of(0, 0, 1024, 2400, 4000, 16000, 64000, 1500))
                .as((ips, ports) -> new LoadBalancerProfile(ips, null, List.of(), ports, null));
        Arbitrary<List<AgentPool>> pools = pool().list().ofMinSize(1).ofMaxSize(4).uniqueElements(AgentPool::name);
        Arbitrary<Integer> consumers = Arbitraries.integers().between(0, 20);
        Arbitrary<Integer> peak = Arbitraries.integers().between(0, 5000).injectNull(0.4);
        return Combinators.combine(plugins, overlay, nodePrefix, podCidrPrefix, lb, pools, consumers, peak)
                .as((plugin, isOverlay, prefix, podPrefix, loadBalancer, poolList, extra, demand) -> {
                    Map<String, Cidr> subnets = new LinkedHashMap<>();
                    subnets.put(NODES, new Cidr(0x0AF00000L, prefix));
                    subnets.put(PODS, Cidr.parse("10.128.0.0/16"));
                    boolean azure = plugin == NetworkPlugin.AZURE;
                    List<AgentPool> adjusted = poolList.stream()
                            .map(p -> azure && !isOverlay ? p : withoutPodSubnet(p)).toList();
                    return new ClusterProfile("c", "c", "rg", plugin, azure && isOverlay,
                            new Cidr(0xC0000000L & Cidr.mask(podPrefix), podPrefix), null, null,
                            OutboundType.LOAD_BALANCER, loadBalancer, null, adjusted, subnets, List.of(),
                            Map.of(NODES, extra), new Observed(demand, null, null));
                });
    }

    private static AgentPool withoutPodSubnet(AgentPool p) {
        return new AgentPool(p.name(), p.count(), p.maxPods(), p.autoscaling(), p.minCount(), p.maxCount(), p.maxSurge(),
                p.vnetSubnetId(), null, p.podIpAllocation(), p.liveNodes());
    }

    private Arbitrary<AgentPool> pool() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 300);
        Arbitrary<Integer> maxPods = Arbitraries.integers().between(10, 250);
        Arbitrary<Integer> extraMax = Arbitraries.integers().between(0, 200).injectNull(0.5);
        Arbitrary<MaxSurge> surge = Arbitraries.oneOf(Arbitraries.integers().between(0, 5).map(n -> new MaxSurge(n, false)),
                Arbitraries.integers().between(1, 100).map(n -> new MaxSurge(n, true)));
        Arbitrary<Boolean> podSubnet = Arbitraries.of(true, false);
        return Combinators.combine(names, counts, maxPods, extraMax, surge, podSubnet)
                .as((name, count, pods, extra, maxSurge, usesPods) -> new AgentPool(name, count, pods, extra != null,
                        extra == null ? null : 0, extra == null ? null : count + extra, maxSurge, NODES,
                        usesPods ? PODS : null, null, null));
    }
}
