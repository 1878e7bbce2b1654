package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.Numbers.grouped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IP-1..10: what each subnet and the pod CIDR hold now, need at the planned size, and leave for growth; and the
 * subnets' part of each pool's autoscaler ceiling (CAP-1).
 */
final class AddressPlanner {

    static final int POD_CIDR_BLOCK_PREFIX = 24;
    private static final int POD_BATCH = 16;
    private static final int POD_BATCH_REFILL_BELOW = 8;

    record Result(List<SubnetFigures> subnets, List<PoolFigures> pools, PodCidrFigures podCidr) {
    }

    /** Addresses one pool's node takes from one subnet, now and at full pods. */
    private record Take(String subnetId, long perNodeNow, long perNodePlanned) {
    }

    Result plan(ClusterProfile profile, AutoscalerCeiling ceilings, List<Finding> findings) {
        List<AgentPool> pools = profile.pools();
        List<List<Take>> takesByPool = new ArrayList<>(pools.size());
        Map<String, long[]> usedAndRequired = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> poolsBySubnet = new LinkedHashMap<>();
        for (String id : profile.subnets().keySet()) {
            long consumers = profile.consumersOf(id);
            usedAndRequired.put(id, new long[] {consumers, consumers});
            poolsBySubnet.put(id, new java.util.LinkedHashSet<>());
        }
        for (AgentPool pool : pools) {
            List<Take> takes = takesOf(profile, pool);
            takesByPool.add(takes);
            for (Take take : takes) {
                long[] sums = usedAndRequired.get(take.subnetId());
                sums[0] += pool.currentNodes() * take.perNodeNow();
                sums[1] += (long) pool.plannedNodesWithSurge() * take.perNodePlanned();
                poolsBySubnet.get(take.subnetId()).add(pool.name());
            }
        }

        List<SubnetFigures> subnets = new ArrayList<>(usedAndRequired.size());
        Map<String, Long> freeBySubnet = new LinkedHashMap<>();
        Map<String, Long> spareBySubnet = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : usedAndRequired.entrySet()) {
            Cidr cidr = profile.subnets().get(entry.getKey());
            long usable = cidr.azureUsableAddresses();
            long used = entry.getValue()[0];
            long required = entry.getValue()[1];
            SubnetFigures figures = new SubnetFigures(entry.getKey(), cidr.toString(), usable, used, usable - used,
                    required, required <= usable, List.copyOf(poolsBySubnet.get(entry.getKey())),
                    profile.consumersOf(entry.getKey()));
            subnets.add(figures);
            freeBySubnet.put(entry.getKey(), usable - used);
            spareBySubnet.put(entry.getKey(), usable - required);
            if (!figures.fits()) {
                findings.add(new Finding("IP-4", Severity.CRITICAL, entry.getKey(), "Subnet " + shortName(entry.getKey())
                        + " (" + cidr + ", " + grouped(usable) + " usable) needs " + grouped(required)
                        + " addresses at the planned size (pools " + String.join(", ", figures.pools())
                        + ", surge included): scale-out or upgrade fails with SubnetIsFull. A /" + prefixFor(required)
                        + " fits; or lower maxPods or maxCount."));
            }
        }

