package io.aksheadroom.actuator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;
import io.aksheadroom.support.ProfileBuilder;

/**
 * Whatever the cluster and the recommendation, a write the actuator chooses only raises managed IPs or manual ports,
 * by at most the step, keeps the outbound type and the user's own IPs, and passes the engine at planned nodes.
 */
class ActuatorPropertiesTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    /** One drawn case: a cluster as Azure shows it, what the plan asks, and the step. */
    record Drawn(ClusterProfile profile, Recommendation wanted, int step, Mode mode) {
    }

    @Test
    void everyChosenWriteOnlyRaisesWithinTheStepAndPassesTheEngine() {
        Coverage outcomes = Coverage.ofOneRun();
        CapacityPlanner planner = new CapacityPlanner();
        qt().withFixedSeed(outcomes.seed()).withExamples(2000)
                .forAll(Generators.longs(Long.MIN_VALUE, Long.MAX_VALUE).map(ActuatorPropertiesTest::draw))
                .checkAssert(drawn -> {
                    ClusterProfile profile = drawn.profile();
                    Actuator actuator = new Actuator(new Guardrails(drawn.mode(), Set.of("*"), drawn.step(),
                            Duration.ofMinutes(30), Guardrails.MAX_INPUT_AGE), planner);
                    Situation situation = new Situation(drawn.wanted(), profile, NOW, NOW, null, NOW);
                    LiveCluster live = new LiveCluster("Succeeded", "e", profile.outboundType(),
                            profile.loadBalancer(), profile.natGateway());
                    Decision decision = actuator.decide(situation, live);
                    outcomes.count(decision.outcome());
                    if (decision.changes().isEmpty()) {
                        return;
                    }
                    assertEquals(drawn.mode() == Mode.APPLY ? Outcome.APPLIED : Outcome.DRY_RUN, decision.outcome());
                    assertTrue(profile.outboundType() == OutboundType.LOAD_BALANCER
                            || profile.outboundType() == OutboundType.MANAGED_NAT_GATEWAY, drawn.toString());
                    assertFalse(profile.loadBalancer().usesOwnIps() && profile.outboundType() == OutboundType.LOAD_BALANCER,
                            "own IPs written: " + drawn);
                    Integer lbIps = profile.loadBalancer().managedOutboundIpCount();
                    int lbPorts = profile.loadBalancer().allocatedOutboundPorts();
                    Integer natIps = profile.natGateway().managedOutboundIpCount();
                    for (Change change : decision.changes()) {
                        assertTrue(change.to() > change.from(), "lowered: " + change + " in " + drawn);
                        switch (change.field()) {
                            case Change.LB_MANAGED_IPS -> {
                                assertTrue(change.to() - change.from() <= drawn.step(), change + " in " + drawn);
                                assertEquals(profile.loadBalancer().outboundIps(), change.from());
                                lbIps = change.to();
                            }
                            case Change.NAT_MANAGED_IPS -> {
                                assertTrue(change.to() - change.from() <= drawn.step(), change + " in " + drawn);
                                assertEquals(profile.natGateway().outboundIps(), change.from());
                                natIps = change.to();
                            }
                            case Change.LB_PORTS -> {
                                assertTrue(change.from() > 0, "the default table was replaced: " + drawn);
                                assertEquals(0, change.to() % 8, change.toString());
                                lbPorts = change.to();
                            }
                            default -> throw new AssertionError("unexpected field " + change);
                        }
                    }
                    ClusterProfile after = with(profile, new LoadBalancerProfile(lbIps, null, List.of(), lbPorts,
                            null), new NatGatewayProfile(natIps, null));
                    Plan plan = planner.plan(after);
                    assertTrue(plan.findings().stream().noneMatch(finding -> finding.severity() == Severity.CRITICAL
                            && Actuator.PROVIDER_CHECKS.contains(finding.rule())),
                            "the engine refuses " + plan.findings() + " after " + decision.changes() + " in " + drawn);
                });
        outcomes.assertShareAbove(Outcome.APPLIED, 10).assertShareAbove(Outcome.DRY_RUN, 10)
                .assertShareAbove(Outcome.NEEDS_A_PERSON, 3).assertShareAbove(Outcome.UP_TO_DATE, 3)
                .assertSeen(Outcome.REFUSED);
    }

    static Drawn draw(long seed) {
        Random random = new Random(seed);
        ProfileBuilder builder = ProfileBuilder.cluster()
                .armId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c1")
                .subnet(random.nextInt(8) == 0 ? "10.240.0.0/22" : "10.240.0.0/12")
                .pool("p", 1 + random.nextInt(600), 30, "1");
        int ports = random.nextBoolean() ? 0 : 8 * (1 + random.nextInt(1024));
        switch (random.nextInt(6)) {
            case 0 -> builder.managedIps(1 + random.nextInt(LoadBalancerProfile.MAX_MANAGED_IPS), ports);
            case 1 -> builder.loadBalancer(new LoadBalancerProfile(null, null, List.of(), ports, null));
            case 2 -> builder.ownPublicIps(1 + random.nextInt(20), ports);
            case 3 -> builder.natGateway(1 + random.nextInt(NatGatewayProfile.MAX_IPS));
            case 4 -> builder.outbound(OutboundType.USER_ASSIGNED_NAT_GATEWAY);
            default -> builder.outbound(OutboundType.USER_DEFINED_ROUTING);
        }
        ClusterProfile profile = builder.build();
        Integer ips = random.nextInt(10) == 0 ? null : 1 + random.nextInt(120);
        Integer wantedPorts = random.nextInt(4) == 0 ? null : 8 * (1 + random.nextInt(2048));
        return new Drawn(profile, new Recommendation("c1", ips, wantedPorts), 1 + random.nextInt(5),
                random.nextBoolean() ? Mode.APPLY : Mode.DRY_RUN);
    }

    static ClusterProfile with(ClusterProfile p, LoadBalancerProfile lb, NatGatewayProfile nat) {
        return new ClusterProfile(p.clusterId(), p.name(), p.resourceGroup(), p.networkPlugin(), p.overlay(),
                p.podCidr(), p.serviceCidr(), p.dnsServiceIp(), p.outboundType(), lb, nat, p.pools(), p.subnets(),
                p.vnetAddressSpace(), p.subnetConsumers(), p.observed(), p.armId());
    }
}
