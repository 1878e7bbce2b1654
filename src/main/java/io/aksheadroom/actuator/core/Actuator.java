package io.aksheadroom.actuator.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Finding;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SnatRules;

/**
 * The actuator's decisions: which outbound write, if any, a recommendation earns. It only ever raises managed outbound
 * IPs or allocated ports, by bounded steps, on an allowlisted, quiet, current cluster, and checks every write it
 * chooses with the capacity engine at the cluster's planned nodes. Plain Java, no clock: time comes in the
 * {@link Situation}.
 */
public final class Actuator {

    /**
     * Critical findings of these rules are the resource provider's own validations: a cluster showing one at its
     * planned nodes would have the PUT refused, or accepted into a state the next scale-out cannot reach.
     */
    static final Set<String> PROVIDER_CHECKS = Set.of("SNAT-2", "SNAT-6", "IP-4", "IP-6", "IP-7", "IP-11", "NET-1",
            "NET-2", "NET-3", "NET-4", "NET-5");

    private final Guardrails guardrails;
    private final CapacityPlanner planner;

    public Actuator(Guardrails guardrails, CapacityPlanner planner) {
        this.guardrails = guardrails;
        this.planner = planner;
    }

    public Guardrails guardrails() {
        return guardrails;
    }

    /** The refusal the situation earns before Azure is read, or null when the cluster may be read. */
    public Decision beforeRead(Situation situation) {
        String id = situation.clusterId();
        if (guardrails.mode() == Mode.OFF) {
            return Decision.refused(id, "off", "The actuator is off (aks-headroom.actuator.mode=off).");
        }
        if (!guardrails.allows(id)) {
            return Decision.refused(id, "not-allowed", "Cluster " + id + " is not in aks-headroom.actuator.clusters.");
        }
        if (situation.profile().armId() == null) {
            return Decision.refused(id, "no-arm-id", "The profile of " + id + " carries no ARM id: the actuator acts "
                    + "only on discovered clusters or profiles that include their `id`.");
        }
        Duration profileAge = Duration.between(situation.profileAt(), situation.now());
        if (profileAge.compareTo(guardrails.maxInputAge()) > 0) {
            return Decision.refused(id, "stale-profile", "The profile is " + profileAge.toMinutes()
                    + " min old, past the " + guardrails.maxInputAge().toMinutes() + " min limit.");
        }
        if (situation.lastSampleAt() == null) {
            return Decision.refused(id, "no-samples", "No SNAT sample has arrived for " + id + ".");
        }
        Duration sampleAge = Duration.between(situation.lastSampleAt(), situation.now());
        if (sampleAge.compareTo(guardrails.maxInputAge()) > 0) {
            return Decision.refused(id, "stale-samples", "The newest SNAT sample is " + sampleAge.toMinutes()
                    + " min old, past the " + guardrails.maxInputAge().toMinutes() + " min limit.");
        }
        if (situation.lastActionAt() != null) {
            Duration since = Duration.between(situation.lastActionAt(), situation.now());
            if (since.compareTo(guardrails.cooldown()) < 0) {
                return Decision.refused(id, "cooldown", "The last action was " + since.toMinutes()
                        + " min ago, within the " + guardrails.cooldown().toMinutes() + " min cooldown.");
            }
            if (!situation.lastSampleAt().isAfter(situation.lastActionAt())) {
                return Decision.refused(id, "awaiting-samples", "No SNAT sample has arrived since the last action at "
                        + situation.lastActionAt() + ".");
            }
        }
        return null;
    }

    /** The decision for a cluster Azure has just described as {@code live}. */
    public Decision decide(Situation situation, LiveCluster live) {
        Decision early = beforeRead(situation);
        if (early != null) {
            return early;
        }
        String id = situation.clusterId();
        if (!live.quiet()) {
            return Decision.refused(id, "not-quiet", "provisioningState is " + live.provisioningState()
                    + ", not Succeeded: another operation is under way.");
        }
        if (live.outboundType() != situation.profile().outboundType()) {
            return Decision.refused(id, "profile-differs", "Azure says outbound type "
                    + live.outboundType().wireName() + ", the profile says "
                    + situation.profile().outboundType().wireName() + ": wait for the next profile.");
        }
        return switch (live.outboundType()) {
            case LOAD_BALANCER -> loadBalancer(situation, live);
            case MANAGED_NAT_GATEWAY, MANAGED_NAT_GATEWAY_V2 -> natGateway(situation, live);
            case USER_ASSIGNED_NAT_GATEWAY -> needsMoreIps(situation, live.natGateway().outboundIps(), "own-gateway",
                    "public IPs (or a prefix) to your NAT gateway");
            default -> Decision.refused(id, "outbound-type", "Outbound type " + live.outboundType().wireName()
                    + " has no outbound IPs AKS manages; the actuator changes none.");
        };
    }

