package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.WireJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** az prints the Python SDK's camelCase: {@code vnetSubnetId}, where ARM and the vectors say {@code vnetSubnetID}. */
    @Test
    void theAzCliSpellingsPlanLikeTheArmOnes() throws Exception {
        for (JsonNode vector : PlanVectors.valid()) {
            String arm = vector.get("profile").toString();
            String cli = arm.replace("\"vnetSubnetID\"", "\"vnetSubnetId\"").replace("\"podSubnetID\"", "\"podSubnetId\"")
                    .replace("\"dnsServiceIP\"", "\"dnsServiceIp\"")
                    .replace("\"outboundIPPrefixes\"", "\"outboundIpPrefixes\"");
            CapacityPlanner planner = new CapacityPlanner();
            assertEquals(planner.plan(ProfileJson.parse(MAPPER.readTree(arm))),
                    planner.plan(ProfileJson.parse(MAPPER.readTree(cli))), vector.get("name").asText());
        }
    }

    @Test
    void aProfileSurvivesItsOwnWireForm() throws Exception {
        for (JsonNode vector : PlanVectors.valid()) {
            ClusterProfile profile = ProfileJson.parse(vector.get("profile"));
            ClusterProfile again = ProfileJson.parse(WireJson.tree(profile));
            assertEquals(profile.withObserved(null), again, vector.get("name").asText());
        }
    }

    /** {@code az aks show} prints the cluster's ARM id as {@code id}; discovery keeps it to know which profiles it owns. */
    @Test
    void theManagedClustersArmIdTravelsAsId() throws Exception {
        String id = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg/providers"
                + "/Microsoft.ContainerService/managedClusters/c";
        ClusterProfile profile = ProfileJson.parse(MAPPER.readTree("{\"id\":\"" + id + "\",\"name\":\"c\","
                + "\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}}"));
        assertEquals(id, profile.armId());
        assertEquals(id, WireJson.tree(profile).path("id").asText());
        assertEquals(profile, ProfileJson.parse(WireJson.tree(profile)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"name\":\"c\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1,\"maxPods\":300}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | agentPoolProfiles[0].maxPods",
        "{\"name\":\"c\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1,\"enableAutoScaling\":true,\"minCount\":5,\"maxCount\":3}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | agentPoolProfiles[0].minCount",
        "{\"name\":\"c\",\"networkProfile\":{\"loadBalancerProfile\":{\"allocatedOutboundPorts\":64008}},\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | networkProfile.loadBalancerProfile.allocatedOutboundPorts",
        "{\"name\":\"c\",\"networkProfile\":{\"loadBalancerProfile\":{\"managedOutboundIPs\":{\"count\":101}}},\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | networkProfile.loadBalancerProfile.managedOutboundIPs.count",
        "{\"name\":\"c\",\"networkProfile\":{\"natGatewayProfile\":{\"managedOutboundIPProfile\":{\"count\":17}}},\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | networkProfile.natGatewayProfile.managedOutboundIPProfile.count",
        "{\"name\":\"c\",\"networkProfile\":{\"loadBalancerProfile\":{\"outboundIPPrefixes\":{\"publicIPPrefixes\":[{\"id\":\"x\"}]}}},\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | networkProfile.loadBalancerProfile.outboundIPPrefixes.publicIPPrefixes[0].prefixLength",
        "{\"name\":\"c\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1,\"vnetSubnetID\":\"/x/subnets/other\"}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | agentPoolProfiles[0].vnetSubnetID",
        "{\"name\":\"c\",\"agentPoolProfiles\":[]} | agentPoolProfiles",
        "{\"id\":\"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/kubernetes\",\"name\":\"c\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | id",
        "{\"name\":\"c\",\"networkProfile\":{\"dnsServiceIP\":\"10.0.0.300\"},\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | networkProfile.dnsServiceIP",
        "{\"name\":\"c\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":1,\"upgradeSettings\":{\"maxSurge\":\"33 percent\"}}],\"subnets\":{\"default\":\"10.0.0.0/16\"}} | agentPoolProfiles[0].upgradeSettings.maxSurge"})
    void impossibleProfilesNameTheirField(String json, String field) throws Exception {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> ProfileJson.parse(MAPPER.readTree(json)));
        assertEquals(field, error.field(), error.getMessage());
    }
}
