package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.Numbers.grouped;

import java.util.List;
import java.util.Locale;

/** SNAT-1..12 for one cluster: figures, findings and the command that fixes them. */
final class SnatPlanner {

    private static final int MIN_IDLE_TIMEOUT = 4;
    private static final int MAX_IDLE_TIMEOUT = 120;

    private final PlanSettings settings;

    SnatPlanner(PlanSettings settings) {
        this.settings = settings;
    }

    SnatFigures plan(ClusterProfile profile, List<Finding> findings, List<String> actions) {
        OutboundType type = profile.outboundType();
        if (type == OutboundType.LOAD_BALANCER) {
            return loadBalancer(profile, findings, actions);
        }
        if (type.isNatGateway()) {
            return natGateway(profile, findings, actions);
        }
        findings.add(new Finding("SNAT-9", Severity.INFO, Finding.CLUSTER, "Outbound type " + type.wireName()
                + " sends egress through your own route or none: SNAT ports are not computed for it."));
        return SnatFigures.notApplicable();
    }

    private SnatFigures loadBalancer(ClusterProfile profile, List<Finding> findings, List<String> actions) {
        LoadBalancerProfile lb = profile.loadBalancer();
        int ips = lb.outboundIps();
        int current = profile.currentNodes();
        int planned = profile.plannedNodes();
        int ports = lb.allocatedOutboundPorts();
        Observed seen = profile.observed();
        Integer demand = seen.peakUsedSnatPortsPerNode();

        Integer portsNow;
        Integer portsAtPlan;
        Integer maxNodes = null;
        if (lb.manualAllocation()) {
            portsNow = ports;
            portsAtPlan = ports;
            maxNodes = SnatRules.maxNodes(ips, ports);
            if (ports % 8 != 0) {
                findings.add(new Finding("SNAT-2", Severity.CRITICAL, Finding.CLUSTER, "allocatedOutboundPorts "
                        + grouped(ports) + " is not a multiple of 8: Azure rejects it "
                        + "(SpecifiedAllocatedOutboundPortsForOutboundRuleIsNotAMultipleOfEight). Use "
                        + grouped(ports / 8 * 8) + " or " + grouped(SnatRules.roundUpTo8(ports)) + "."));
            }
            if (SnatRules.overCommitted(planned, ports, ips)) {
                int largest = SnatRules.largestValidPorts(ips, planned);
                int ipsNeeded = SnatRules.recommendedOutboundIps(planned, ports);
                String lower = largest >= 8 ? "lower ports to " + grouped(largest) : null;
                String fix = ipsNeeded <= LoadBalancerProfile.MAX_MANAGED_IPS
                        ? "Add " + grouped(ipsNeeded - ips) + " IP" + (ipsNeeded - ips == 1 ? "" : "s")
                                + (lower != null ? " or " + lower : "")
                        : "Even " + LoadBalancerProfile.MAX_MANAGED_IPS + " outbound IPs are not enough: "
                                + (lower != null ? lower + " or " : "") + "move egress to a NAT gateway";
                findings.add(new Finding("SNAT-6", Severity.CRITICAL, Finding.CLUSTER, "Total planned nodes "
                        + grouped(planned) + " need " + grouped((long) planned * ports) + " ports ("
                        + grouped(ports) + " per node, surge included); " + ipsText(ips) + " give"
                        + (ips == 1 ? "s " : " ") + grouped(SnatRules.capacity(ips))
                        + ": Azure rejects the scale or upgrade (InsufficientOutboundPorts). " + fix + "."));
            }
        } else {
            portsNow = SnatRules.defaultPortsPerNode(current, ips);
            portsAtPlan = SnatRules.defaultPortsPerNode(planned, ips);
            findings.add(new Finding("SNAT-4", Severity.INFO, Finding.CLUSTER, "Default port allocation gives "
                    + (portsNow == null ? "an undocumented number of" : grouped(portsNow))
                    + " ports per node and shrinks as the cluster grows; Azure calls it not recommended for production."
                    + " Set explicit ports (--load-balancer-outbound-ports)."));
            if (portsAtPlan == null) {
                findings.add(new Finding("SNAT-4", Severity.WARNING, Finding.CLUSTER, "At " + grouped(planned)
                        + " planned nodes the backend pool exceeds the " + grouped(SnatRules.LARGEST_DOCUMENTED_POOL)
                        + " nodes Azure's default allocation table covers: ports per node are unknown. "
                        + "Set explicit ports."));
            }
            if (portsNow != null && portsAtPlan != null && portsAtPlan < portsNow) {
                findings.add(new Finding("SNAT-5", Severity.WARNING, Finding.CLUSTER, "Scaling from "
                        + grouped(current) + " to " + grouped(planned) + " nodes (surge included) crosses a default "
                        + "allocation tier: every node drops from " + grouped(portsNow) + " to " + grouped(portsAtPlan)
                        + " ports."));
            }
        }

        int recommendedPorts = SnatRules.recommendedPorts(demand, ports, settings);
        int neededIps = SnatRules.recommendedOutboundIps(planned, recommendedPorts);
        int recommendedIps = SnatRules.recommendedOutboundIps(planned, recommendedPorts, ips);
        // Past the load balancer's limit no message names an IP count: the way out is a NAT gateway (SNAT-9). Own
        // prefixes can already hold more than 100 addresses; those that suffice need no way out.
        boolean achievable = neededIps <= Math.max(LoadBalancerProfile.MAX_MANAGED_IPS, ips);

        utilization(seen, portsNow, lb.idleTimeoutOrDefault(), findings);
        idleTimeout(lb.idleTimeoutInMinutes(), findings);
        if (seen.allocatedSnatPortsPerNode() != null && portsNow != null
                && !seen.allocatedSnatPortsPerNode().equals(portsNow)) {
            findings.add(new Finding("SNAT-10", Severity.WARNING, Finding.CLUSTER, "Azure Monitor shows "
                    + grouped(seen.allocatedSnatPortsPerNode()) + " allocated ports on a node, the profile implies "
                    + grouped(portsNow) + ": the allocation changed outside the profile (a scale operation can reset "
                    + "manual ports, Azure/AKS#3288). Re-apply --load-balancer-outbound-ports."));
        }
        if (demand != null && portsAtPlan != null && demand >= portsAtPlan) {
            findings.add(new Finding("SNAT-12", Severity.CRITICAL, Finding.CLUSTER, "Peak demand of "
                    + grouped(demand) + " ports per node meets or exceeds the " + grouped(portsAtPlan)
                    + " each node gets at " + grouped(planned) + " planned nodes: nodes will exhaust SNAT ports as the "
                    + "cluster grows. " + (achievable
                            ? "Set " + grouped(recommendedPorts) + " ports on " + ipsText(recommendedIps) + "."
                            : "Move egress to a NAT gateway (SNAT-8).")));
        }

        boolean natRecommended = !achievable;
        if (natRecommended) {
            int natIps = SnatRules.natGatewayIps(planned, demand != null ? demand : recommendedPorts);
            findings.add(new Finding("SNAT-8", Severity.CRITICAL, Finding.CLUSTER, grouped(planned)
                    + " planned nodes at " + grouped(recommendedPorts) + " ports need "
                    + grouped((long) planned * recommendedPorts) + " ports, more than the "
                    + grouped(SnatRules.capacity(LoadBalancerProfile.MAX_MANAGED_IPS)) + " of the "
                    + LoadBalancerProfile.MAX_MANAGED_IPS + " outbound IPs a load balancer allows: move egress to a "
                    + "NAT gateway with " + natIps + " IP" + (natIps == 1 ? "" : "s") + "."));
            actions.add(natGatewayCommand(profile, natIps));
        } else if (lb.usesOwnIps()) {
            if (recommendedIps > ips || recommendedPorts != ports) {
                String flag = lb.usesOwnPrefixes() ? "--load-balancer-outbound-ip-prefixes"
                        : "--load-balancer-outbound-ips";
                String more = recommendedIps > ips ? "Add " + (recommendedIps - ips) + " public IP"
                        + (recommendedIps - ips == 1 ? "" : "s") + " to " + flag + " (keep your own addresses, "
                        + "partners may allowlist them), then: " : "";
                actions.add(more + "az aks update --resource-group " + profile.resourceGroupForCommands() + " --name " + profile.name()
                        + " --load-balancer-outbound-ports " + recommendedPorts);
            }
        } else if (recommendedIps != ips || recommendedPorts != ports) {
            actions.add("az aks update --resource-group " + profile.resourceGroupForCommands() + " --name " + profile.name()
                    + " --load-balancer-managed-outbound-ip-count " + recommendedIps
                    + " --load-balancer-outbound-ports " + recommendedPorts);
        }

        long required = portsAtPlan == null ? 0 : (long) planned * portsAtPlan;
        return new SnatFigures(lb.manualAllocation() ? SnatMode.MANUAL : SnatMode.DEFAULT, ips, portsNow, portsAtPlan,
                maxNodes, recommendedPorts, recommendedIps, natRecommended, achievable, SnatRules.capacity(ips),
                portsAtPlan == null ? null : required, demand, lb.idleTimeoutOrDefault());
    }

