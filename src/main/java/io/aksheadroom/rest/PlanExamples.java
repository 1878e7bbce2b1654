package io.aksheadroom.rest;

/** OpenAPI examples, kept apart so the resource stays readable. */
final class PlanExamples {

    static final String PROFILE = """
            {
              "name": "c2", "resourceGroup": "rg-c2",
              "networkProfile": {
                "networkPlugin": "azure", "outboundType": "loadBalancer",
                "serviceCidr": "10.0.0.0/16", "dnsServiceIP": "10.0.0.10",
                "loadBalancerProfile": { "managedOutboundIPs": { "count": 1 }, "allocatedOutboundPorts": 0 }
              },
              "agentPoolProfiles": [ {
                "name": "nodepool1", "count": 48, "maxPods": 30,
                "enableAutoScaling": true, "minCount": 1, "maxCount": 52,
                "vnetSubnetID": "/subscriptions/0000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks",
                "upgradeSettings": { "maxSurge": "1" }
              } ],
              "subnets": {
                "/subscriptions/0000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks": "10.240.0.0/16"
              },
              "observed": { "peakUsedSnatPortsPerNode": 700 }
            }""";

    static final String PROBLEM = """
            {
              "type": "https://aks-headroom.dev/problems/invalid-input",
              "title": "Invalid input", "status": 400,
              "detail": "agentPoolProfiles[0].count: must not be negative, got -1",
              "field": "agentPoolProfiles[0].count"
            }""";

    private PlanExamples() {
    }
}
