package io.aksheadroom.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PodIpAllocation;
import io.aksheadroom.capacity.PoolFigures;
import io.aksheadroom.capacity.SubnetFigures;
import io.aksheadroom.discovery.AzureResourceManager.Cluster;
import io.aksheadroom.discovery.AzureResourceManager.LoadBalancer;
import io.aksheadroom.discovery.AzureResourceManager.Subnet;
import io.aksheadroom.discovery.AzureResourceManager.VirtualNetwork;
import io.aksheadroom.json.ProfileJson;

/**
 * Makes the profile the plan API takes out of a listed cluster and the network resources it uses: the cluster's
 * own ARM properties, its subnets' prefixes, its VNets' address space, its outbound prefixes' lengths and what else
 * holds addresses in its subnets. Also says what the Azure Monitor poller should watch for it.
 */
final class ProfileAssembly {

    /** The AKS-managed VNet and subnet of a node resource group, as AKS names them. */
    static final String MANAGED_VNET_PREFIX = "aks-vnet-";
    static final String MANAGED_SUBNET = "aks-subnet";
    /** The load balancer AKS gives a cluster with outbound type loadBalancer, in its node resource group. */
    static final String AKS_LOAD_BALANCER = "kubernetes";

    /** The reads a profile needs; each listing answers every distinct one once. */
    interface Network {

        VirtualNetwork virtualNetwork(ArmId id);

        List<VirtualNetwork> virtualNetworks(String subscription, String resourceGroup);

        int publicIpPrefixLength(ArmId id);

        Optional<LoadBalancer> loadBalancer(String subscription, String resourceGroup, String name);

        List<String> natGateways(String subscription, String resourceGroup);
    }

    /**
     * IP-12: a subnet where Azure counts fewer IP configurations than the model says the cluster's nodes hold.
     *
     * @param subnet the key of {@code subnets} ({@code default} for the AKS-managed subnet)
     */
    record Shortfall(String subnet, long azureCounted, long modelHolds) {
    }

    /** A cluster's profile, what to poll for it (null when nothing), and its IP-12 shortfalls. */
    record Result(ClusterProfile profile, DiscoveredTargets.Target target, List<Shortfall> shortfalls) {
    }

    private final CapacityPlanner planner;

    ProfileAssembly(CapacityPlanner planner) {
        this.planner = planner;
    }

    /**
     * @throws ArmException when a resource could not be read
     * @throws io.aksheadroom.capacity.InvalidInputException when what Azure says is no profile the plan API takes
     * @throws IllegalStateException when a pool names a subnet its VNet does not list
     */
    Result assemble(Cluster cluster, String clusterId, Network network) {
        ArmId id = cluster.armId();
        ObjectNode root = cluster.properties().deepCopy();
        root.put("clusterId", clusterId);
        root.put("id", cluster.id());
        root.put("name", cluster.name());
        root.put("resourceGroup", id.resourceGroup());

        Map<String, Subnet> subnets = new LinkedHashMap<>();
        Set<String> addressSpace = new LinkedHashSet<>();
        for (JsonNode pool : root.path("agentPoolProfiles")) {
            String nodeSubnet = text(pool, "vnetSubnetID");
            if (nodeSubnet == null) {
                subnets.computeIfAbsent(AgentPool.DEFAULT_SUBNET_KEY,
                        key -> managedSubnet(id.subscription(), cluster, network, addressSpace));
            } else {
                putSubnet(subnets, nodeSubnet, network, addressSpace);
            }
            String podSubnet = text(pool, "podSubnetID");
            if (podSubnet != null) {
                putSubnet(subnets, podSubnet, network, addressSpace);
            }
        }
        ObjectNode prefixes = root.putObject("subnets");
        subnets.forEach((key, subnet) -> prefixes.put(key, subnet.addressPrefixes().get(0)));
        ArrayNode space = root.putArray("vnetAddressSpace");
        addressSpace.forEach(space::add);
        for (JsonNode prefix : root.path("networkProfile").path("loadBalancerProfile").path("outboundIPPrefixes")
                .path("publicIPPrefixes")) {
            String prefixId = text(prefix, "id");
            if (prefix instanceof ObjectNode entry && prefixId != null) {
                entry.put("prefixLength", network.publicIpPrefixLength(ArmId.parse(prefixId)));
            }
        }

        ClusterProfile alone = ProfileJson.parse(root);
        List<Shortfall> shortfalls = new ArrayList<>();
        ObjectNode consumers = root.putObject("subnetConsumers");
        consumersAndShortfalls(alone, subnets, consumers, shortfalls);
        ClusterProfile profile = consumers.isEmpty() ? alone : ProfileJson.parse(root);
        return new Result(profile, target(cluster, clusterId, profile, subnets, network), List.copyOf(shortfalls));
    }