        PodCidrFigures podCidr = podCidr(profile, findings);
        List<PoolFigures> poolFigures = new ArrayList<>(pools.size());
        int clusterCurrent = profile.currentNodes();
        for (int i = 0; i < pools.size(); i++) {
            AgentPool pool = pools.get(i);
            List<Take> takes = takesByPool.get(i);
            Take nodeTake = takes.get(0);
            Take podTake = takes.size() > 1 ? takes.get(1) : null;
            List<Take> perSubnet = perSubnet(takes);
            int additional = additionalNodes(profile, pool, perSubnet, freeBySubnet, clusterCurrent);
            Integer ceiling = ceilings.ceiling(pool, subnetNodeRoom(pool, perSubnet, spareBySubnet));
            poolFigures.add(new PoolFigures(pool.name(), profile.modeOf(pool).wireName(), pool.currentNodes(),
                    pool.plannedNodes(), pool.plannedSurge(), profile.maxPodsOf(pool), nodeTake.perNodeNow(),
                    podTake == null ? null : podTake.perNodeNow(), podTake == null ? null : podTake.perNodePlanned(),
                    additional, pool.autoscaling() ? pool.maxCount() : null, ceiling));
        }
        if (profile.networkPlugin() == NetworkPlugin.KUBENET) {
            findings.add(new Finding("IP-10", Severity.INFO, Finding.CLUSTER, "kubenet is retired on 2028-03-31 "
                    + "(Azure/AKS#4859): migrate to Azure CNI Overlay (az aks update --network-plugin azure "
                    + "--network-plugin-mode overlay)."));
        }
        return new Result(subnets, poolFigures, podCidr);
    }

    /** IP-2 and IP-8: the node subnet first, then the pod subnet when the pool has one. */
    private static List<Take> takesOf(ClusterProfile profile, AgentPool pool) {
        PluginMode mode = profile.modeOf(pool);
        int maxPods = profile.maxPodsOf(pool);
        long perNode = mode == PluginMode.CNI_NODE_SUBNET ? 1L + maxPods : 1L;
        Take node = new Take(pool.nodeSubnetKey(), perNode, perNode);
        if (mode != PluginMode.CNI_POD_SUBNET) {
            return List.of(node);
        }
        long now;
        long planned;
        if (pool.podIpAllocation() == PodIpAllocation.STATIC_BLOCK) {
            now = POD_BATCH * ceilDiv(maxPods + 1, POD_BATCH);
            planned = now;
        } else {
            planned = POD_BATCH * ceilDiv(maxPods, POD_BATCH);
            Integer pods = profile.observed().podsPerNode();
            now = pods == null ? POD_BATCH
                    : Math.min(POD_BATCH * ceilDiv(pods + POD_BATCH_REFILL_BELOW, POD_BATCH), planned);
        }
        return List.of(node, new Take(pool.podSubnetId(), now, planned));
    }

    /** IP-6 and IP-7, for the modes that hand each node a /24 of the pod CIDR. */
    private static PodCidrFigures podCidr(ClusterProfile profile, List<Finding> findings) {
        PluginMode mode = profile.pluginMode();
        if (!mode.carvesPodCidr()) {
            return null;
        }
        Cidr cidr = profile.effectivePodCidr();
        long capacity = cidr.blocksOf(POD_CIDR_BLOCK_PREFIX);
        int planned = profile.plannedNodes();
        int limit = mode.nodeLimit();
        String rule = mode.podCidrRule();
        if (planned > capacity) {
            long addressesNeeded = (long) planned << (32 - POD_CIDR_BLOCK_PREFIX);
            findings.add(new Finding(rule, Severity.CRITICAL, Finding.CLUSTER, grouped(planned)
                    + " planned nodes (surge included) need a /24 each of podCidr " + cidr + ": pre-allocated IPs "
                    + grouped(addressesNeeded) + " exceed the " + grouped(cidr.size()) + " available ("
                    + grouped(capacity) + " nodes). Use a /" + podCidrPrefixFor(planned) + " pod CIDR or fewer nodes."));
        }
        if (planned > limit) {
            findings.add(new Finding(rule, Severity.CRITICAL, Finding.CLUSTER, grouped(planned)
                    + " planned nodes exceed the " + grouped(limit) + "-node limit of " + mode.wireName()
                    + (mode == PluginMode.KUBENET ? " (400 routes per route table): move to Azure CNI Overlay."
                            : ".")));
        }
        return new PodCidrFigures(cidr.toString(), capacity, limit, profile.currentNodes(), planned,
                planned <= capacity && planned <= limit);
    }

    /**
     * CAP-1 (a): the most nodes, surge included, the pool can have before one of its subnets no longer holds the plan,
     * given what the other pools and consumers need there at their planned size ({@code usable - required} is spare,
     * and the pool's own planned share is handed back). Negative when the others alone overfill a subnet.
     */
    private static long subnetNodeRoom(AgentPool pool, List<Take> perSubnet, Map<String, Long> spareBySubnet) {
        long planned = pool.plannedNodesWithSurge();
        long room = Long.MAX_VALUE;
        for (Take take : perSubnet) {
            long available = spareBySubnet.get(take.subnetId()) + planned * take.perNodePlanned();
            room = Math.min(room, Math.floorDiv(available, take.perNodePlanned()));
        }
        return room;
    }

    /**
     * The pool's takes with one entry per subnet: a pod subnet that is also the node subnet adds both takes up. Runs
     * per pool on every plan, so the usual case (distinct subnets) hands the list back as it is.
     */
    private static List<Take> perSubnet(List<Take> takes) {
        if (takes.size() < 2 || !takes.get(0).subnetId().equals(takes.get(1).subnetId())) {
            return takes;
        }
        Take node = takes.get(0);
        Take pod = takes.get(1);
        return List.of(new Take(node.subnetId(), node.perNodeNow() + pod.perNodeNow(),
                node.perNodePlanned() + pod.perNodePlanned()));
    }

    /**
     * IP-5: the largest {@code k} such that the pool at {@code current + k} nodes plus its surge still fits every
     * subnet it uses (and the pod CIDR and node limit). All of its nodes count at their planned size, the ones it
     * has too: the addresses it holds now are handed back to the budget, so IP-5 never promises what IP-4 refuses.
     * Each bound grows with {@code k}, so binary search is exact.
     */
    private static int additionalNodes(ClusterProfile profile, AgentPool pool, List<Take> perSubnet,
            Map<String, Long> freeBySubnet, int clusterCurrent) {
        int current = pool.currentNodes();
        long[] budgets = new long[perSubnet.size()];
        long high = Integer.MAX_VALUE;
        for (int i = 0; i < budgets.length; i++) {
            Take take = perSubnet.get(i);
            budgets[i] = freeBySubnet.get(take.subnetId()) + current * take.perNodeNow();
            high = Math.min(high, Math.max(0, budgets[i] / take.perNodePlanned() - current));
        }
        PluginMode mode = profile.modeOf(pool);
        long podCidrNodes = mode.carvesPodCidr()
                ? Math.min(profile.effectivePodCidr().blocksOf(POD_CIDR_BLOCK_PREFIX), mode.nodeLimit())
                : Long.MAX_VALUE;
        long low = 0;
        if (!fits(pool, current, 0, perSubnet, budgets, clusterCurrent, podCidrNodes)) {
            return 0;
        }
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            if (fits(pool, current, middle, perSubnet, budgets, clusterCurrent, podCidrNodes)) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return (int) low;
    }

    /** @param budgets addresses the pool may hold in all in each of {@code perSubnet}'s subnets */
    private static boolean fits(AgentPool pool, int current, long more, List<Take> perSubnet, long[] budgets,
            int clusterCurrent, long podCidrNodes) {
        long nodes = current + more;
        long surge = pool.maxSurge().surgeAt((int) Math.min(nodes, Integer.MAX_VALUE));
        for (int i = 0; i < budgets.length; i++) {
            if ((nodes + surge) * perSubnet.get(i).perNodePlanned() > budgets[i]) {
                return false;
            }
        }
        return clusterCurrent + more + surge <= podCidrNodes;
    }

    /** The longest prefix whose usable addresses cover {@code addresses}. */
    static int prefixFor(long addresses) {
        int prefix = ClusterProfile.SMALLEST_SUBNET_PREFIX;
        while (prefix > 0 && (1L << (32 - prefix)) - 5 < addresses) {
            prefix--;
        }
        return prefix;
    }

    private static int podCidrPrefixFor(int nodes) {
        int prefix = POD_CIDR_BLOCK_PREFIX;
        while (prefix > 0 && (1L << (POD_CIDR_BLOCK_PREFIX - prefix)) < nodes) {
            prefix--;
        }
        return prefix;
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }

    private static String shortName(String subnetId) {
        int slash = subnetId.lastIndexOf('/');
        return slash >= 0 && slash < subnetId.length() - 1 ? subnetId.substring(slash + 1) : subnetId;
    }
}
