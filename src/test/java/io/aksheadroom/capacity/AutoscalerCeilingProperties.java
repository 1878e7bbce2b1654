package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * CAP-1 checked against the planner's own findings, never against its arithmetic: with a pool's {@code maxCount} at
 * its ceiling nothing refuses the plan, one node more and something does. A failure prints QuickTheories' seed
 * ("Seed was ..."); {@code -DQT_SEED=<seed>} replays it.
 */
class AutoscalerCeilingProperties {

    private static final int EXAMPLES = 500;

    private final CapacityPlanner planner = new CapacityPlanner();

    @Test
    void atTheCeilingNothingRefusesThePlanAndOneNodeMoreSomethingDoes() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(profile -> {
            Plan plan = planner.plan(profile);
            for (int i = 0; i < profile.pools().size(); i++) {
                Integer ceiling = plan.pools().get(i).maxCountCeiling();
                String pool = profile.pools().get(i).name();
                if (ceiling == null) {
                    assertFalse(refusals(atMaxCount(profile, i, 0), i).isEmpty(),
                            pool + ": a null ceiling means even an empty pool is refused");
                    continue;
                }
                assertTrue(ceiling >= 0 && ceiling <= AutoscalerCeiling.MAX_NODES_PER_POOL, pool + ": " + ceiling);
                assertEquals(List.of(), refusals(atMaxCount(profile, i, ceiling), i),
                        pool + " at its ceiling " + ceiling);
                if (ceiling < AutoscalerCeiling.MAX_NODES_PER_POOL) {
                    assertFalse(refusals(atMaxCount(profile, i, ceiling + 1), i).isEmpty(),
                            pool + " at " + (ceiling + 1) + ", one past its ceiling");
                }
            }
        });
    }

    @Test
    void anAutoscalerPastItsCeilingIsWarnedOfAndOfferedExactlyTheCeiling() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(profile -> {
            Plan plan = planner.plan(profile);
            for (int i = 0; i < profile.pools().size(); i++) {
                AgentPool pool = profile.pools().get(i);
                Integer ceiling = plan.pools().get(i).maxCountCeiling();
                String flag = "--name " + pool.name() + " --update-cluster-autoscaler";
                List<String> offers = plan.actions().stream().filter(action -> action.contains(flag)).toList();
                boolean expected = pool.autoscaling() && ceiling != null && ceiling >= 1 && pool.maxCount() > ceiling;
                assertEquals(expected ? 1 : 0, offers.size(), pool.name() + " " + plan.actions());
                List<Finding> warnings = plan.findings().stream()
                        .filter(f -> f.rule().equals("CAP-1") && f.subject().equals(pool.name())).toList();
                assertEquals(expected ? 1 : 0, warnings.size(), pool.name() + " " + plan.findings());
                if (expected) {
                    assertTrue(offers.get(0).endsWith(" --max-count " + ceiling), offers.get(0));
                    assertEquals(Severity.WARNING, warnings.get(0).severity());
                    assertTrue(warnings.get(0).message().endsWith(" --max-count " + ceiling), warnings.get(0).message());
                }
            }
        });
    }

    /** The profile with pool {@code index} autoscaling up to {@code maxCount}; its surge and live nodes kept. */
    private static ClusterProfile atMaxCount(ClusterProfile profile, int index, int maxCount) {
        List<AgentPool> pools = new ArrayList<>(profile.pools());
        AgentPool pool = pools.get(index);
        pools.set(index, Profiles.resized(pool, Math.min(pool.count(), maxCount), true, 0, maxCount, null, null,
                pool.liveNodes()));
        return Profiles.withPools(profile, pools);
    }

    /**
     * What refuses the plan for pool {@code index}: IP-4 in a subnet it uses, IP-6 or IP-7, SNAT-6, the SNAT-4
     * warning past the default allocation table, or AKS's cluster limit.
     */
    private List<String> refusals(ClusterProfile profile, int index) {
        AgentPool pool = profile.pools().get(index);
        Plan plan = planner.plan(profile);
        List<String> refused = new ArrayList<>();
        for (Finding finding : plan.findings()) {
            boolean ownSubnet = finding.subject().equals(pool.nodeSubnetKey())
                    || finding.subject().equals(pool.podSubnetId());
            if (finding.rule().equals("IP-4") && ownSubnet || finding.rule().equals("IP-6")
                    || finding.rule().equals("IP-7") || finding.rule().equals("SNAT-6")
                    || finding.rule().equals("SNAT-4") && finding.severity() == Severity.WARNING) {
                refused.add(finding.rule() + ": " + finding.message());
            }
        }
        if (plan.plannedNodes() > AutoscalerCeiling.MAX_NODES_PER_CLUSTER) {
            refused.add(plan.plannedNodes() + " planned nodes");
        }
        return refused;
    }
}