    /**
     * IP-3 from Azure's count: a subnet's IP configurations less what the model says this cluster's nodes hold now
     * (IP-2, IP-8) are other consumers; fewer than the model is IP-12. A dynamic pod subnet's own share is taken at
     * its planned size per node (16 per started 16 of maxPods), since Azure holds the batches the pods really took
     * and the model, without pod counts, only knows the first; a static-block pod subnet counts blocks, not
     * addresses, so nothing is derived from it.
     */
    private void consumersAndShortfalls(ClusterProfile profile, Map<String, Subnet> subnets, ObjectNode consumers,
            List<Shortfall> shortfalls) {
        Plan plan = planner.plan(profile);
        Map<String, PoolFigures> poolFigures = new LinkedHashMap<>();
        plan.pools().forEach(pool -> poolFigures.put(pool.name(), pool));
        for (SubnetFigures figures : plan.subnets()) {
            Subnet subnet = subnets.get(figures.id());
            if (subnet == null) {
                continue;
            }
            long ownAtMost = figures.used();
            boolean staticBlocks = false;
            for (AgentPool pool : profile.pools()) {
                if (pool.podSubnetId() != null && pool.podSubnetId().equalsIgnoreCase(figures.id())) {
                    PoolFigures pf = poolFigures.get(pool.name());
                    staticBlocks |= pool.podIpAllocation() == PodIpAllocation.STATIC_BLOCK;
                    if (pf != null && pf.podSubnetIpsPerNode() != null && pf.podSubnetIpsPerNodePlanned() != null) {
                        ownAtMost += (long) pool.currentNodes()
                                * (pf.podSubnetIpsPerNodePlanned() - pf.podSubnetIpsPerNode());
                    }
                }
            }
            if (staticBlocks) {
                continue;
            }
            long counted = subnet.ipConfigurations();
            if (counted > ownAtMost) {
                consumers.put(figures.id(), counted - ownAtMost);
            }
            if (counted < figures.used()) {
                shortfalls.add(new Shortfall(figures.id(), counted, figures.used()));
            }
        }
    }

    private static DiscoveredTargets.Target target(Cluster cluster, String clusterId, ClusterProfile profile,
            Map<String, Subnet> subnets, Network network) {
        if (cluster.location() == null || cluster.nodeResourceGroup() == null) {
            return null;
        }
        ArmId id = cluster.armId();
        int maxBackends = Math.max(1, Math.max(profile.plannedNodes(), profile.currentNodes()));
        OutboundType outbound = profile.outboundType();
        List<String> resources = new ArrayList<>();
        int frontendIps = 1;
        if (outbound == OutboundType.LOAD_BALANCER) {
            Optional<LoadBalancer> lb = network.loadBalancer(id.subscription(), cluster.nodeResourceGroup(),
                    AKS_LOAD_BALANCER);
            if (lb.isEmpty()) {
                return null;
            }
            resources.add(lb.get().id());
            frontendIps = Math.max(lb.get().outboundFrontends(), profile.loadBalancer().outboundIps());
        } else if (outbound == OutboundType.MANAGED_NAT_GATEWAY || outbound == OutboundType.MANAGED_NAT_GATEWAY_V2) {
            resources.addAll(network.natGateways(id.subscription(), cluster.nodeResourceGroup()));
        } else if (outbound == OutboundType.USER_ASSIGNED_NAT_GATEWAY) {
            Set<String> gateways = new LinkedHashSet<>();
            for (AgentPool pool : profile.pools()) {
                Subnet subnet = subnets.get(pool.nodeSubnetKey());
                if (subnet != null && subnet.natGatewayId() != null) {
                    gateways.add(subnet.natGatewayId());
                }
            }
            resources.addAll(gateways);
        }
        return resources.isEmpty() ? null
                : new DiscoveredTargets.Target(clusterId, resources, cluster.location(), maxBackends,
                        Math.max(1, frontendIps));
    }

    private static void putSubnet(Map<String, Subnet> subnets, String subnetId, Network network,
            Set<String> addressSpace) {
        for (String key : subnets.keySet()) {
            if (key.equalsIgnoreCase(subnetId)) {
                return;
            }
        }
        ArmId id = ArmId.parse(subnetId);
        if (!id.is("Microsoft.Network/virtualNetworks/subnets")) {
            throw new IllegalStateException("'" + subnetId + "' is not a subnet id");
        }
        VirtualNetwork vnet = network.virtualNetwork(id.parent());
        addressSpace.addAll(vnet.addressSpace());
        Subnet subnet = vnet.subnets().stream().filter(s -> s.name().equalsIgnoreCase(id.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("subnet " + subnetId + " is not in its VNet " + vnet.id()));
        subnets.put(subnetId, withPrefix(subnet));
    }

    /** The AKS-managed subnet of the node resource group, for pools without a {@code vnetSubnetID}. */
    private static Subnet managedSubnet(String subscription, Cluster cluster, Network network,
            Set<String> addressSpace) {
        if (cluster.nodeResourceGroup() == null) {
            throw new IllegalStateException("a pool has no vnetSubnetID and the cluster no nodeResourceGroup");
        }
        List<VirtualNetwork> vnets = network.virtualNetworks(subscription, cluster.nodeResourceGroup());
        VirtualNetwork vnet = vnets.stream()
                .filter(v -> v.name().toLowerCase(Locale.ROOT).startsWith(MANAGED_VNET_PREFIX)).findFirst()
                .orElse(vnets.size() == 1 ? vnets.get(0) : null);
        if (vnet == null) {
            throw new IllegalStateException("no AKS-managed VNet in " + cluster.nodeResourceGroup());
        }
        addressSpace.addAll(vnet.addressSpace());
        Subnet subnet = vnet.subnets().stream().filter(s -> s.name().equalsIgnoreCase(MANAGED_SUBNET)).findFirst()
                .orElse(vnet.subnets().size() == 1 ? vnet.subnets().get(0) : null);
        if (subnet == null) {
            throw new IllegalStateException("no " + MANAGED_SUBNET + " in the AKS-managed VNet " + vnet.id());
        }
        return withPrefix(subnet);
    }

    private static Subnet withPrefix(Subnet subnet) {
        if (subnet.addressPrefixes().isEmpty()) {
            throw new IllegalStateException("subnet " + subnet.id() + " has no address prefix");
        }
        return subnet;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