    private SnatFigures natGateway(ClusterProfile profile, List<Finding> findings, List<String> actions) {
        NatGatewayProfile nat = profile.natGateway();
        int ips = nat.outboundIps();
        int planned = profile.plannedNodes();
        Observed seen = profile.observed();
        Integer demand = seen.peakUsedSnatPortsPerNode();
        long capacity = (long) ips * NatGatewayProfile.PORTS_PER_IP;
        // As on the load balancer (SNAT-8), never fewer IPs than the gateway has: each carries live flows and an
        // egress address someone may allowlist.
        int recommendedIps = demand == null ? ips : Math.max(ips, SnatRules.natGatewayIps(planned, demand));
        Long required = demand == null ? null : (long) planned * demand;
        boolean achievable = required == null || required <= (long) NatGatewayProfile.MAX_IPS * NatGatewayProfile.PORTS_PER_IP;

        if (seen.failedSnatConnections() != null && seen.failedSnatConnections() > 0) {
            findings.add(new Finding("SNAT-9", Severity.CRITICAL, Finding.CLUSTER, grouped(seen.failedSnatConnections())
                    + " SNAT connections failed on the NAT gateway: its ports are exhausted. Add IPs "
                    + "(--nat-gateway-managed-outbound-ip-count) or reuse connections."));
        }
        if (required != null && required > capacity) {
            findings.add(new Finding("SNAT-9", achievable ? Severity.WARNING : Severity.CRITICAL, Finding.CLUSTER,
                    grouped(planned) + " planned nodes at a peak of " + grouped(demand) + " ports need "
                            + grouped(required) + " ports; " + ips + " NAT gateway IP" + (ips == 1 ? "" : "s")
                            + " give " + grouped(capacity) + "." + (achievable ? " Use " + recommendedIps + " IPs."
                                    : " Even " + NatGatewayProfile.MAX_IPS + " IPs are not enough: spread egress "
                                            + "over several NAT gateways (one per subnet).")));
        }
        idleTimeout(nat.idleTimeoutInMinutes(), findings);
        if (recommendedIps > ips && profile.outboundType() != OutboundType.USER_ASSIGNED_NAT_GATEWAY) {
            actions.add("az aks update --resource-group " + profile.resourceGroupForCommands() + " --name " + profile.name()
                    + " --nat-gateway-managed-outbound-ip-count " + recommendedIps);
        }
        return new SnatFigures(SnatMode.NAT_GATEWAY, ips, null, null, null, null, recommendedIps, false, achievable,
                capacity, required, demand, nat.idleTimeoutOrDefault());
    }

