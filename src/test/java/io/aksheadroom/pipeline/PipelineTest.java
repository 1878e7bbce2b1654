package io.aksheadroom.pipeline;

import static io.aksheadroom.monitor.AlertRules.NETWORK_PLAN_INVALID;
import static io.aksheadroom.monitor.AlertRules.OUTBOUND_PORTS_EXHAUSTED_AT_PLAN;
import static io.aksheadroom.monitor.AlertRules.POD_CIDR_EXHAUSTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_ALLOCATION_DRIFT;
import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;
import static io.aksheadroom.support.KafkaTestClient.header;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.monitor.AlertRules;
import io.aksheadroom.support.KafkaBrokerResource;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Profiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event pipeline against a real broker: records in, recommendations, alerts and dead letters out. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class PipelineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private static String at(int minute) {
        return T0.plus(Duration.ofMinutes(minute)).toString();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<JsonNode> alertsOf(String clusterId, Predicate<List<JsonNode>> done) {
        List<JsonNode> seen = new java.util.ArrayList<>();
        try {
            kafka.consumeUntil("aks.alerts", all -> {
                seen.clear();
                all.stream().filter(r -> r.value() != null).map(PipelineTest::json)
                        .filter(a -> a.path("clusterId").asText().equals(clusterId)).forEach(seen::add);
                return done.test(seen);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("alerts of " + clusterId + " never met the condition; seen: " + seen.stream()
                    .map(a -> a.path("alertname").asText() + "/" + a.path("status").asText()).toList(), e);
        }
        return List.copyOf(seen);
    }

    private static boolean is(JsonNode alert, AlertRules name) {
        return alert.path("alertname").asText().equals(name.alertname());
    }

    private static long count(List<JsonNode> alerts, AlertRules alertname, String status) {
        return alerts.stream().filter(a -> is(a, alertname)
                && a.path("status").asText().equals(status)).count();
    }

    @Test
    void aProfileBecomesARecommendationWithCloudEventHeaders() {
        ObjectNode profile = Profiles.vector("default-tier-drop-on-scale", "pipe-reco");
        kafka.send("aks.cluster-profiles", "pipe-reco", profile.toString());
        ConsumerRecord<String, String> record = kafka.consumeUntil("aks.recommendations",
                all -> all.stream().anyMatch(r -> "pipe-reco".equals(r.key()))).stream()
                .filter(r -> "pipe-reco".equals(r.key())).findFirst().orElseThrow();
        JsonNode plan = json(record);
        assertEquals("pipe-reco", plan.path("clusterId").asText());
        assertEquals(53, plan.path("plannedNodes").asInt());
        // CAP-1 for an autoscaling hook reading the topic: 999 + its one surge node is SNAT-4's 1,000-node table.
        assertEquals(999, plan.path("pools").get(0).path("maxCountCeiling").asInt());
        assertFalse(plan.path("generatedAt").asText().isEmpty());
        assertEquals("aks-headroom.recommendation.v1", header(record, "ce_type"));
        assertEquals("aks-headroom", header(record, "ce_source"));
        assertEquals("1.0", header(record, "ce_specversion"));
        assertFalse(header(record, "ce_id").isEmpty());
        given().when().get("/api/v1/clusters/pipe-reco").then().statusCode(200)
                .body("plan.snat.portsPerNodeAtPlannedNodes", equalTo(512));
    }

    @Test
    void snatPortsHighFiresAfterThreeSamplesAndResolvesOnce() {
        String id = "pipe-high";
        kafka.send("aks.cluster-profiles", id, Profiles.vector("manual-2400-floor", id).toString());
        kafka.send("aks.node-events", id, Profiles.nodeAdded(id, at(0), "node-a", "nodepool1", "10.240.0.4"));
        for (int m = 1; m <= 4; m++) {
            kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(m), "10.240.0.4", 2400, 2300, 0));
        }
        List<JsonNode> firing = alertsOf(id, all -> count(all, SNAT_PORTS_HIGH, "firing") >= 1);
        JsonNode alert = firing.stream().filter(a -> is(a, SNAT_PORTS_HIGH))
                .findFirst().orElseThrow();
        assertEquals("critical", alert.path("severity").asText());
        assertEquals(at(3), alert.path("startsAt").asText());
        assertEquals("10.240.0.4/TCP", alert.path("subject").asText());
        assertTrue(alert.path("summary").asText().contains("node-a"), alert.toString());

        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(5), "10.240.0.4", 2400, 100, 0));
        List<JsonNode> all = alertsOf(id, list -> count(list, SNAT_PORTS_HIGH, "resolved") >= 1);
        assertEquals(1, count(all, SNAT_PORTS_HIGH, "firing"), "one firing record per episode");
        JsonNode resolved = all.stream().filter(a -> a.path("status").asText().equals("resolved")).findFirst()
                .orElseThrow();
        assertEquals(at(5), resolved.path("endsAt").asText());
        given().when().get("/api/v1/alerts?cluster=" + id).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void planAlertsFireAndResolveWhenTheProfileIsFixed() {
        String id = "pipe-plan";
        ObjectNode broken = Profiles.vector("manual-surge-overflows", id);
        broken.with("networkProfile").put("dnsServiceIP", "10.0.0.1");
        kafka.send("aks.cluster-profiles", id, broken.toString());
        List<JsonNode> fired = alertsOf(id, all -> count(all, OUTBOUND_PORTS_EXHAUSTED_AT_PLAN, "firing") == 1
                && count(all, NETWORK_PLAN_INVALID, "firing") == 1);
        assertEquals("critical", fired.stream().filter(a -> is(a, OUTBOUND_PORTS_EXHAUSTED_AT_PLAN)).findFirst()
                .orElseThrow().path("severity").asText());
        given().when().get("/api/v1/alerts?cluster=" + id + "&severity=critical").then().statusCode(200)
                .body("alertname", hasItem(OUTBOUND_PORTS_EXHAUSTED_AT_PLAN.alertname()));

        ObjectNode fixed = Profiles.vector("manual-surge-overflows", id);
        Profiles.loadBalancer(fixed).with("managedOutboundIPs").put("count", 2);
        kafka.send("aks.cluster-profiles", id, fixed.toString());
        alertsOf(id, all -> count(all, OUTBOUND_PORTS_EXHAUSTED_AT_PLAN, "resolved") == 1
                && count(all, NETWORK_PLAN_INVALID, "resolved") == 1);
    }

    @Test
    void subnetAndPodCidrAlerts() {
        String subnet = "pipe-subnet";
        kafka.send("aks.cluster-profiles", subnet, Profiles.vector("cni-50-nodes-slash22-too-small", subnet).toString());
        alertsOf(subnet, all -> count(all, SUBNET_HEADROOM_LOW, "firing") == 1
                && count(all, SNAT_TIER_DROP, "firing") == 1);
        String overlay = "pipe-overlay";
        kafka.send("aks.cluster-profiles", overlay, Profiles.vector("overlay-podcidr-slash22", overlay).toString());
        alertsOf(overlay, all -> count(all, POD_CIDR_EXHAUSTED, "firing") == 1);
        kafka.send("aks.cluster-profiles", overlay, null);
        alertsOf(overlay, all -> count(all, POD_CIDR_EXHAUSTED, "resolved") == 1);
        List<ConsumerRecord<String, String>> recommendations = kafka.consumeUntil("aks.recommendations",
                all -> all.stream().anyMatch(r -> overlay.equals(r.key()) && r.value() == null));
        assertTrue(recommendations.stream().anyMatch(r -> overlay.equals(r.key()) && r.value() == null),
                "a forgotten cluster's recommendation is tombstoned");
        given().when().get("/api/v1/clusters/" + overlay).then().statusCode(404);
    }

    @Test
    void failingConnectionsDriftAndProjectedExhaustionComeFromSamples() {
        String id = "pipe-samples";
        kafka.send("aks.cluster-profiles", id, Profiles.vector("projected-exhaustion", id).toString());
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(1), "10.240.0.9", 512, 512, 12));
        // Profiles are dated by their record time, samples by their own: a firing plan alert may be re-sent here.
        List<JsonNode> fired = alertsOf(id, all -> count(all, SNAT_CONNECTIONS_FAILING, "firing") == 1
                && count(all, SNAT_ALLOCATION_DRIFT, "firing") == 1
                && count(all, SNAT_EXHAUSTION_PROJECTED, "firing") >= 1);
        assertEquals(512.0, fired.stream().filter(a -> is(a, SNAT_ALLOCATION_DRIFT))
                .findFirst().orElseThrow().path("value").asDouble());
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(2), "10.240.0.9", 1024, 100, 0));
        alertsOf(id, all -> count(all, SNAT_CONNECTIONS_FAILING, "resolved") == 1
                && count(all, SNAT_ALLOCATION_DRIFT, "resolved") == 1);
    }

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndTheStreamFlows() {
        String id = "pipe-bad";
        kafka.send("aks.cluster-profiles", id, Profiles.vector("default-48-nodes-1-ip", id).toString());
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"clusterId\": \"pipe-bad\", ", "malformed JSON");
        bad.put(Profiles.sample(id, at(1), "10.240.0.4", 1024, 10, 0).replace("\"usedSnatPorts\":10",
                "\"usedSnatPorts\":\"ten\""), "invalid value: usedSnatPorts");
        bad.put(Profiles.sample("pipe-nobody", at(1), "10.240.0.4", 1024, 10, 0), "unknown cluster");
        bad.put(Profiles.sample(id, at(1), "10.240.0.4", 1024, -5, 0), "invalid value: usedSnatPorts");
        bad.put(Profiles.sample(id, at(1), "10.240.0.999", 1024, 5, 0), "invalid value: backendIp");
        bad.put(Profiles.sample(id, at(1), "10.240.0.4", 1024, 5, 0).replace(at(1), "yesterday"), "invalid value: at");
        bad.put("{\"pad\":\"" + "x".repeat(30_000) + "\"}", "oversized");
        bad.forEach((value, reason) -> kafka.send("aks.lb-metrics",
                value.contains("pipe-nobody") ? "pipe-nobody" : id, value));
        ObjectNode impossible = Profiles.vector("default-48-nodes-1-ip", id);
        Profiles.pool(impossible).put("count", -1);
        kafka.send("aks.cluster-profiles", id, impossible.toString());
        kafka.send("aks.lb-metrics", "someone-else", Profiles.sample(id, at(1), "10.240.0.4", 1024, 5, 0));
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(2), "10.240.0.4", 1024, 1000, 3));

        List<ConsumerRecord<String, String>> dead = kafka.consumeUntil("aks.dead-letter",
                all -> all.stream().filter(r -> r.key() != null && (r.key().equals(id) || r.key().startsWith("pipe-nobody")
                        || r.key().equals("someone-else"))).count() >= bad.size() + 2);
        List<String> reasons = dead.stream().map(r -> header(r, "dead-letter-reason")).toList();
        bad.values().forEach(reason -> assertTrue(reasons.stream().anyMatch(r -> r != null && r.startsWith(reason)),
                reason + " in " + reasons));
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("invalid value: agentPoolProfiles[0].count")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("differs from the record key")), reasons.toString());
        ConsumerRecord<String, String> oversized = dead.stream()
                .filter(r -> header(r, "dead-letter-reason").startsWith("oversized")).findFirst().orElseThrow();
        assertEquals("true", header(oversized, "dead-letter-truncated"));
        assertEquals("aks.lb-metrics", header(oversized, "dead-letter-topic"));
        // A CloudEvent named after the record it keeps, so one dead-lettered again after a replay is known.
        assertEquals("aks-headroom.dead-letter.v1", header(oversized, "ce_type"));
        assertEquals("aks.lb-metrics-" + header(oversized, "dead-letter-partition") + "@"
                + header(oversized, "dead-letter-offset"), header(oversized, "ce_id"));
        assertEquals(id, header(oversized, "ce_subject"));

        alertsOf(id, all -> count(all, SNAT_CONNECTIONS_FAILING, "firing") == 1);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/api/v1/clusters/" + id).then().statusCode(200).body("plan.currentNodes", equalTo(48));
    }

    private static String minute(String id, String at, String... backends) {
        return "{\"clusterId\":\"" + id + "\",\"at\":\"" + at + "\",\"loadBalancer\":\"/subscriptions/s/"
                + "resourceGroups/mc/providers/Microsoft.Network/loadBalancers/kubernetes\",\"samples\":["
                + String.join(",", backends) + "]}";
    }

    private static String backend(String ip, long allocated, long used, long failed) {
        return "{\"backendIp\":\"" + ip + "\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":" + allocated
                + ",\"usedSnatPorts\":" + used + ",\"failedConnections\":" + failed + "}";
    }

    /**
     * The topic carries both forms: a load balancer's minute as the poller writes it, and one sample per record. A
     * bad minute is dead-lettered with the field that is wrong, down to its sample, and the stream flows on.
     */
    @Test
    void loadBalancerMinutesAndSingleSamplesShareTheTopicAndABadMinuteIsDeadLettered() {
        String id = "pipe-minutes";
        kafka.send("aks.cluster-profiles", id, Profiles.vector("manual-2400-floor", id).toString());
        kafka.send("aks.node-events", id, Profiles.nodeAdded(id, at(0), "node-a", "nodepool1", "10.240.0.4"));
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put(minute(id, at(1), backend("10.240.0.4", 2400, 10, 0), backend("10.240.0.5", 2400, -5, 0)),
                "invalid value: samples[1].usedSnatPorts");
        bad.put(minute(id, at(1), backend("10.240.0.999", 2400, 10, 0)), "invalid value: samples[0].backendIp");
        bad.put(minute(id, at(1), backend("10.240.0.4", 2400, 10, 0), backend("10.240.0.4", 2400, 11, 0)),
                "invalid value: samples[1]");
        bad.put(minute(id, at(1), "7"), "invalid value: samples[0]");
        bad.put(minute(id, "yesterday", backend("10.240.0.4", 2400, 10, 0)), "invalid value: at");
        bad.put(minute(id, at(1)).replace("[]", "{}"), "invalid value: samples");
        bad.forEach((value, reason) -> kafka.send("aks.lb-metrics", id, value));
        for (int m = 1; m <= 3; m++) {
            kafka.send("aks.lb-metrics", id, minute(id, at(m), backend("10.240.0.4", 2400, 2300, 0),
                    backend("10.240.0.5", 2400, 10, 0)));
        }
        // The one-sample form between minutes: the same backend's state moves on.
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(4), "10.240.0.4", 2400, 2350, 0));

        List<JsonNode> firing = alertsOf(id, all -> count(all, SNAT_PORTS_HIGH, "firing") >= 1);
        JsonNode alert = firing.stream().filter(a -> is(a, SNAT_PORTS_HIGH)).findFirst().orElseThrow();
        assertEquals(at(3), alert.path("startsAt").asText());
        assertEquals("10.240.0.4/TCP", alert.path("subject").asText());
        List<ConsumerRecord<String, String>> dead = kafka.consumeUntil("aks.dead-letter",
                all -> all.stream().filter(r -> id.equals(r.key())).count() >= bad.size());
        List<String> reasons = dead.stream().filter(r -> id.equals(r.key()))
                .map(r -> header(r, "dead-letter-reason")).toList();
        assertEquals(bad.size(), reasons.size(), reasons.toString());
        bad.values().forEach(reason -> assertTrue(reasons.stream().anyMatch(r -> r != null && r.startsWith(reason)),
                reason + " in " + reasons));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/clusters/" + id)
                .then().statusCode(200).body("trackedBackends", equalTo(2)));

        kafka.send("aks.lb-metrics", id, minute(id, at(5), backend("10.240.0.4", 2400, 100, 0)));
        alertsOf(id, all -> count(all, SNAT_PORTS_HIGH, "resolved") == 1);
    }

    @Test
    void duplicateAndOlderSamplesChangeNothing() {
        String id = "pipe-dup";
        kafka.send("aks.cluster-profiles", id, Profiles.vector("default-48-nodes-1-ip", id).toString());
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(5), "10.240.0.4", 1024, 300, 0));
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(5), "10.240.0.4", 1024, 1000, 9));
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(4), "10.240.0.4", 1024, 1000, 9));
        kafka.send("aks.lb-metrics", id, Profiles.sample(id, at(6), "10.240.0.5", 1024, 10, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/clusters/" + id)
                .then().statusCode(200).body("trackedBackends", equalTo(2)));
        given().when().get("/api/v1/clusters/" + id).then().body("plan.snat.demandPortsPerNode", equalTo(300))
                .body("firingAlerts.alertname", org.hamcrest.Matchers.not(hasItem(SNAT_CONNECTIONS_FAILING.alertname())));
    }

    @Test
    void natGatewayMinutesRaiseExhaustionPerGateway() {
        String id = "pipe-nat";
        String gateway = "/subscriptions/0/resourceGroups/MC_rg/providers/Microsoft.Network/natGateways/gw";
        ObjectNode profile = Profiles.vector("default-48-nodes-1-ip", id);
        profile.with("networkProfile").put("outboundType", "managedNATGateway");
        profile.with("networkProfile").with("natGatewayProfile").with("managedOutboundIPProfile").put("count", 2);
        kafka.send("aks.cluster-profiles", id, profile.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/v1/clusters/" + id).statusCode() == 200);
        kafka.send("aks.natgw-metrics", id, "{\"clusterId\":\"" + id + "\",\"at\":\"" + at(1) + "\",\"resourceId\":\""
                + gateway + "\",\"failedConnections\":3,\"totalConnections\":500,\"packetDrops\":7}");
        JsonNode alert = alertsOf(id, all -> count(all, SNAT_CONNECTIONS_FAILING, "firing") == 1).stream()
                .filter(a -> is(a, SNAT_CONNECTIONS_FAILING)).findFirst().orElseThrow();
        assertEquals("SNAT-9", alert.path("rule").asText());
        assertEquals(gateway, alert.path("subject").asText());
        given().when().get("/api/v1/clusters/" + id).then().body("plan.snat.mode", equalTo("natGateway"))
                .body("plan.findings.rule", hasItem("SNAT-9"));
    }
}
