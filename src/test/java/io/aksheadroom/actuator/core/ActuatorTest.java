package io.aksheadroom.actuator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.support.ProfileBuilder;

class ActuatorTest {

    static final String ARM_ID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c1";
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    static Guardrails rails(Mode mode, String... clusters) {
        return new Guardrails(mode, Set.of(clusters), 2, Duration.ofMinutes(30), Guardrails.MAX_INPUT_AGE);
    }

    static Actuator actuator(Mode mode, String... clusters) {
        return new Actuator(rails(mode, clusters), new CapacityPlanner());
    }

    /** 199 nodes with a surge of 1: 200 planned nodes. */
    static ProfileBuilder cluster() {
        return ProfileBuilder.cluster().armId(ARM_ID).pool("p", 199, 30, "1");
    }

    static Situation fresh(ClusterProfile profile, Integer ips, Integer ports) {
        return new Situation(new Recommendation("c1", ips, ports), profile, NOW.minusSeconds(60), NOW.minusSeconds(60),
                null, NOW);
    }

    static LiveCluster live(ClusterProfile profile) {
        return new LiveCluster("Succeeded", "\"etag-1\"", profile.outboundType(), profile.loadBalancer(),
                profile.natGateway());
    }

    static Decision decide(Actuator actuator, Situation situation) {
        return actuator.decide(situation, live(situation.profile()));
    }

