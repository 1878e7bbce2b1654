package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Figures that must agree with each other on every profile: IP-5's headroom with IP-4's verdict, and SNAT-8's
 * recommendation with the IPs the cluster already has. A failure prints QuickTheories' seed ("Seed was ...");
 * {@code -DQT_SEED=<seed>} replays it.
 */
class HeadroomAgreementProperties {

    private static final int EXAMPLES = 500;
    private static final MaxSurge NO_SURGE = new MaxSurge(0, false);
    /** "Add 3 IPs", "Add 1 public IP": IPs to add to those the cluster has. */
    private static final Pattern ADD_IPS = Pattern.compile("Add ([\\d,]+) (?:public )?IPs?\\b");
    /** "ports on 2 outbound IPs", "--load-balancer-managed-outbound-ip-count 2": the total the cluster should have. */
    private static final Pattern TOTAL_IPS = Pattern.compile(
            "(?:ports on ([\\d,]+) outbound IPs?\\b)|(?:--load-balancer-managed-outbound-ip-count ([\\d,]+))");

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

    /**
     * SNAT-8: past a load balancer's 100 outbound IPs the way out is a NAT gateway, so no finding and no action ever
     * asks for more than 100 in all (or for more than the cluster has, when its own prefixes already hold more).
     */
    @Test
    void noMessageAsksForMoreThanAHundredOutboundIps() {
        qt().withExamples(EXAMPLES).forAll(Profiles.profiles()).checkAssert(profile -> {
            Plan plan = planner.plan(profile);
            SnatFigures snat = plan.snat();
            if (snat.mode() != SnatMode.DEFAULT && snat.mode() != SnatMode.MANUAL) {
                return;
            }
            long limit = Math.max(LoadBalancerProfile.MAX_MANAGED_IPS, snat.outboundIps());
            Stream.concat(plan.findings().stream().map(Finding::message), plan.actions().stream()).forEach(text -> {
                for (Matcher add = ADD_IPS.matcher(text); add.find();) {
                    assertTrue(snat.outboundIps() + number(add.group(1)) <= limit, snat.outboundIps() + " IPs: " + text);
                }
                for (Matcher total = TOTAL_IPS.matcher(text); total.find();) {
                    String ips = total.group(1) != null ? total.group(1) : total.group(2);
                    assertTrue(number(ips) <= limit, text);
                }
            });
        });
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
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