    private void utilization(Observed seen, Integer portsNow, int idleTimeout, List<Finding> findings) {
        if (seen.failedSnatConnections() != null && seen.failedSnatConnections() > 0) {
            findings.add(new Finding("SNAT-7", Severity.CRITICAL, Finding.CLUSTER, grouped(seen.failedSnatConnections())
                    + " SNAT connections failed: nodes have exhausted their outbound ports."));
        }
        Double utilization = seen.peakUtilization();
        if (utilization == null && seen.peakUsedSnatPortsPerNode() != null && portsNow != null && portsNow > 0) {
            utilization = (double) seen.peakUsedSnatPortsPerNode() / portsNow;
        }
        if (utilization == null || utilization < settings.utilizationWarning()) {
            return;
        }
        Severity severity = utilization >= settings.utilizationCritical() ? Severity.CRITICAL : Severity.WARNING;
        findings.add(new Finding("SNAT-7", severity, Finding.CLUSTER, "The busiest node uses "
                + percent(utilization) + " of its SNAT ports (warning at " + percent(settings.utilizationWarning())
                + ", critical at " + percent(settings.utilizationCritical()) + ")."));
        if (idleTimeout > MIN_IDLE_TIMEOUT) {
            findings.add(new Finding("SNAT-11", Severity.INFO, Finding.CLUSTER, "Idle flows hold their ports for "
                    + idleTimeout + " minutes; with ports this busy, lower the idle timeout "
                    + "(--load-balancer-idle-timeout, at least " + MIN_IDLE_TIMEOUT + ")."));
        }
    }

    private static void idleTimeout(Integer minutes, List<Finding> findings) {
        if (minutes != null && (minutes < MIN_IDLE_TIMEOUT || minutes > MAX_IDLE_TIMEOUT)) {
            findings.add(new Finding("SNAT-11", Severity.CRITICAL, Finding.CLUSTER, "idleTimeoutInMinutes " + minutes
                    + " lies outside " + MIN_IDLE_TIMEOUT + ".." + MAX_IDLE_TIMEOUT + ": Azure rejects it."));
        }
    }

    private static String natGatewayCommand(ClusterProfile profile, int natIps) {
        String type = profile.usesManagedVnet() ? "managedNATGateway" : "userAssignedNATGateway";
        String base = "az aks update --resource-group " + profile.resourceGroupForCommands() + " --name " + profile.name()
                + " --outbound-type " + type;
        return profile.usesManagedVnet() ? base + " --nat-gateway-managed-outbound-ip-count " + natIps
                : "Create a NAT gateway with " + natIps + " public IPs, attach it to the node subnets, then: " + base;
    }

    private static String ipsText(int ips) {
        return ips + " outbound IP" + (ips == 1 ? "" : "s");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
