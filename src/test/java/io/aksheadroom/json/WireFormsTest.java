package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.dev.DemoStory;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.KafkaBrokerResource;
import io.aksheadroom.support.PlanVectors;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * The JSON of every record the service writes to Kafka, pinned by one example each, and read back by the reader a
 * consumer (this service included) uses. Written by the application's own ObjectMapper, so the pins hold for what
 * goes on the wire.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class WireFormsTest {

    private static final Instant AT = Instant.parse("2026-11-26T08:01:00Z");

    @Inject
    ObjectMapper mapper;

    @Inject
    OutgoingRecords records;

    @Test
    void aSnatSample() throws Exception {
        SnatSample sample = new SnatSample("aks-pin", AT, "10.224.0.4", Protocol.UDP, 1024, 770, 3L);
        String json = write(sample);
        assertEquals("{\"clusterId\":\"aks-pin\",\"at\":\"2026-11-26T08:01:00Z\",\"backendIp\":\"10.224.0.4\","
                + "\"protocol\":\"UDP\",\"allocatedSnatPorts\":1024,\"usedSnatPorts\":770,\"failedConnections\":3}",
                json);
        assertEquals(sample, EventJson.parseSample(mapper, json));
        assertEquals(sample, EventJson.parseSample(mapper.readTree(json)));

        SnatSample unknownFailures = new SnatSample("aks-pin", Instant.parse("2026-11-26T08:01:00.250Z"), "10.224.0.5",
                Protocol.TCP, 0, 0, null);
        json = write(unknownFailures);
        assertEquals("{\"clusterId\":\"aks-pin\",\"at\":\"2026-11-26T08:01:00.250Z\",\"backendIp\":\"10.224.0.5\","
                + "\"protocol\":\"TCP\",\"allocatedSnatPorts\":0,\"usedSnatPorts\":0}", json);
        assertEquals(unknownFailures, EventJson.parseSample(mapper, json));
    }

    @Test
    void aNatGatewaySample() throws Exception {
        String gateway = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng";
        NatGatewaySample sample = new NatGatewaySample("aks-pin", AT, gateway, 2L, null, 0L);
        String json = write(sample);
        assertEquals("{\"clusterId\":\"aks-pin\",\"at\":\"2026-11-26T08:01:00Z\",\"resourceId\":\"" + gateway
                + "\",\"failedConnections\":2,\"packetDrops\":0}", json);
        assertEquals(sample, EventJson.parseNatGatewaySample(mapper.readTree(json)));
    }

    @Test
    void nodeEvents() throws Exception {
        NodeEvent added = NodeEvent.added("aks-pin", AT, new NodeInfo("aks-user-0", "user", "10.224.0.4", 110));
        assertPinned(added, "{\"clusterId\":\"aks-pin\",\"type\":\"NodeAdded\",\"at\":\"2026-11-26T08:01:00Z\","
                + "\"node\":{\"name\":\"aks-user-0\",\"pool\":\"user\",\"ip\":\"10.224.0.4\",\"maxPods\":110}}");
        NodeEvent removed = NodeEvent.removed("aks-pin", AT, new NodeInfo("aks-user-0", "user", null, null));
        assertPinned(removed, "{\"clusterId\":\"aks-pin\",\"type\":\"NodeRemoved\",\"at\":\"2026-11-26T08:01:00Z\","
                + "\"node\":{\"name\":\"aks-user-0\",\"pool\":\"user\"}}");
        NodeEvent inventory = NodeEvent.inventory("aks-pin", AT, List.of(new NodeInfo("a", "system", null, 30),
                new NodeInfo("b", "system", "10.224.0.5", null)));
        assertPinned(inventory, "{\"clusterId\":\"aks-pin\",\"type\":\"NodeInventory\",\"at\":\"2026-11-26T08:01:00Z\","
                + "\"nodes\":[{\"name\":\"a\",\"pool\":\"system\",\"maxPods\":30},"
                + "{\"name\":\"b\",\"pool\":\"system\",\"ip\":\"10.224.0.5\"}]}");
        // An empty inventory still says so: no nodes at all is news, not a missing field.
        assertPinned(NodeEvent.inventory("aks-pin", AT, List.of()),
                "{\"clusterId\":\"aks-pin\",\"type\":\"NodeInventory\",\"at\":\"2026-11-26T08:01:00Z\",\"nodes\":[]}");
    }

    private void assertPinned(NodeEvent event, String expected) throws Exception {
        String json = write(event);
        assertEquals(expected, json);
        assertEquals(event, EventJson.parseNodeEvent(mapper.readTree(json)));
    }

    @Test
    void aClusterProfile() throws Exception {
        ClusterProfile profile = ProfileJson.parse(mapper.readTree("""
                {"clusterId":"aks-pin","name":"pin","resourceGroup":"rg-pin",
                 "networkProfile":{"networkPlugin":"azure","networkPluginMode":"overlay","podCidr":"192.168.0.0/16",
                   "serviceCidr":"10.0.0.0/16","dnsServiceIP":"10.0.0.10","outboundType":"loadBalancer",
                   "loadBalancerProfile":{"outboundIPs":{"publicIPs":[{"id":"ip-a"},{"id":"ip-b"}]},
                     "outboundIPPrefixes":{"publicIPPrefixes":[{"prefixLength":31}]},
                     "allocatedOutboundPorts":1024,"idleTimeoutInMinutes":4},
                   "natGatewayProfile":{"managedOutboundIPProfile":{"count":2},"idleTimeoutInMinutes":10}},
                 "agentPoolProfiles":[
                   {"name":"system","count":3,"maxPods":30,"enableAutoScaling":true,"minCount":1,"maxCount":5,
                    "upgradeSettings":{"maxSurge":"33%"},
                    "vnetSubnetID":"/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes",
                    "podSubnetID":"/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/pods",
                    "podIpAllocationMode":"StaticBlock"},
                   {"name":"user","count":2,"enableAutoScaling":false,"upgradeSettings":{"maxSurge":"1"},
                    "vnetSubnetID":"/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes"}],
                 "subnets":{"/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes":"10.240.0.0/16",
                   "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/pods":"10.241.0.0/16"},
                 "vnetAddressSpace":["10.240.0.0/15"],
                 "subnetConsumers":{"/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes":5}}
                """));
        String json = write(profile);
        String subnets = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/";
        assertEquals("{\"clusterId\":\"aks-pin\",\"name\":\"pin\",\"resourceGroup\":\"rg-pin\","
                + "\"networkProfile\":{\"networkPlugin\":\"azure\",\"networkPluginMode\":\"overlay\","
                + "\"podCidr\":\"192.168.0.0/16\",\"serviceCidr\":\"10.0.0.0/16\",\"dnsServiceIP\":\"10.0.0.10\","
                + "\"outboundType\":\"loadBalancer\",\"loadBalancerProfile\":{\"outboundIPs\":{\"publicIPs\":"
                + "[{\"id\":\"publicIP-0\"},{\"id\":\"publicIP-1\"}]},\"outboundIPPrefixes\":{\"publicIPPrefixes\":"
                + "[{\"prefixLength\":31}]},\"allocatedOutboundPorts\":1024,\"idleTimeoutInMinutes\":4},"
                + "\"natGatewayProfile\":{\"managedOutboundIPProfile\":{\"count\":2},\"idleTimeoutInMinutes\":10}},"
                + "\"agentPoolProfiles\":[{\"name\":\"system\",\"count\":3,\"maxPods\":30,\"enableAutoScaling\":true,"
                + "\"minCount\":1,\"maxCount\":5,\"upgradeSettings\":{\"maxSurge\":\"33%\"},"
                + "\"vnetSubnetID\":\"" + subnets + "nodes\",\"podSubnetID\":\"" + subnets + "pods\","
                + "\"podIpAllocationMode\":\"StaticBlock\"},{\"name\":\"user\",\"count\":2,\"enableAutoScaling\":false,"
                + "\"upgradeSettings\":{\"maxSurge\":\"1\"},\"vnetSubnetID\":\"" + subnets + "nodes\"}],"
                + "\"subnets\":{\"" + subnets + "nodes\":\"10.240.0.0/16\",\"" + subnets + "pods\":\"10.241.0.0/16\"},"
                + "\"vnetAddressSpace\":[\"10.240.0.0/15\"],\"subnetConsumers\":{\"" + subnets + "nodes\":5}}", json);
        assertEquals(profile, ProfileJson.parse(mapper.readTree(json)));
    }

    @Test
    void everyProfileOfTheVectorsAndTheDemoSurvivesItsWireForm() throws Exception {
        List<ClusterProfile> profiles = new java.util.ArrayList<>();
        PlanVectors.valid().forEach(vector -> profiles.add(ProfileJson.parse(vector.get("profile"))));
        DemoStory story = new DemoStory(AT);
        for (int tick = 0; tick < 50; tick++) {
            ClusterProfile profile = story.tick(tick).profile();
            if (profile != null) {
                profiles.add(profile);
            }
        }
        for (ClusterProfile profile : profiles) {
            assertEquals(profile.withObserved(null), ProfileJson.parse(mapper.readTree(write(profile))),
                    profile.name());
        }
    }

    @Test
    void alerts() throws Exception {
        Alert firing = new Alert("0123456789abcdef", AlertStatus.FIRING, "SnatPortsHigh", "SNAT-4", Severity.WARNING,
                "aks-pin", "10.224.0.4/TCP", "77 % of the node's SNAT ports in use", 0.77, 0.7,
                Instant.parse("2026-11-26T08:00:00Z"), null, AT);
        String json = write(firing);
        assertEquals("{\"fingerprint\":\"0123456789abcdef\",\"status\":\"firing\",\"alertname\":\"SnatPortsHigh\","
                + "\"rule\":\"SNAT-4\",\"severity\":\"warning\",\"clusterId\":\"aks-pin\","
                + "\"subject\":\"10.224.0.4/TCP\","
                + "\"summary\":\"77 % of the node's SNAT ports in use\",\"value\":0.77,\"threshold\":0.7,"
                + "\"startsAt\":\"2026-11-26T08:00:00Z\",\"endsAt\":null,\"updatedAt\":\"2026-11-26T08:01:00Z\","
                + "\"firing\":true}", json);
        assertEquals(firing, AlertJson.parse(mapper.readTree(json)));

        // The record: the alert's fields, then the address of its runbook.
        Runbooks runbooks = new Runbooks(URI.create("https://wiki.example.com/runbooks/"));
        String record = write(AlertJson.of(firing, runbooks));
        assertEquals(json.substring(0, json.length() - 1)
                + ",\"runbook_url\":\"https://wiki.example.com/runbooks/SnatPortsHigh.md\"}", record);
        assertEquals(firing, AlertJson.parse(mapper.readTree(record)));

        Alert resolved = firing.resolvedAt(Instant.parse("2026-11-26T08:02:30.5Z"));
        json = write(AlertJson.of(resolved, runbooks));
        assertEquals(resolved, AlertJson.parse(mapper.readTree(json)));
    }

    @Test
    void recommendations() throws Exception {
        for (var vector : PlanVectors.valid()) {
            Plan plan = new CapacityPlanner().plan(ProfileJson.parse(vector.get("profile")));
            String json = records.write(RecommendationJson.of(plan, AT));
            // The plan's own fields as the plan is written (REST answers the same), then generatedAt.
            String planJson = mapper.writeValueAsString(plan);
            assertEquals(planJson.substring(0, planJson.length() - 1) + ",\"generatedAt\":\"2026-11-26T08:01:00Z\"}",
                    json, vector.get("name").asText());
            ObjectNode tree = mapper.valueToTree(plan);
            assertEquals(tree.put("generatedAt", "2026-11-26T08:01:00Z").toString(), json);
            // Read back after a restart, the record gives the text of the plan it was written from: an unchanged plan
            // is not published again.
            assertEquals(records.write(plan), RecommendationJson.planText(mapper, json));
        }
    }

    @Test
    void everyRecordCarriesItsKeyAnIdASubjectAndItsEventTime() {
        SnatSample sample = new SnatSample("aks-pin", AT, "10.224.0.4", Protocol.UDP, 1024, 770, null);
        assertRecord(records.of(sample), DataSchema.LB_METRICS, "aks-pin", "aks-pin/10.224.0.4/UDP/2026-11-26T08:01:00Z",
                AT);
        String balancer = "/subscriptions/0/resourceGroups/mc/providers/Microsoft.Network/loadBalancers/kubernetes";
        Message<Record<String, String>> minute = records.of(new LoadBalancerMinute("aks-pin", AT, balancer,
                List.of(sample)));
        assertTrue(id(minute).startsWith("aks-pin/" + balancer + "/2026-11-26T08:01:00Z/"), id(minute));
        assertRecord(minute, DataSchema.LB_MINUTE, "aks-pin", id(minute), AT);
        String gateway = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng";
        assertRecord(records.of(new NatGatewaySample("aks-pin", AT, gateway, 0L, 10L, 0L)), DataSchema.NATGW_METRICS,
                "aks-pin",
                "aks-pin/" + gateway + "/2026-11-26T08:01:00Z", AT);
        ClusterProfile profile = new DemoStory(AT).tick(0).profile();
        assertRecord(records.of(profile, AT), DataSchema.CLUSTER_PROFILE, profile.clusterId(),
                profile.clusterId() + "/profile/2026-11-26T08:01:00Z", AT);

        NodeInfo node = new NodeInfo("aks-user-0", "user", "10.224.0.4", 110);
        Message<Record<String, String>> added = records.of(NodeEvent.added("aks-pin", AT, node));
        String id = id(added);
        assertTrue(id.startsWith("aks-pin/NodeAdded/2026-11-26T08:01:00Z/"), id);
        assertRecord(added, DataSchema.NODE_EVENT, "aks-pin", id, AT);
        assertEquals(id, id(records.of(NodeEvent.added("aks-pin", AT, node))), "the same event, the same id");
        assertNotEquals(id, id(records.of(NodeEvent.added("aks-pin", AT, new NodeInfo("aks-user-0", "user",
                "10.224.0.9", 110)))), "the same node added at the same time with another address is news");

        Message<Record<String, String>> tombstone = records.of(DataSchema.RECOMMENDATION, "aks-pin", null,
                "aks-pin/tombstone/" + AT, "aks-pin", AT);
        assertNull(tombstone.getPayload().value());
        assertRecord(tombstone, DataSchema.RECOMMENDATION, "aks-pin", "aks-pin/tombstone/2026-11-26T08:01:00Z", AT);

        Message<Record<String, String>> verbatim = OutgoingRecords.verbatim(null, "aks-pin", "{not json", "origin",
                "aks-pin", null);
        assertEquals(Optional.empty(), verbatim.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow()
                .getDataSchema(), "a value that is someone else's names no schema of the service");
    }

    private static void assertRecord(Message<Record<String, String>> message, DataSchema schema, String key, String id,
            Instant time) {
        assertEquals(key, message.getPayload().key());
        OutgoingCloudEventMetadata<?> attributes = message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(id, attributes.getId());
        assertEquals(URI.create("https://raw.githubusercontent.com/aksheadroom/aks-headroom/main/docs/schemas/"
                + schema.file()), attributes.getDataSchema().orElseThrow());
        assertEquals(key, attributes.getSubject().orElseThrow());
        assertEquals(time, attributes.getTimeStamp().orElseThrow().toInstant());
        assertEquals(ZoneOffset.UTC, attributes.getTimeStamp().orElseThrow().getZone());
        // Type and source are the channel's, from its configuration.
        assertNull(attributes.getType());
        assertNull(attributes.getSource());
    }

    private static String id(Message<Record<String, String>> message) {
        return message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow().getId();
    }

    private String write(Object value) {
        return records.write(value);
    }
}