    @Test
    void stepsManagedIpsUpByAtMostTheStep() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 7, null));
        assertEquals(Outcome.APPLIED, decision.outcome());
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 2, 4)), decision.changes());
    }

    @Test
    void dryRunChoosesTheSameChangesButDoesNotWrite() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Decision decision = decide(actuator(Mode.DRY_RUN, "c1"), fresh(profile, 3, null));
        assertEquals(Outcome.DRY_RUN, decision.outcome());
        assertFalse(decision.writes());
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 2, 3)), decision.changes());
    }

    @Test
    void raisesManualPortsOnlyAsFarAsTheSteppedIpsServeThePlannedNodes() {
        // 4 IPs at 1,024 ports serve 250 nodes; P* 2,048 at 200 nodes needs 7. Two more IPs give 384,000 ports:
        // 1,920 each at 200 planned nodes.
        ClusterProfile profile = cluster().managedIps(4, 1024).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 7, 2048));
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 4, 6),
                new Change(Change.LB_PORTS, 1024, 1920)), decision.changes());
    }

    @Test
    void neverLowersIpsOrPorts() {
        ClusterProfile profile = cluster().managedIps(5, 2048).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 2, 1024));
        assertEquals(Outcome.UP_TO_DATE, decision.outcome());
        assertTrue(decision.changes().isEmpty());
    }

    @Test
    void leavesTheDefaultPortTableAlone() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 2, 4096));
        assertEquals(Outcome.UP_TO_DATE, decision.outcome());
    }

    @Test
    void theUsersOwnIpsNeedAPersonWithWhatToAdd() {
        ClusterProfile profile = cluster().ownPublicIps(2, 0).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 5, null));
        assertEquals(Outcome.NEEDS_A_PERSON, decision.outcome());
        assertEquals("own-ips", decision.reason());
        assertTrue(decision.detail().startsWith("Add 3 public IPs"), decision.detail());
        assertTrue(decision.detail().contains("never swaps your own IPs"), decision.detail());
        assertTrue(decision.changes().isEmpty());
    }

    @Test
    void theUsersOwnPrefixesNeedAPerson() {
        ClusterProfile profile = cluster().loadBalancer(new LoadBalancerProfile(null, null, List.of(31), 0, null))
                .build();
        assertEquals(Outcome.NEEDS_A_PERSON, decide(actuator(Mode.APPLY, "c1"), fresh(profile, 4, null)).outcome());
    }

    @Test
    void stepsAManagedNatGatewayAndHandsAnOwnGatewayToAPerson() {
        ClusterProfile managed = cluster().natGateway(2).build();
        assertEquals(List.of(new Change(Change.NAT_MANAGED_IPS, 2, 4)), decide(actuator(Mode.APPLY, "c1"), fresh(managed, 9, null)).changes());
        ClusterProfile own = cluster().outbound(OutboundType.USER_ASSIGNED_NAT_GATEWAY).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(own, 3, null));
        assertEquals(Outcome.NEEDS_A_PERSON, decision.outcome());
        assertEquals("own-gateway", decision.reason());
    }

    @Test
    void neverTouchesOtherOutboundTypes() {
        for (OutboundType type : List.of(OutboundType.USER_DEFINED_ROUTING, OutboundType.NONE, OutboundType.BLOCK)) {
            ClusterProfile profile = cluster().outbound(type).build();
            Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 4, 2048));
            assertEquals(Outcome.REFUSED, decision.outcome(), type.wireName());
            assertEquals("outbound-type", decision.reason());
        }
    }

    @Test
    void aStepThatStillOverCommitsNeedsAPerson() {
        // 2 IPs at 1,024 ports for 300 planned nodes need 5 IPs; 4 still over-commit, which Azure refuses.
        ClusterProfile profile = ProfileBuilder.cluster().armId(ARM_ID).pool("p", 299, 30, "1").managedIps(2, 1024)
                .build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 5, 1024));
        assertEquals(Outcome.NEEDS_A_PERSON, decision.outcome());
        assertEquals("step-too-small", decision.reason());
        assertTrue(decision.detail().contains("SNAT-6"), decision.detail());
        // With a step of 3 the same change passes the engine.
        Actuator wider = new Actuator(new Guardrails(Mode.APPLY, Set.of("c1"), 3, Duration.ofMinutes(30),
                Guardrails.MAX_INPUT_AGE), new CapacityPlanner());
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 2, 5)), decide(wider, fresh(profile, 5, 1024)).changes());
    }

    @Test
    void aClusterTheProviderWouldRefuseForOtherReasonsIsNotWritten() {
        // A /24 node subnet cannot hold 200 planned nodes of 31 addresses each (IP-4).
        ClusterProfile profile = cluster().subnet("10.240.0.0/24").managedIps(2, 0).build();
        Decision decision = decide(actuator(Mode.APPLY, "c1"), fresh(profile, 3, null));
        assertEquals(Outcome.REFUSED, decision.outcome());
        assertEquals("provider-would-reject", decision.reason());
        assertTrue(decision.detail().contains("IP-4"), decision.detail());
    }

    @Test
    void pastTheLimitsOfTheOutboundPathNeedsAPerson() {
        ClusterProfile lb = cluster().managedIps(LoadBalancerProfile.MAX_MANAGED_IPS, 0).build();
        assertEquals("beyond-limit", decide(actuator(Mode.APPLY, "c1"), fresh(lb, 120, null)).reason());
        ClusterProfile nat = cluster().natGateway(NatGatewayProfile.MAX_IPS).build();
        assertEquals("beyond-limit", decide(actuator(Mode.APPLY, "c1"), fresh(nat, 20, null)).reason());
    }

    @Test
    void refusalsBeforeAzureIsRead() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        ClusterProfile anonymous = ProfileBuilder.cluster().pool("p", 199, 30, "1").managedIps(2, 0).build();
        Recommendation wanted = new Recommendation("c1", 4, null);
        Instant minute = NOW.minusSeconds(60);
        record Case(String name, Actuator actuator, Situation situation, String reason) {
        }
        List<Case> cases = List.of(
                new Case("off", actuator(Mode.OFF, "c1"), fresh(profile, 4, null), "off"),
                new Case("empty allowlist", actuator(Mode.APPLY), fresh(profile, 4, null), "not-allowed"),
                new Case("other cluster", actuator(Mode.APPLY, "c2"), fresh(profile, 4, null), "not-allowed"),
                new Case("no ARM id", actuator(Mode.APPLY, "c1"), fresh(anonymous, 4, null), "no-arm-id"),
                new Case("profile 16 min old", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, NOW.minusSeconds(16 * 60), minute, null, NOW), "stale-profile"),
                new Case("no sample", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, minute, null, null, NOW), "no-samples"),
                new Case("sample 15 min 1 s old", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, minute, NOW.minusSeconds(15 * 60 + 1), null, NOW),
                        "stale-samples"),
                new Case("action 29 min ago", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, minute, minute, NOW.minusSeconds(29 * 60), NOW), "cooldown"),
                new Case("no sample since the action", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, minute, NOW.minusSeconds(31 * 60), NOW.minusSeconds(31 * 60),
                                NOW), "stale-samples"),
                new Case("sample older than the action", actuator(Mode.APPLY, "c1"),
                        new Situation(wanted, profile, minute, NOW.minusSeconds(10 * 60), NOW.minusSeconds(9 * 60),
                                NOW), "cooldown"));
        for (Case c : cases) {
            Decision decision = c.actuator().decide(c.situation(), live(profile));
            assertEquals(Outcome.REFUSED, decision.outcome(), c.name());
            assertEquals(c.reason(), decision.reason(), c.name());
            assertTrue(decision.changes().isEmpty(), c.name());
            assertEquals(decision, c.actuator().beforeRead(c.situation()), c.name());
        }
    }

    @Test
    void afterTheCooldownAFreshSampleIsNeeded() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Recommendation wanted = new Recommendation("c1", 4, null);
        Instant acted = NOW.minusSeconds(31 * 60);
        Situation waiting = new Situation(wanted, profile, NOW.minusSeconds(60), acted.minusSeconds(1), acted, NOW);
        Actuator actuator = new Actuator(new Guardrails(Mode.APPLY, Set.of("c1"), 2, Duration.ofMinutes(30),
                Duration.ofMinutes(60)), new CapacityPlanner());
        assertEquals("awaiting-samples", actuator.beforeRead(waiting).reason());
        Situation fresh = new Situation(wanted, profile, NOW.minusSeconds(60), acted.plusSeconds(60), acted, NOW);
        assertNull(actuator.beforeRead(fresh));
        assertEquals(Outcome.APPLIED, actuator.decide(fresh, live(profile)).outcome());
    }

    @Test
    void exactlyFifteenMinutesIsStillCurrent() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Instant edge = NOW.minus(Guardrails.MAX_INPUT_AGE);
        Situation situation = new Situation(new Recommendation("c1", 3, null), profile, edge, edge, null, NOW);
        assertNull(actuator(Mode.APPLY, "*").beforeRead(situation));
    }

    @Test
    void onlyAQuietClusterMatchingItsProfileIsWritten() {
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Situation situation = fresh(profile, 4, null);
        Actuator actuator = actuator(Mode.APPLY, "c1");
        for (String state : List.of("Updating", "Failed", "Canceled", "Scaling")) {
            Decision decision = actuator.decide(situation, new LiveCluster(state, "e", OutboundType.LOAD_BALANCER,
                    profile.loadBalancer(), null));
            assertEquals("not-quiet", decision.reason(), state);
        }
        Decision moved = actuator.decide(situation, new LiveCluster("Succeeded", "e",
                OutboundType.MANAGED_NAT_GATEWAY, null, null));
        assertEquals("profile-differs", moved.reason());
    }

    @Test
    void decidesOnWhatAzureSaysNotOnTheProfile() {
        // The profile still says 2 IPs; someone already raised them to 3: the step starts from 3.
        ClusterProfile profile = cluster().managedIps(2, 0).build();
        Decision decision = actuator(Mode.APPLY, "c1").decide(fresh(profile, 9, null), new LiveCluster("Succeeded",
                "e", OutboundType.LOAD_BALANCER, new LoadBalancerProfile(3, null, List.of(), 0, null), null));
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 3, 5)), decision.changes());
    }

    @Test
    void theWildcardMustBeWrittenOut() {
        assertFalse(rails(Mode.APPLY).allows("c1"));
        assertTrue(rails(Mode.APPLY, "*").allows("c1"));
        assertFalse(rails(Mode.APPLY, "c1").allows("C1"));
    }
}
