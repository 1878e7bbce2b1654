package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Figures that must agree with each other on every profile: IP-5's headroom with IP-4's verdict, and SNAT-8's
 * recommendation with the IPs the cluster already has. A failure prints QuickTheories' seed ("Seed was ...");
 * {@code -DQT_SEED=<seed>} replays it.
 */
class HeadroomAgreementProperties {

    private static final int EXAMPLES = 500;
    private static final MaxSurge NO_SURGE = new MaxSurge(0, false);

    private final CapacityPlanner planner = new CapacityPlanner();

    /**
     * The first pool grown by its {@code additionalNodes} (surge included) passes IP-4 and the pod CIDR checks, one
     * node more does not. IP-5 measures growth from what the other pools hold now, IP-4 from what they hold at their
     * planned size, so the others are pinned at their current size without surge and static pod blocks (whose
     * addresses now and planned are the same); the first pool keeps its own allocation, dynamic included.
     */
    @Test
    void additionalNodesIsTheMostGrowthIp4Accepts() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(generated -> {
            List<AgentPool> pinned = new ArrayList<>();
            for (int i = 0; i < generated.pools().size(); i++) {
                AgentPool pool = generated.pools().get(i);
                pinned.add(i == 0 ? pool : Profiles.resized(pool, pool.currentNodes(), false, null, null, NO_SURGE,
                        PodIpAllocation.STATIC_BLOCK, null));
            }
            ClusterProfile profile = Profiles.withPools(generated, pinned);
            int additional = planner.plan(profile).pools().get(0).additionalNodes();
            List<String> atAdditional = refusals(grownBy(profile, additional));
            if (additional > 0) {
                assertEquals(List.of(), atAdditional, "+" + additional);
            }
            assertFalse(refusals(grownBy(profile, additional + 1)).isEmpty(), "+" + (additional + 1) + " fits too");
        });
    }

    @Test
    void neverFewerOutboundIpsThanTheClusterHas() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(profile -> {
            SnatFigures snat = planner.plan(profile).snat();
            if (snat.mode() != SnatMode.NOT_APPLICABLE) {
                assertTrue(snat.recommendedOutboundIps() >= snat.outboundIps(), snat.toString());
            }
        });
    }

    @Test
    void theManagedIpCommandSaysTheRecommendedCount() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(profile -> {
            Plan plan = planner.plan(profile);
            for (String action : plan.actions()) {
                if (action.contains("--load-balancer-managed-outbound-ip-count ")) {
                    assertTrue(action.contains("--load-balancer-managed-outbound-ip-count "
                            + plan.snat().recommendedOutboundIps() + " "), action + " vs " + plan.snat());
                }
            }
        });
    }

    /** The first pool fixed at its current size plus {@code more}, its surge kept; the others as they are. */
    private static ClusterProfile grownBy(ClusterProfile profile, int more) {
        List<AgentPool> pools = new ArrayList<>(profile.pools());
        AgentPool first = pools.get(0);
        pools.set(0, Profiles.resized(first, first.currentNodes() + more, false, null, null, null, null, null));
        return Profiles.withPools(profile, pools);
    }

    /** IP-4 in a subnet the first pool uses, IP-6 and IP-7. */
    private List<String> refusals(ClusterProfile profile) {
        AgentPool first = profile.pools().get(0);
        List<String> refused = new ArrayList<>();
        for (Finding finding : planner.plan(profile).findings()) {
            boolean ownSubnet = finding.subject().equals(first.nodeSubnetKey())
                    || finding.subject().equals(first.podSubnetId());
            if (finding.rule().equals("IP-4") && ownSubnet || finding.rule().equals("IP-6")
                    || finding.rule().equals("IP-7")) {
                refused.add(finding.rule() + ": " + finding.message());
            }
        }
        return refused;
    }
}
