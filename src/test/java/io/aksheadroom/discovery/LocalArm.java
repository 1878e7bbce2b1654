package io.aksheadroom.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

/**
 * Azure Resource Manager's documented REST shapes, as the local Azure answers them: managed clusters
 * (Microsoft.ContainerService 2025-09-01), virtual networks with their subnets, public IP prefixes, load balancers and
 * NAT gateways (Microsoft.Network). Ids and names are what Azure writes; the answers carry only the fields the
 * service reads and a few it must ignore.
 */
final class LocalArm {

    static final ObjectMapper JSON = new ObjectMapper();

    private LocalArm() {
    }

    static String clusterId(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourcegroups/" + resourceGroup
                + "/providers/Microsoft.ContainerService/managedClusters/" + name;
    }

    static String vnetId(String subscription, String resourceGroup, String vnet) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/virtualNetworks/" + vnet;
    }

    static String subnetId(String subscription, String resourceGroup, String vnet, String subnet) {
        return vnetId(subscription, resourceGroup, vnet) + "/subnets/" + subnet;
    }

    static String prefixId(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/publicIPPrefixes/" + name;
    }

    static String loadBalancerId(String subscription, String resourceGroup) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/loadBalancers/kubernetes";
    }

    static String natGatewayId(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/natGateways/" + name;
    }

    /** A managed cluster as {@code GET .../managedClusters} lists it. */
    static final class Cluster {
        final ObjectNode json = JSON.createObjectNode();
        final ObjectNode properties;
        final ObjectNode network;

        Cluster(String subscription, String resourceGroup, String name, String location) {
            json.put("id", clusterId(subscription, resourceGroup, name));
            json.put("location", location);
            json.put("name", name);
            json.put("type", "Microsoft.ContainerService/ManagedClusters");
            properties = json.putObject("properties");
            properties.put("provisioningState", "Succeeded");
            properties.putObject("powerState").put("code", "Running");
            properties.put("kubernetesVersion", "1.31.2");
            properties.put("dnsPrefix", name);
            properties.put("nodeResourceGroup", "MC_" + resourceGroup + "_" + name + "_" + location);
            properties.putArray("agentPoolProfiles");
            network = properties.putObject("networkProfile");
            network.put("networkPlugin", "azure");
            network.put("serviceCidr", "10.0.0.0/16");
            network.put("dnsServiceIP", "10.0.0.10");
            network.put("outboundType", "loadBalancer");
            network.put("loadBalancerSku", "standard");
            ObjectNode lb = network.putObject("loadBalancerProfile");
            lb.putObject("managedOutboundIPs").put("count", 1);
            lb.putArray("effectiveOutboundIPs").addObject().put("id", "/subscriptions/" + subscription
                    + "/resourceGroups/" + nodeResourceGroup() + "/providers/Microsoft.Network/publicIPAddresses/ip1");
        }

        String nodeResourceGroup() {
            return properties.path("nodeResourceGroup").asText();
        }

        /** A VMSS pool; {@code vnetSubnetId} null puts it in the AKS-managed VNet. */
        Cluster pool(String name, int count, int maxPods, String vnetSubnetId) {
            ObjectNode pool = ((ArrayNode) properties.get("agentPoolProfiles")).addObject();
            pool.put("name", name);
            pool.put("count", count);
            pool.put("vmSize", "Standard_D4s_v5");
            pool.put("maxPods", maxPods);
            pool.put("type", "VirtualMachineScaleSets");
            pool.put("enableAutoScaling", false);
            pool.put("mode", "System");
            pool.put("osType", "Linux");
            if (vnetSubnetId != null) {
                pool.put("vnetSubnetID", vnetSubnetId);
            }
            pool.putObject("upgradeSettings").put("maxSurge", "1");
            pool.putObject("powerState").put("code", "Running");
            return this;
        }

        Cluster autoscale(String pool, int min, int max) {
            ObjectNode p = poolNamed(pool);
            p.put("enableAutoScaling", true).put("minCount", min).put("maxCount", max);
            return this;
        }

        Cluster podSubnet(String pool, String podSubnetId) {
            poolNamed(pool).put("podSubnetID", podSubnetId);
            return this;
        }

        Cluster manualPorts(int ports) {
            ((ObjectNode) network.get("loadBalancerProfile")).put("allocatedOutboundPorts", ports);
            return this;
        }

        Cluster managedOutboundIps(int count) {
            ((ObjectNode) network.get("loadBalancerProfile").get("managedOutboundIPs")).put("count", count);
            return this;
        }

        /** The user's own prefixes instead of managed IPs. */
        Cluster outboundPrefixes(String... prefixIds) {
            ObjectNode lb = (ObjectNode) network.get("loadBalancerProfile");
            lb.remove("managedOutboundIPs");
            ArrayNode prefixes = lb.putObject("outboundIPPrefixes").putArray("publicIPPrefixes");
            for (String id : prefixIds) {
                prefixes.addObject().put("id", id);
            }
            return this;
        }

        Cluster outboundType(String type) {
            network.put("outboundType", type);
            if (!type.equals("loadBalancer")) {
                network.remove("loadBalancerProfile");
            }
            return this;
        }

        ObjectNode poolNamed(String name) {
            for (var pool : properties.get("agentPoolProfiles")) {
                if (pool.path("name").asText().equals(name)) {
                    return (ObjectNode) pool;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    /** A virtual network with its subnets as {@code GET .../virtualNetworks/{name}} answers. */
    static final class Vnet {
        final ObjectNode json = JSON.createObjectNode();
        final String subscription;
        final String resourceGroup;
        final String name;

        Vnet(String subscription, String resourceGroup, String name, String... addressSpace) {
            this.subscription = subscription;
            this.resourceGroup = resourceGroup;
            this.name = name;
            json.put("name", name);
            json.put("id", vnetId(subscription, resourceGroup, name));
            json.put("etag", "W/\"00000000-0000-0000-0000-000000000001\"");
            json.put("type", "Microsoft.Network/virtualNetworks");
            json.put("location", "westeurope");
            ObjectNode properties = json.putObject("properties");
            properties.put("provisioningState", "Succeeded");
            ArrayNode prefixes = properties.putObject("addressSpace").putArray("addressPrefixes");
            for (String prefix : addressSpace) {
                prefixes.add(prefix);
            }
            properties.putArray("subnets");
        }

        String id() {
            return vnetId(subscription, resourceGroup, name);
        }

        String subnet(String subnet) {
            return subnetId(subscription, resourceGroup, name, subnet);
        }

        /** A subnet holding {@code ipConfigurations} IP configurations (NICs, load balancer frontends, endpoints). */
        Vnet subnet(String subnet, String prefix, int ipConfigurations) {
            return subnet(subnet, prefix, ipConfigurations, null);
        }

        Vnet subnet(String subnet, String prefix, int ipConfigurations, String natGatewayId) {
            ObjectNode s = ((ArrayNode) json.get("properties").get("subnets")).addObject();
            s.put("name", subnet);
            s.put("id", subnet(subnet));
            s.put("type", "Microsoft.Network/virtualNetworks/subnets");
            ObjectNode properties = s.putObject("properties");
            properties.put("provisioningState", "Succeeded");
            properties.put("addressPrefix", prefix);
            ArrayNode configurations = properties.putArray("ipConfigurations");
            for (int i = 0; i < ipConfigurations; i++) {
                configurations.addObject().put("id", "/subscriptions/" + subscription + "/resourceGroups/MC_x"
                        + "/providers/Microsoft.Compute/virtualMachineScaleSets/aks-vmss/virtualMachines/" + (i / 31)
                        + "/networkInterfaces/aks-vmss/ipConfigurations/ipconfig" + (i % 31 + 1));
            }
            if (natGatewayId != null) {
                properties.putObject("natGateway").put("id", natGatewayId);
            }
            properties.put("privateEndpointNetworkPolicies", "Disabled");
            return this;
        }

        void serve(WireMockServer arm) {
            arm.stubFor(get(urlPathEqualTo(id())).willReturn(okJson(json.toString())));
        }
    }

    static MappingBuilder clusterList(String subscription) {
        return get(urlPathEqualTo("/subscriptions/" + subscription
                + "/providers/Microsoft.ContainerService/managedClusters"));
    }

    static RequestPatternBuilder clusterListRequested(String subscription) {
        return getRequestedFor(urlPathEqualTo("/subscriptions/" + subscription
                + "/providers/Microsoft.ContainerService/managedClusters"));
    }

    /**
     * The clusters of a subscription in pages: every page but the last names the next in {@code nextLink}, an
     * absolute URL with a {@code $skipToken}, as ARM pages.
     */
    @SafeVarargs
    static void serveClusters(WireMockServer arm, String subscription, List<Cluster>... pages) {
        String path = "/subscriptions/" + subscription + "/providers/Microsoft.ContainerService/managedClusters";
        for (int i = 0; i < pages.length; i++) {
            ObjectNode page = JSON.createObjectNode();
            ArrayNode value = page.putArray("value");
            pages[i].forEach(cluster -> value.add(cluster.json));
            if (i + 1 < pages.length) {
                page.put("nextLink", "https://localhost:" + arm.httpsPort() + path
                        + "?api-version=2025-09-01&$skipToken=page" + (i + 2));
            }
            arm.stubFor(clusterList(subscription)
                    .withQueryParam("$skipToken", i == 0 ? absent() : equalTo("page" + (i + 1)))
                    .willReturn(okJson(page.toString())));
        }
    }

    /** The VNets of a resource group, as {@code GET .../resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks}. */
    static void serveVnetsOf(WireMockServer arm, String subscription, String resourceGroup, Vnet... vnets) {
        ObjectNode page = JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (Vnet vnet : vnets) {
            value.add(vnet.json);
        }
        arm.stubFor(get(urlPathEqualTo("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/virtualNetworks")).willReturn(okJson(page.toString())));
    }

    static void servePrefix(WireMockServer arm, String id, int prefixLength, String ipPrefix) {
        ObjectNode prefix = JSON.createObjectNode();
        prefix.put("name", id.substring(id.lastIndexOf('/') + 1));
        prefix.put("id", id);
        prefix.put("type", "Microsoft.Network/publicIPPrefixes");
        prefix.put("location", "westeurope");
        prefix.putObject("sku").put("name", "Standard").put("tier", "Regional");
        ObjectNode properties = prefix.putObject("properties");
        properties.put("prefixLength", prefixLength);
        properties.put("ipPrefix", ipPrefix);
        properties.put("publicIPAddressVersion", "IPv4");
        properties.put("provisioningState", "Succeeded");
        arm.stubFor(get(urlPathEqualTo(id)).willReturn(okJson(prefix.toString())));
    }

    /** The AKS load balancer of a node resource group, its outbound rule using {@code outboundFrontends} frontends. */
    static void serveLoadBalancer(WireMockServer arm, String subscription, String nodeResourceGroup,
            int outboundFrontends) {
        String id = loadBalancerId(subscription, nodeResourceGroup);
        ObjectNode lb = JSON.createObjectNode();
        lb.put("name", "kubernetes");
        lb.put("id", id);
        lb.put("type", "Microsoft.Network/loadBalancers");
        lb.put("location", "westeurope");
        lb.putObject("sku").put("name", "Standard");
        ObjectNode properties = lb.putObject("properties");
        ArrayNode frontends = properties.putArray("frontendIPConfigurations");
        List<String> frontendIds = new ArrayList<>();
        for (int i = 0; i < outboundFrontends; i++) {
            String frontendId = id + "/frontendIPConfigurations/fe-" + i;
            frontendIds.add(frontendId);
            frontends.addObject().put("name", "fe-" + i).put("id", frontendId);
        }
        ObjectNode rule = properties.putArray("outboundRules").addObject();
        rule.put("name", "aksOutboundRule");
        rule.put("id", id + "/outboundRules/aksOutboundRule");
        ObjectNode ruleProperties = rule.putObject("properties");
        ArrayNode ruleFrontends = ruleProperties.putArray("frontendIPConfigurations");
        frontendIds.forEach(frontendId -> ruleFrontends.addObject().put("id", frontendId));
        ruleProperties.put("protocol", "All");
        arm.stubFor(get(urlPathEqualTo(id)).willReturn(okJson(lb.toString())));
    }

    static void serveNatGateways(WireMockServer arm, String subscription, String resourceGroup, String... names) {
        ObjectNode page = JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (String name : names) {
            value.addObject().put("name", name).put("id", natGatewayId(subscription, resourceGroup, name))
                    .put("type", "Microsoft.Network/natGateways").put("location", "westeurope")
                    .putObject("properties").put("idleTimeoutInMinutes", 4);
        }
        arm.stubFor(get(urlPathEqualTo("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Network/natGateways")).willReturn(okJson(page.toString())));
    }
}
