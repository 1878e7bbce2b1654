package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cluster as {@code az aks show -o json} describes it, plus the spec's additions ({@code subnets},
 * {@code vnetAddressSpace}, {@code subnetConsumers}, {@code observed}). Constructing one proves it could exist
 * in Azure; rule violations Azure would only reject on submission are findings of the planner, not errors here.
 *
 * @param subnets subnet id (or {@code default}) to address prefix; ids compare case-insensitively, as ARM ids do
 * @param subnetConsumers subnet id to addresses used by others (internal load balancer frontends, endpoints, VMs)
 * @param armId the managed cluster's Azure Resource Manager id ({@code id} of {@code az aks show}), null when the
 *        profile does not say which Azure cluster it is
 */
public record ClusterProfile(
        String clusterId,
        String name,
        String resourceGroup,
        NetworkPlugin networkPlugin,
        boolean overlay,
        Cidr podCidr,
        Cidr serviceCidr,
        Long dnsServiceIp,
        OutboundType outboundType,
        LoadBalancerProfile loadBalancer,
        NatGatewayProfile natGateway,
        List<AgentPool> pools,
        Map<String, Cidr> subnets,
        List<Cidr> vnetAddressSpace,
        Map<String, Integer> subnetConsumers,
        Observed observed,
        String armId) {

    public static final int SMALLEST_SUBNET_PREFIX = 29;
    public static final Cidr DEFAULT_SERVICE_CIDR = Cidr.parse("10.0.0.0/16");
    public static final long DEFAULT_DNS_SERVICE_IP = Ipv4.parse("10.0.0.10");
    public static final Cidr DEFAULT_POD_CIDR = Cidr.parse("10.244.0.0/16");

    /** A profile that does not say which Azure cluster it is. */
    public ClusterProfile(String clusterId, String name, String resourceGroup, NetworkPlugin networkPlugin,
            boolean overlay, Cidr podCidr, Cidr serviceCidr, Long dnsServiceIp, OutboundType outboundType,
            LoadBalancerProfile loadBalancer, NatGatewayProfile natGateway, List<AgentPool> pools,
            Map<String, Cidr> subnets, List<Cidr> vnetAddressSpace, Map<String, Integer> subnetConsumers,
            Observed observed) {
        this(clusterId, name, resourceGroup, networkPlugin, overlay, podCidr, serviceCidr, dnsServiceIp, outboundType,
                loadBalancer, natGateway, pools, subnets, vnetAddressSpace, subnetConsumers, observed, null);
    }

    public ClusterProfile {
        require(name != null && !name.isBlank(), "name", "the cluster needs a name");
        armId = armId == null || armId.isBlank() ? null : armId.strip();
        require(armId == null || isManagedClusterId(armId), "id", "'" + armId + "' is not a managed cluster's id, "
                + "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>");
        clusterId = clusterId == null || clusterId.isBlank() ? name : clusterId;
        resourceGroup = resourceGroup == null || resourceGroup.isBlank() ? null : resourceGroup;
        networkPlugin = networkPlugin == null ? NetworkPlugin.AZURE : networkPlugin;
        outboundType = outboundType == null ? OutboundType.LOAD_BALANCER : outboundType;
        loadBalancer = loadBalancer == null ? LoadBalancerProfile.AKS_DEFAULT : loadBalancer;
        natGateway = natGateway == null ? NatGatewayProfile.AKS_DEFAULT : natGateway;
        observed = observed == null ? Observed.NOTHING : observed;
        require(pools != null && !pools.isEmpty(), "agentPoolProfiles", "a cluster needs at least one pool");
        pools = List.copyOf(pools);
        subnets = subnets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(subnets));
        vnetAddressSpace = vnetAddressSpace == null ? List.of() : List.copyOf(vnetAddressSpace);
        subnetConsumers = subnetConsumers == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(subnetConsumers));

        // Ids are canonicalised to the spelling subnets lists, once, so every later lookup is an exact one.
        Map<String, String> listed = new HashMap<>();
        for (Map.Entry<String, Cidr> subnet : subnets.entrySet()) {
            require(subnet.getValue() != null, "subnets[\"" + subnet.getKey() + "\"]", "missing address prefix");
            require(subnet.getValue().prefix() <= SMALLEST_SUBNET_PREFIX, "subnets[\"" + subnet.getKey() + "\"]",
                    subnet.getValue() + " is smaller than /" + SMALLEST_SUBNET_PREFIX + ", the smallest Azure subnet");
            require(listed.putIfAbsent(key(subnet.getKey()), subnet.getKey()) == null,
                    "subnets[\"" + subnet.getKey() + "\"]", "listed twice (subnet ids compare case-insensitively)");
        }
        Map<String, Integer> consumers = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> consumer : subnetConsumers.entrySet()) {
            String field = "subnetConsumers[\"" + consumer.getKey() + "\"]";
            require(consumer.getValue() != null && consumer.getValue() >= 0, field, "must not be negative");
            String id = listed.get(key(consumer.getKey()));
            require(id != null, field, "names a subnet absent from subnets");
            consumers.merge(id, consumer.getValue(), Integer::sum);
        }
        subnetConsumers = Collections.unmodifiableMap(consumers);
        Set<String> poolNames = new HashSet<>();
        List<AgentPool> canonical = new ArrayList<>(pools.size());
        for (int i = 0; i < pools.size(); i++) {
            AgentPool pool = pools.get(i);
            String field = "agentPoolProfiles[" + i + "]";
            require(poolNames.add(pool.name().toLowerCase(Locale.ROOT)), field + ".name",
                    "pool name '" + pool.name() + "' is used twice");
            String nodeSubnet = listed.get(key(pool.nodeSubnetKey()));
            require(nodeSubnet != null,
                    pool.vnetSubnetId() != null ? field + ".vnetSubnetID" : "subnets",
                    pool.vnetSubnetId() != null
                            ? "names subnet '" + pool.vnetSubnetId() + "' absent from subnets"
                            : "pool '" + pool.name() + "' has no vnetSubnetID, so subnets needs a 'default' entry "
                                    + "with the AKS-managed subnet's prefix");
            String podSubnet = pool.podSubnetId() == null ? null : listed.get(key(pool.podSubnetId()));
            require(pool.podSubnetId() == null || podSubnet != null, field + ".podSubnetID",
                    "names subnet '" + pool.podSubnetId() + "' absent from subnets");
            require(pool.podSubnetId() == null || networkPlugin == NetworkPlugin.AZURE, field + ".podSubnetID",
                    "a pod subnet needs networkPlugin azure");
            canonical.add(Objects.equals(nodeSubnet, pool.nodeSubnetKey()) && Objects.equals(podSubnet, pool.podSubnetId())
                    ? pool : pool.inSubnets(pool.vnetSubnetId() == null ? null : nodeSubnet, podSubnet));
        }
        pools = List.copyOf(canonical);
    }

    /** {@code /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>}. */
    private static boolean isManagedClusterId(String id) {
        String[] parts = id.split("/", -1);
        return parts.length == 9 && parts[0].isEmpty() && "subscriptions".equalsIgnoreCase(parts[1])
                && !parts[2].isBlank() && "resourceGroups".equalsIgnoreCase(parts[3]) && !parts[4].isBlank()
                && "providers".equalsIgnoreCase(parts[5]) && "Microsoft.ContainerService".equalsIgnoreCase(parts[6])
                && "managedClusters".equalsIgnoreCase(parts[7]) && !parts[8].isBlank();
    }

    static String key(String subnetId) {
        return subnetId.toLowerCase(Locale.ROOT);
    }

    /** The resource group as printed commands name it: a placeholder the reader fills when the profile has none. */
    String resourceGroupForCommands() {
        return resourceGroup != null ? resourceGroup : "<resource-group>";
    }

    /** The derived plugin mode of one pool (a pod subnet is a per-pool choice). */
    public PluginMode modeOf(AgentPool pool) {
        return switch (networkPlugin) {
            case KUBENET -> PluginMode.KUBENET;
            case NONE -> PluginMode.BYO_CNI;
            case AZURE -> overlay ? PluginMode.CNI_OVERLAY
                    : pool.podSubnetId() != null ? PluginMode.CNI_POD_SUBNET : PluginMode.CNI_NODE_SUBNET;
        };
    }

    /** The cluster's plugin mode, as its first pool sees it. */
    public PluginMode pluginMode() {
        return modeOf(pools.get(0));
    }

    public int maxPodsOf(AgentPool pool) {
        return pool.maxPodsOr(modeOf(pool).defaultMaxPods());
    }

    public Cidr effectivePodCidr() {
        return podCidr != null ? podCidr : DEFAULT_POD_CIDR;
    }

    public Cidr effectiveServiceCidr() {
        return serviceCidr != null ? serviceCidr : DEFAULT_SERVICE_CIDR;
    }

    public long effectiveDnsServiceIp() {
        return dnsServiceIp != null ? dnsServiceIp : DEFAULT_DNS_SERVICE_IP;
    }

    /** The subnet a pool names; pools' ids are already spelled as {@code subnets} lists them. */
    public Cidr subnet(String subnetId) {
        return subnets.get(subnetId);
    }

    public int consumersOf(String subnetId) {
        return subnetConsumers.getOrDefault(subnetId, 0);
    }

    /** Whether every pool sits in the AKS-managed VNet (then a managed NAT gateway is the NAT option). */
    public boolean usesManagedVnet() {
        return pools.stream().allMatch(pool -> pool.vnetSubnetId() == null);
    }

    public int currentNodes() {
        return pools.stream().mapToInt(AgentPool::currentNodes).sum();
    }

    /** {@code N_plan}: planned nodes plus the surge of every pool, what the resource provider validates. */
    public int plannedNodes() {
        return pools.stream().mapToInt(AgentPool::plannedNodesWithSurge).sum();
    }

    /** The same cluster with live node counts per pool (pools absent from the map keep their count). */
    public ClusterProfile withLiveNodes(Map<String, Integer> liveNodesByPool) {
        List<AgentPool> live = new ArrayList<>(pools.size());
        for (AgentPool pool : pools) {
            live.add(pool.withLiveNodes(liveNodesByPool.get(pool.name())));
        }
        return new ClusterProfile(clusterId, name, resourceGroup, networkPlugin, overlay, podCidr, serviceCidr,
                dnsServiceIp, outboundType, loadBalancer, natGateway, live, subnets, vnetAddressSpace, subnetConsumers,
                observed, armId);
    }

    public ClusterProfile withObserved(Observed seen) {
        return new ClusterProfile(clusterId, name, resourceGroup, networkPlugin, overlay, podCidr, serviceCidr,
                dnsServiceIp, outboundType, loadBalancer, natGateway, pools, subnets, vnetAddressSpace, subnetConsumers,
                seen, armId);
    }
}
