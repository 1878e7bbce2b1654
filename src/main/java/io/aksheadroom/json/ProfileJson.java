package io.aksheadroom.json;

import static io.aksheadroom.json.Fields.array;
import static io.aksheadroom.json.Fields.bool;
import static io.aksheadroom.json.Fields.child;
import static io.aksheadroom.json.Fields.cidr;
import static io.aksheadroom.json.Fields.cidrValue;
import static io.aksheadroom.json.Fields.construct;
import static io.aksheadroom.json.Fields.enumValue;
import static io.aksheadroom.json.Fields.int32;
import static io.aksheadroom.json.Fields.integer;
import static io.aksheadroom.json.Fields.ipv4;
import static io.aksheadroom.json.Fields.kind;
import static io.aksheadroom.json.Fields.number;
import static io.aksheadroom.json.Fields.object;
import static io.aksheadroom.json.Fields.path;
import static io.aksheadroom.json.Fields.requiredInt32;
import static io.aksheadroom.json.Fields.requiredText;
import static io.aksheadroom.json.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.MaxSurge;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.PodIpAllocation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cluster profile in the shape {@code az aks show -o json} prints, plus the spec's additions. Fields it does
 * not use are ignored, since az prints many. Every error names the field's path. Written by databind as
 * {@link ProfileWire}, which {@link DomainJsonModule} puts in place of the profile.
 */
public final class ProfileJson {

    private ProfileJson() {
    }