    private Decision loadBalancer(Situation situation, LiveCluster live) {
        LoadBalancerProfile lb = live.loadBalancer();
        Recommendation wanted = situation.recommendation();
        int ips = lb.outboundIps();
        if (lb.usesOwnIps()) {
            return needsMoreIps(situation, ips, "own-ips", "public IPs (or a prefix) to the load balancer's "
                    + "outboundIPs; the actuator never swaps your own IPs for managed ones");
        }
        int wantIps = wanted.outboundIps() == null ? ips : wanted.outboundIps();
        int targetIps = Math.max(ips, Math.min(Math.min(wantIps, ips + guardrails.maxIpStep()),
                LoadBalancerProfile.MAX_MANAGED_IPS));
        int ports = lb.allocatedOutboundPorts();
        int planned = situation.profile().plannedNodes();
        int targetPorts = ports;
        // The default table (0) is Azure's choice per pool size; only a manual allocation is raised.
        if (ports > 0 && wanted.portsPerNode() != null && wanted.portsPerNode() > ports) {
            int fits = SnatRules.largestValidPorts(targetIps, planned);
            targetPorts = Math.max(ports, Math.min(wanted.portsPerNode(), fits) / 8 * 8);
        }
        List<Change> changes = new ArrayList<>();
        if (targetIps != ips) {
            changes.add(new Change(Change.LB_MANAGED_IPS, ips, targetIps));
        }
        if (targetPorts != ports) {
            changes.add(new Change(Change.LB_PORTS, ports, targetPorts));
        }
        if (changes.isEmpty()) {
            if (wantIps > ips) {
                return Decision.needsAPerson(situation.clusterId(), "beyond-limit", "The recommendation asks for "
                        + wantIps + " outbound IPs, past the load balancer's " + LoadBalancerProfile.MAX_MANAGED_IPS
                        + ": move to a NAT gateway.");
            }
            return upToDate(situation);
        }
        LoadBalancerProfile candidate = new LoadBalancerProfile(targetIps, null, List.of(), targetPorts,
                lb.idleTimeoutInMinutes());
        return checked(situation, live, candidate, live.natGateway(), changes, wantIps > targetIps);
    }

    private Decision natGateway(Situation situation, LiveCluster live) {
        int ips = live.natGateway().outboundIps();
        Integer wanted = situation.recommendation().outboundIps();
        int wantIps = wanted == null ? ips : wanted;
        int target = Math.max(ips, Math.min(Math.min(wantIps, ips + guardrails.maxIpStep()), NatGatewayProfile.MAX_IPS));
        if (target == ips) {
            if (wantIps > ips) {
                return Decision.needsAPerson(situation.clusterId(), "beyond-limit", "The recommendation asks for "
                        + wantIps + " NAT gateway IPs, past the " + NatGatewayProfile.MAX_IPS + " one gateway takes.");
            }
            return upToDate(situation);
        }
        NatGatewayProfile candidate = new NatGatewayProfile(target, live.natGateway().idleTimeoutInMinutes());
        return checked(situation, live, live.loadBalancer(), candidate,
                List.of(new Change(Change.NAT_MANAGED_IPS, ips, target)), wantIps > target);
    }

    /** The write, once the engine agrees the provider would take it at the cluster's planned nodes. */
    private Decision checked(Situation situation, LiveCluster live, LoadBalancerProfile lb, NatGatewayProfile nat,
            List<Change> changes, boolean stepLimited) {
        ClusterProfile profile = situation.profile();
        ClusterProfile after = new ClusterProfile(profile.clusterId(), profile.name(), profile.resourceGroup(),
                profile.networkPlugin(), profile.overlay(), profile.podCidr(), profile.serviceCidr(),
                profile.dnsServiceIp(), live.outboundType(), lb, nat, profile.pools(), profile.subnets(),
                profile.vnetAddressSpace(), profile.subnetConsumers(), profile.observed(), profile.armId());
        Plan plan = planner.plan(after);
        List<Finding> rejected = plan.findings().stream()
                .filter(finding -> finding.severity() == Severity.CRITICAL && PROVIDER_CHECKS.contains(finding.rule()))
                .toList();
        String what = describe(changes);
        if (!rejected.isEmpty()) {
            String why = rejected.stream().map(finding -> finding.rule() + ": " + finding.message())
                    .reduce((a, b) -> a + " " + b).orElseThrow();
            if (stepLimited) {
                return Decision.needsAPerson(situation.clusterId(), "step-too-small", "The largest step allowed ("
                        + what + ") still leaves the cluster refused at " + profile.plannedNodes()
                        + " planned nodes; a person must make the larger change. " + why);
            }
            return Decision.refused(situation.clusterId(), "provider-would-reject", "After " + what
                    + " the cluster would be refused at " + profile.plannedNodes() + " planned nodes. " + why);
        }
        Outcome outcome = guardrails.mode() == Mode.APPLY ? Outcome.APPLIED : Outcome.DRY_RUN;
        return new Decision(situation.clusterId(), outcome, null, "Set " + what + " (etag " + live.etag() + ").",
                changes);
    }

