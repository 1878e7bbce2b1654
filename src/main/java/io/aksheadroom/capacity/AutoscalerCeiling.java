package io.aksheadroom.capacity;

import java.util.List;

/**
 * CAP-1: the largest {@code maxCount} each pool can have, every other pool at its planned size and surge, before a
 * subnet (IP-4), the pod CIDR or the plugin's node limit (IP-6, IP-7), the outbound path (SNAT-6, SNAT-4's table) or
 * AKS's cluster limit would refuse the plan.
 *
 * <p>Every bound is one on the pool's nodes with their surge, {@code m + surgeAt(m)}, which never shrinks as {@code m}
 * grows; so the ceiling is the largest {@code m} within the tightest bound, found by a binary search over 0..1000 of
 * plain arithmetic, with no replanning.
 */
final class AutoscalerCeiling {

    /** AKS's node limit per pool. */
    static final int MAX_NODES_PER_POOL = 1000;
    /** AKS's node limit per cluster. */
    static final int MAX_NODES_PER_CLUSTER = 5000;

    private final long clusterNodeLimit;
    private final int plannedNodes;

    /** The cluster-wide bounds of {@code profile}: (b), (c) and (d) of CAP-1, on {@code N_plan}. */
    AutoscalerCeiling(ClusterProfile profile) {
        long limit = MAX_NODES_PER_CLUSTER;
        PluginMode mode = profile.pluginMode();
        if (mode.carvesPodCidr()) {
            limit = Math.min(limit, Math.min(profile.effectivePodCidr().blocksOf(AddressPlanner.POD_CIDR_BLOCK_PREFIX),
                    mode.nodeLimit()));
        }
        if (profile.outboundType() == OutboundType.LOAD_BALANCER) {
            LoadBalancerProfile lb = profile.loadBalancer();
            limit = Math.min(limit, lb.manualAllocation()
                    ? SnatRules.maxNodes(lb.outboundIps(), lb.allocatedOutboundPorts())
                    : SnatRules.LARGEST_DOCUMENTED_POOL);
        }
        this.clusterNodeLimit = limit;
        this.plannedNodes = profile.plannedNodes();
    }

    /**
     * The ceiling of {@code pool}, or null when even an empty pool breaks a bound (the rest of the profile already
     * does).
     *
     * @param subnetNodeRoom the most nodes, surge included, the pool's subnets leave it at the planned size of every
     *        other pool (IP-4); {@link Long#MAX_VALUE} when unbounded
     */
    Integer ceiling(AgentPool pool, long subnetNodeRoom) {
        long othersPlanned = plannedNodes - (long) pool.plannedNodesWithSurge();
        long room = Math.min(subnetNodeRoom, clusterNodeLimit - othersPlanned);
        if (room < 0) {
            return null;
        }
        MaxSurge surge = pool.maxSurge();
        int low = 0;
        int high = MAX_NODES_PER_POOL;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (middle + surge.surgeAt(middle) <= room) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /**
     * An autoscaling pool whose {@code maxCount} passes its ceiling: a CAP-1 warning naming the pool (the refusal
     * itself is the cluster-wide finding of the bound it breaks), and, as the alternative to more addresses or IPs,
     * the command that holds it to the ceiling. Nothing for a ceiling of 0, which no autoscaler range can express.
     */
    static void findingsAndActions(ClusterProfile profile, List<PoolFigures> figures, List<Finding> findings,
            List<String> actions) {
        for (int i = 0; i < figures.size(); i++) {
            AgentPool pool = profile.pools().get(i);
            Integer ceiling = figures.get(i).maxCountCeiling();
            if (!pool.autoscaling() || ceiling == null || ceiling < 1 || pool.maxCount() <= ceiling) {
                continue;
            }
            String command = "az aks nodepool update --resource-group " + profile.resourceGroupForCommands()
                    + " --cluster-name " + profile.name() + " --name " + pool.name()
                    + " --update-cluster-autoscaler --min-count " + Math.min(pool.minCount(), ceiling)
                    + " --max-count " + ceiling;
            findings.add(new Finding("CAP-1", Severity.WARNING, pool.name(), "Pool " + pool.name()
                    + " may autoscale to maxCount " + pool.maxCount() + ", past its ceiling of " + ceiling
                    + ": with the other pools at their planned size, the network refuses the scale-out beyond "
                    + ceiling + " nodes. Hold the autoscaler there: " + command));
            actions.add("Instead of more addresses or IPs, cap pool " + pool.name() + "'s autoscaler at its ceiling"
                    + " (maxCount " + pool.maxCount() + ", ceiling " + ceiling + "): " + command);
        }
    }
}
