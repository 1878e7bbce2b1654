package io.aksheadroom.json;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A cluster profile as it is written to {@code aks.cluster-profiles}, in the shape {@link ProfileJson#parse} reads
 * ({@code az aks show} plus the spec's additions), by the demo feed and the benchmarks. Only what the planner reads is
 * written; {@code observed} is left out, it is the pipeline's to fill.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
record ProfileWire(String clusterId, String id, String name, String resourceGroup, Network networkProfile,
        List<Pool> agentPoolProfiles, Map<String, String> subnets, List<String> vnetAddressSpace,
        Map<String, Integer> subnetConsumers) {

    static ProfileWire of(ClusterProfile profile) {
        Map<String, String> subnets = new LinkedHashMap<>();
        profile.subnets().forEach((id, cidr) -> subnets.put(id, cidr.toString()));
        return new ProfileWire(profile.clusterId(), profile.armId(), profile.name(), profile.resourceGroup(),
                Network.of(profile), profile.pools().stream().map(Pool::of).toList(), subnets,
                profile.vnetAddressSpace().isEmpty() ? null
                        : profile.vnetAddressSpace().stream().map(Cidr::toString).toList(),
                profile.subnetConsumers().isEmpty() ? null : profile.subnetConsumers());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Network(String networkPlugin, String networkPluginMode, String podCidr, String serviceCidr,
            String dnsServiceIP, String outboundType, LoadBalancer loadBalancerProfile,
            NatGateway natGatewayProfile) {

        static Network of(ClusterProfile profile) {
            NatGatewayProfile nat = profile.natGateway();
            return new Network(profile.networkPlugin().wireName(), profile.overlay() ? "overlay" : null,
                    text(profile.podCidr()), text(profile.serviceCidr()),
                    profile.dnsServiceIp() == null ? null : Ipv4.format(profile.dnsServiceIp()),
                    profile.outboundType().wireName(), LoadBalancer.of(profile.loadBalancer()),
                    nat.managedOutboundIpCount() == null && nat.idleTimeoutInMinutes() == null ? null
                            : new NatGateway(Count.of(nat.managedOutboundIpCount()), nat.idleTimeoutInMinutes()));
        }

        private static String text(Cidr cidr) {
            return cidr == null ? null : cidr.toString();
        }
    }

    /** Public IPs are written by count only, with made-up ids: the count is all the planner uses of them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record LoadBalancer(Count managedOutboundIPs, PublicIps outboundIPs, Prefixes outboundIPPrefixes,
            int allocatedOutboundPorts, Integer idleTimeoutInMinutes) {

        static LoadBalancer of(LoadBalancerProfile lb) {
            return new LoadBalancer(Count.of(lb.managedOutboundIpCount()),
                    lb.outboundPublicIpCount() == null ? null : new PublicIps(IntStream
                            .range(0, lb.outboundPublicIpCount()).mapToObj(i -> new Id("publicIP-" + i)).toList()),
                    lb.outboundPrefixLengths().isEmpty() ? null
                            : new Prefixes(lb.outboundPrefixLengths().stream().map(Prefix::new).toList()),
                    lb.allocatedOutboundPorts(), lb.idleTimeoutInMinutes());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NatGateway(Count managedOutboundIPProfile, Integer idleTimeoutInMinutes) {
    }

    @RegisterForReflection
    record Count(int count) {

        static Count of(Integer count) {
            return count == null ? null : new Count(count);
        }
    }

    @RegisterForReflection
    record PublicIps(List<Id> publicIPs) {
    }

    @RegisterForReflection
    record Id(String id) {
    }

    @RegisterForReflection
    record Prefixes(List<Prefix> publicIPPrefixes) {
    }

    @RegisterForReflection
    record Prefix(int prefixLength) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Pool(String name, int count, Integer maxPods, boolean enableAutoScaling, Integer minCount, Integer maxCount,
            UpgradeSettings upgradeSettings, String vnetSubnetID, String podSubnetID, String podIpAllocationMode) {

        static Pool of(AgentPool pool) {
            return new Pool(pool.name(), pool.count(), pool.maxPods(), pool.autoscaling(), pool.minCount(),
                    pool.maxCount(), upgradeSettings(pool), pool.vnetSubnetId(),
                    pool.podSubnetId(), pool.podSubnetId() == null ? null : pool.podIpAllocation().wireName());
        }

        /** An assumed default is left out, as the profile had it: a re-read plan then still says it assumed one. */
        private static UpgradeSettings upgradeSettings(AgentPool pool) {
            return pool.maxSurge().stated() ? new UpgradeSettings(pool.maxSurge().toString()) : null;
        }
    }

    @RegisterForReflection
    record UpgradeSettings(String maxSurge) {
    }
}