    public static ClusterProfile parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("", "the body must be a JSON object (az aks show -o json)");
        }
        JsonNode network = object(root, "networkProfile", "");
        String networkPath = "networkProfile";
        String pluginMode = text(network, "networkPluginMode", networkPath);
        if (pluginMode != null && !pluginMode.equalsIgnoreCase("overlay")) {
            throw new InvalidInputException(path(networkPath, "networkPluginMode"),
                    "'" + pluginMode + "' is not 'overlay' (leave it out for the node-subnet mode)");
        }
        Cidr podCidr = orElse(cidr(network, "podCidr", networkPath), () -> firstCidr(network, "podCidrs", networkPath));
        Cidr serviceCidr = orElse(cidr(network, "serviceCidr", networkPath),
                () -> firstCidr(network, "serviceCidrs", networkPath));
        return construct("", () -> new ClusterProfile(
                text(root, "clusterId", ""),
                requiredText(root, "name", ""),
                text(root, "resourceGroup", ""),
                enumValue(network, "networkPlugin", networkPath, NetworkPlugin::fromWire),
                pluginMode != null,
                podCidr,
                serviceCidr,
                ipv4(network, "dnsServiceIP", networkPath),
                enumValue(network, "outboundType", networkPath, OutboundType::fromWire),
                loadBalancer(object(network, "loadBalancerProfile", networkPath), path(networkPath, "loadBalancerProfile")),
                natGateway(object(network, "natGatewayProfile", networkPath), path(networkPath, "natGatewayProfile")),
                pools(array(root, "agentPoolProfiles", "")),
                subnets(object(root, "subnets", "")),
                vnetAddressSpace(array(root, "vnetAddressSpace", "")),
                consumers(object(root, "subnetConsumers", "")),
                observed(object(root, "observed", "")),
                text(root, "id", "")));
    }

    private static <T> T orElse(T value, java.util.function.Supplier<T> fallback) {
        return value != null ? value : fallback.get();
    }

    private static Cidr firstCidr(JsonNode network, String field, String parent) {
        JsonNode list = array(network, field, parent);
        if (list == null || list.isEmpty()) {
            return null;
        }
        JsonNode first = list.get(0);
        String at = path(parent, field) + "[0]";
        if (!first.isTextual()) {
            throw new InvalidInputException(at, "expected a CIDR string, got " + kind(first));
        }
        return cidrValue(first.asText(), at);
    }

    private static LoadBalancerProfile loadBalancer(JsonNode lb, String at) {
        if (lb == null) {
            return null;
        }
        JsonNode managed = object(lb, "managedOutboundIPs", at);
        Integer managedCount = int32(managed, "count", path(at, "managedOutboundIPs"));
        JsonNode outboundIps = object(lb, "outboundIPs", at);
        JsonNode publicIps = array(outboundIps, "publicIPs", path(at, "outboundIPs"));
        JsonNode prefixesHolder = object(lb, "outboundIPPrefixes", at);
        String prefixesPath = path(at, "outboundIPPrefixes.publicIPPrefixes");
        JsonNode prefixes = array(prefixesHolder, "publicIPPrefixes", path(at, "outboundIPPrefixes"));
        List<Integer> prefixLengths = new ArrayList<>();
        if (prefixes != null) {
            for (int i = 0; i < prefixes.size(); i++) {
                Integer length = int32(prefixes.get(i), "prefixLength", prefixesPath + "[" + i + "]");
                if (length == null) {
                    throw new InvalidInputException(prefixesPath + "[" + i + "].prefixLength", "required: az aks show "
                            + "lists prefixes by id only; add the output of az network public-ip prefix show "
                            + "--query prefixLength");
                }
                prefixLengths.add(length);
            }
        }
        Integer ports = int32(lb, "allocatedOutboundPorts", at);
        Integer publicIpCount = publicIps == null ? null : publicIps.size();
        Integer idle = int32(lb, "idleTimeoutInMinutes", at);
        return construct(at, () -> new LoadBalancerProfile(managedCount, publicIpCount, prefixLengths,
                ports == null ? 0 : ports, idle));
    }

    private static NatGatewayProfile natGateway(JsonNode nat, String at) {
        if (nat == null) {
            return null;
        }
        JsonNode managed = object(nat, "managedOutboundIPProfile", at);
        Integer count = int32(managed, "count", path(at, "managedOutboundIPProfile"));
        Integer idle = int32(nat, "idleTimeoutInMinutes", at);
        return construct(at, () -> new NatGatewayProfile(count, idle));
    }

    private static List<AgentPool> pools(JsonNode pools) {
        if (pools == null) {
            return List.of();
        }
        List<AgentPool> result = new ArrayList<>(pools.size());
        for (int i = 0; i < pools.size(); i++) {
            String at = "agentPoolProfiles[" + i + "]";
            JsonNode pool = pools.get(i);
            if (!pool.isObject()) {
                throw new InvalidInputException(at, "expected an object, got " + kind(pool));
            }
            Boolean autoscaling = bool(pool, "enableAutoScaling", at);
            JsonNode upgrade = object(pool, "upgradeSettings", at);
            MaxSurge surge = maxSurge(child(upgrade, "maxSurge"), path(at, "upgradeSettings.maxSurge"));
            String name = requiredText(pool, "name", at);
            int count = requiredInt32(pool, "count", at);
            Integer maxPods = int32(pool, "maxPods", at);
            Integer minCount = int32(pool, "minCount", at);
            Integer maxCount = int32(pool, "maxCount", at);
            String vnetSubnet = text(pool, "vnetSubnetID", at);
            String podSubnet = text(pool, "podSubnetID", at);
            PodIpAllocation allocation = enumValue(pool, "podIpAllocationMode", at, PodIpAllocation::fromWire);
            result.add(construct(at, () -> new AgentPool(name, count, maxPods, Boolean.TRUE.equals(autoscaling),
                    minCount, maxCount, surge, vnetSubnet, podSubnet, allocation, null)));
        }
        return result;
    }

    private static MaxSurge maxSurge(JsonNode value, String at) {
        if (value == null || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw new InvalidInputException(at, "expected a whole node count or a whole percentage such as \"33%\", "
                    + "got " + (value.isNumber() ? value.asText() : kind(value)));
        }
        return construct(at, () -> MaxSurge.parse(value.asText()));
    }

    private static Map<String, Cidr> subnets(JsonNode subnets) {
        Map<String, Cidr> result = new LinkedHashMap<>();
        if (subnets == null) {
            return result;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = subnets.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = "subnets[\"" + entry.getKey() + "\"]";
            if (!entry.getValue().isTextual()) {
                throw new InvalidInputException(at, "expected an address prefix such as \"10.240.0.0/16\", got "
                        + kind(entry.getValue()));
            }
            result.put(entry.getKey(), cidrValue(entry.getValue().asText(), at));
        }
        return result;
    }

    private static List<Cidr> vnetAddressSpace(JsonNode prefixes) {
        List<Cidr> result = new ArrayList<>();
        if (prefixes == null) {
            return result;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            String at = "vnetAddressSpace[" + i + "]";
            if (!prefixes.get(i).isTextual()) {
                throw new InvalidInputException(at, "expected a CIDR string, got " + kind(prefixes.get(i)));
            }
            result.add(cidrValue(prefixes.get(i).asText(), at));
        }
        return result;
    }

    private static Map<String, Integer> consumers(JsonNode consumers) {
        Map<String, Integer> result = new LinkedHashMap<>();
        if (consumers == null) {
            return result;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = consumers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = "subnetConsumers[\"" + entry.getKey() + "\"]";
            long count = Fields.integerValue(entry.getValue(), at);
            if (count < 0 || count > Integer.MAX_VALUE) {
                throw new InvalidInputException(at, "must be within 0.." + Integer.MAX_VALUE + ", got " + count);
            }
            result.put(entry.getKey(), (int) count);
        }
        return result;
    }

    private static Observed observed(JsonNode observed) {
        if (observed == null) {
            return null;
        }
        String at = "observed";
        Integer peak = int32(observed, "peakUsedSnatPortsPerNode", at);
        Long failed = integer(observed, "failedSnatConnections", at);
        Integer pods = int32(observed, "podsPerNode", at);
        Integer allocated = int32(observed, "allocatedSnatPortsPerNode", at);
        Double utilization = number(observed, "peakUtilization", at);
        return construct(at, () -> new Observed(peak, failed, pods, allocated, utilization));
    }
}
