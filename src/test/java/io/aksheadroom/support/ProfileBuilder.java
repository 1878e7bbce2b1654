package io.aksheadroom.support;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.MaxSurge;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.capacity.PodIpAllocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Concise profiles for rule tables; defaults are an Azure CNI cluster in one /16 with one managed outbound IP. */
public final class ProfileBuilder {

    public static final String SUBNET = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
    public static final String POD_SUBNET = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods";

    private NetworkPlugin plugin = NetworkPlugin.AZURE;
    private boolean overlay;
    private Cidr podCidr;
    private Cidr serviceCidr;
    private Long dns;
    private OutboundType outbound = OutboundType.LOAD_BALANCER;
    private LoadBalancerProfile lb = new LoadBalancerProfile(1, null, List.of(), 0, null);
    private NatGatewayProfile nat;
    private final List<AgentPool> pools = new ArrayList<>();
    private final Map<String, Cidr> subnets = new LinkedHashMap<>(Map.of(SUBNET, Cidr.parse("10.240.0.0/16")));
    private final List<Cidr> vnet = new ArrayList<>();
    private final Map<String, Integer> consumers = new LinkedHashMap<>();
    private Observed observed;
    private String armId;
    private String clusterId = "c1";

    public static ProfileBuilder cluster() {
        return new ProfileBuilder();
    }

    public ProfileBuilder kubenet(String podCidrText) {
        plugin = NetworkPlugin.KUBENET;
        podCidr = Cidr.parse(podCidrText);
        return this;
    }

    /** Azure CNI Overlay; a null pod CIDR leaves it out (AKS's default 10.244.0.0/16 applies). */
    public ProfileBuilder overlay(String podCidrText) {
        overlay = true;
        podCidr = podCidrText == null ? null : Cidr.parse(podCidrText);
        return this;
    }

    public ProfileBuilder byoCni() {
        plugin = NetworkPlugin.NONE;
        return this;
    }

    public ProfileBuilder services(String cidr, String dnsIp) {
        serviceCidr = Cidr.parse(cidr);
        dns = Ipv4.parse(dnsIp);
        return this;
    }

    public ProfileBuilder outbound(OutboundType type) {
        outbound = type;
        return this;
    }

    public ProfileBuilder managedIps(int ips, int ports) {
        lb = new LoadBalancerProfile(ips, null, List.of(), ports, null);
        return this;
    }

    public ProfileBuilder loadBalancer(LoadBalancerProfile profile) {
        lb = profile;
        return this;
    }

    public ProfileBuilder natGateway(int ips) {
        outbound = OutboundType.MANAGED_NAT_GATEWAY;
        nat = new NatGatewayProfile(ips, null);
        return this;
    }

    public ProfileBuilder ownPublicIps(int count, int ports) {
        lb = new LoadBalancerProfile(null, count, List.of(), ports, null);
        return this;
    }

    public ProfileBuilder subnet(String cidr) {
        subnets.put(SUBNET, Cidr.parse(cidr));
        return this;
    }

    public ProfileBuilder podSubnet(String cidr) {
        subnets.put(POD_SUBNET, Cidr.parse(cidr));
        return this;
    }

    public ProfileBuilder vnet(String cidr) {
        vnet.add(Cidr.parse(cidr));
        return this;
    }

    public ProfileBuilder consumers(int count) {
        consumers.put(SUBNET, count);
        return this;
    }

    public ProfileBuilder observed(Observed seen) {
        observed = seen;
        return this;
    }

    /** A fixed-size pool that leaves maxSurge out (the API's default, 10%, applies). */
    public ProfileBuilder pool(String name, int count, int maxPods) {
        return pool(new AgentPool(name, count, maxPods, false, null, null, null, SUBNET, null, null, null));
    }

    /** A fixed-size pool with its maxSurge stated, such as {@code "1"} or {@code "33%"}. */
    public ProfileBuilder pool(String name, int count, int maxPods, String surge) {
        return pool(new AgentPool(name, count, maxPods, false, null, null, MaxSurge.parse(surge), SUBNET, null, null,
                null));
    }

    public ProfileBuilder autoscaledPool(String name, int count, int maxCount, int maxPods, String surge) {
        return pool(new AgentPool(name, count, maxPods, true, 0, maxCount, MaxSurge.parse(surge), SUBNET, null, null,
                null));
    }

    public ProfileBuilder podSubnetPool(String name, int count, int maxPods, PodIpAllocation allocation) {
        return pool(new AgentPool(name, count, maxPods, false, null, null, null, SUBNET, POD_SUBNET, allocation, null));
    }

    public ProfileBuilder clusterId(String id) {
        clusterId = id;
        return this;
    }

    public ProfileBuilder armId(String id) {
        armId = id;
        return this;
    }

    public ProfileBuilder pool(AgentPool pool) {
        pools.add(pool);
        return this;
    }

    public ClusterProfile build() {
        return new ClusterProfile(clusterId, clusterId, "rg", plugin, overlay, podCidr, serviceCidr, dns, outbound, lb, nat,
                pools, subnets, vnet, consumers, observed, armId);
    }

    public Plan plan() {
        return new CapacityPlanner().plan(build());
    }
}
