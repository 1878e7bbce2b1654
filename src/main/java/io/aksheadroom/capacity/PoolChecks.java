package io.aksheadroom.capacity;

import java.util.List;

/** Rules about one pool's own settings: SURGE-1 (the surge the plan assumed) and IP-11 (room for 30 pods). */
final class PoolChecks {

    /** IP-11: the fewest pods a pool must have room for when its maxPods is lower. */
    static final int MIN_PODS_PER_POOL = 30;

    void check(ClusterProfile profile, List<Finding> findings) {
        for (AgentPool pool : profile.pools()) {
            if (!pool.maxSurge().stated()) {
                int nodes = pool.plannedNodes();
                findings.add(new Finding("SURGE-1", Severity.INFO, pool.name(), "Pool " + pool.name() + " leaves "
                        + "upgradeSettings.maxSurge out: planned with the API's default of " + MaxSurge.DEFAULT
                        + " (" + pool.plannedSurge() + " surge node" + (pool.plannedSurge() == 1 ? "" : "s") + " at "
                        + nodes + " nodes). A pool created before Kubernetes 1.27 may still surge by 1; say which "
                        + "applies: az aks nodepool update --resource-group " + profile.resourceGroupForCommands()
                        + " --cluster-name " + profile.name() + " --name " + pool.name() + " --max-surge "
                        + MaxSurge.DEFAULT));
            }
            int maxPods = profile.maxPodsOf(pool);
            int floorNodes = floorNodes(pool);
            if (floorNodes > 0 && (long) floorNodes * maxPods < MIN_PODS_PER_POOL) {
                int nodesNeeded = (MIN_PODS_PER_POOL + maxPods - 1) / maxPods;
                int podsNeeded = (MIN_PODS_PER_POOL + floorNodes - 1) / floorNodes;
                findings.add(new Finding("IP-11", Severity.CRITICAL, pool.name(), "Pool " + pool.name() + " has room "
                        + "for " + floorNodes * maxPods + " pods (" + floorNodes
                        + (pool.autoscaling() ? " minimum" : "") + " node" + (floorNodes == 1 ? "" : "s")
                        + " x maxPods " + maxPods + "): with maxPods under "
                        + MIN_PODS_PER_POOL + ", AKS requires room for " + MIN_PODS_PER_POOL + " pods in the pool. "
                        + "Use " + nodesNeeded + (pool.autoscaling() ? " as minCount" : " nodes") + " or maxPods "
                        + podsNeeded + "."));
            }
        }
    }

    /**
     * The fewest nodes the pool can run with: {@code minCount} when autoscaling, else {@code count}. A pool that may be
     * empty (0) places no pods and is not held to IP-11.
     */
    static int floorNodes(AgentPool pool) {
        if (pool.autoscaling()) {
            return pool.minCount() != null ? pool.minCount() : 0;
        }
        return pool.count();
    }
}