    /**
     * The autoscaling pools whose {@code maxCount} the profile shows above their CAP-1 ceiling (a ceiling of at least
     * 1, as the alert), when {@code cap-max-count} is on: the pools {@link #capPool} is asked about.
     */
    public List<String> poolsToCap(Situation situation) {
        if (!guardrails.capMaxCount() || guardrails.mode() == Mode.OFF) {
            return List.of();
        }
        Map<String, Integer> ceilings = situation.recommendation().maxCountCeilings();
        List<String> pools = new ArrayList<>();
        for (AgentPool pool : situation.profile().pools()) {
            Integer ceiling = ceilings.get(pool.name());
            if (pool.autoscaling() && ceiling != null && ceiling >= 1 && pool.maxCount() > ceiling) {
                pools.add(pool.name());
            }
        }
        return pools;
    }

    /**
     * The decision on lowering one autoscaling pool's {@code maxCount} to its ceiling, on the pool Azure has just
     * described as {@code live}: never below the pool's {@code minCount} or its current count (the autoscaler would
     * have to remove nodes, or Azure refuses the pair), never raised, and only on a quiet pool.
     */
    public Decision capPool(Situation situation, LivePool live) {
        String target = Decision.AGENT_POOL + live.name();
        Decision early = beforeRead(situation);
        if (early != null) {
            return early.about(target);
        }
        String id = situation.clusterId();
        Integer ceiling = situation.recommendation().maxCountCeilings().get(live.name());
        if (ceiling == null || ceiling < 1) {
            return new Decision(id, Outcome.UP_TO_DATE, null, "Pool " + live.name() + " has no ceiling to cap to.",
                    List.of(), target);
        }
        if (!live.quiet()) {
            return Decision.refused(id, "not-quiet", "Pool " + live.name() + " provisioningState is "
                    + live.provisioningState() + ", not Succeeded: another operation is under way.").about(target);
        }
        if (!live.autoscaling() || live.maxCount() == null) {
            return Decision.refused(id, "profile-differs", "Azure says pool " + live.name()
                    + " does not autoscale; the profile says it does: wait for the next profile.").about(target);
        }
        if (live.maxCount() <= ceiling) {
            return new Decision(id, Outcome.UP_TO_DATE, null, "Pool " + live.name() + " maxCount " + live.maxCount()
                    + " is within its ceiling " + ceiling + ".", List.of(), target);
        }
        if (live.minCount() != null && ceiling < live.minCount()) {
            return Decision.refused(id, "below-min-count", "Pool " + live.name() + " has minCount "
                    + live.minCount() + ", above its ceiling " + ceiling + ": lowering maxCount to the ceiling would "
                    + "go below minCount. Lower minCount first (az aks nodepool update --update-cluster-autoscaler "
                    + "--min-count " + ceiling + " --max-count " + ceiling + "), or widen the network.").about(target);
        }
        if (ceiling < live.count()) {
            return Decision.refused(id, "below-current-count", "Pool " + live.name() + " runs " + live.count()
                    + " nodes, more than its ceiling " + ceiling + ": capping maxCount there would make the autoscaler "
                    + "remove nodes. Drain the pool to " + ceiling + " first, or widen the network.").about(target);
        }
        Outcome outcome = guardrails.mode() == Mode.APPLY ? Outcome.APPLIED : Outcome.DRY_RUN;
        return new Decision(id, outcome, null, "Set pool " + live.name() + " maxCount " + live.maxCount() + " -> "
                + ceiling + " (etag " + live.etag() + ").",
                List.of(new Change(Change.POOL_MAX_COUNT, live.maxCount(), ceiling)), target);
    }

    private Decision needsMoreIps(Situation situation, int ips, String reason, String where) {
        Integer wanted = situation.recommendation().outboundIps();
        if (wanted == null || wanted <= ips) {
            return upToDate(situation);
        }
        return Decision.needsAPerson(situation.clusterId(), reason, "Add " + (wanted - ips) + " " + where + " ("
                + ips + " now, " + wanted + " recommended).");
    }

    private static Decision upToDate(Situation situation) {
        return new Decision(situation.clusterId(), Outcome.UP_TO_DATE, null,
                "The cluster already has what the recommendation asks.", List.of());
    }

    private static String describe(List<Change> changes) {
        return changes.stream().map(change -> change.field() + " " + change.from() + " -> " + change.to())
                .reduce((a, b) -> a + ", " + b).orElse("nothing");
    }
}
