package io.aksheadroom.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.aksheadroom.azuremonitor.AzureMonitorPoller;
import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.azuremonitor.BatchAnswer;
import io.aksheadroom.azuremonitor.model.SnatAggregation;
import io.aksheadroom.discovery.LocalArm.Cluster;
import io.aksheadroom.discovery.LocalArm.Vnet;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Profiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * End to end in one service: the application's own discovery lists a cluster from the local Resource Manager, its
 * profile goes through the broker into the pipeline (plan, recommendation), and the application's own poller, with
 * no target configured, watches the load balancer discovery found; a busy backend there raises SnatPortsHigh.
 */
@QuarkusTest
@TestProfile(LocalFleet.class)
class DiscoveryEndToEndTest {

    private static final String START = "2026-12-07T11:00:00Z";
    /** Settle 2m, lookback 5m: the poll asks for [11:00, 11:05) and publishes minutes 11:00 to 11:04. */
    private static final Instant NOW = Instant.parse("2026-12-07T11:07:30Z");

    @AzureMonitorServer.Injected
    WireMockServer azure;
    @Inject
    FleetDiscovery discovery;
    @Inject
    AzureMonitorPoller poller;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aDiscoveredClusterIsPlannedRecommendedPolledAndAlertedOn() {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        String sub = LocalFleet.SUB;
        String clusterId = "aks-e2e";
        String backend = "10.240.0.4";
        // 3 nodes x (1 + 30) under Azure CNI, and 4 addresses of others (a private endpoint, ILB frontends).
        Vnet vnet = new Vnet(sub, "net", "vnet-e2e", "10.240.0.0/16").subnet("nodes", "10.240.0.0/24", 3 * 31 + 4);
        vnet.serve(azure);
        Cluster cluster = new Cluster(sub, "rg-e2e", clusterId, "northeurope")
                .pool("nodepool1", 3, 30, vnet.subnet("nodes")).manualPorts(2400);
        LocalArm.serveClusters(azure, sub, List.of(cluster));
        LocalArm.serveLoadBalancer(azure, sub, cluster.nodeResourceGroup(), 1);
        String lb = LocalArm.loadBalancerId(sub, cluster.nodeResourceGroup());

        FleetDiscovery.ListingReport listing = discovery.discoverOnce(NOW);
        assertEquals(Map.of(sub, "listed 1"), listing.subscriptions());
        String metrics = given().get("/q/metrics").asString();
        String ofSub = "subscription=\"" + sub + "\"";
        assertEquals(1.0, value(metrics, "aks_headroom_discovery_clusters", ofSub), metrics);
        assertEquals(NOW.getEpochSecond(), value(metrics, "aks_headroom_discovery_last_success_timestamp_seconds", ofSub));
        assertTrue(value(metrics, "aks_headroom_discovery_calls_total", "outcome=\"success\"") >= 1, metrics);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> given().get("/api/v1/clusters/" + clusterId).statusCode() == 200);
            given().get("/api/v1/clusters").then().body("clusterId", hasItem(clusterId));
            // The subnet headroom from Azure's own figures: /24 has 251 usable; the nodes hold 93, others 4.
            given().get("/api/v1/clusters/" + clusterId).then()
                    .body("plan.subnets[0].cidr", equalTo("10.240.0.0/24"))
                    .body("plan.subnets[0].used", equalTo(93 + 4))
                    .body("plan.subnets[0].consumers", equalTo(4))
                    .body("plan.subnets[0].free", equalTo(251 - 93 - 4));
            JsonNode recommendation = LocalDiscovery.read(kafka.consumeUntil("aks.recommendations",
                    all -> all.stream().anyMatch(r -> clusterId.equals(r.key()) && r.value() != null)).stream()
                    .filter(r -> clusterId.equals(r.key()) && r.value() != null).findFirst().orElseThrow().value());
            assertEquals(clusterId, recommendation.path("clusterId").asText());

            // The node watcher's record of the busy node, as the cluster's Kubernetes API would give it.
            kafka.send("aks.node-events", clusterId, Profiles.nodeAdded(clusterId, START, "aks-nodepool1-0",
                    "nodepool1", backend));
            Double[] allocated = {2400.0, 2400.0, 2400.0, 2400.0, 2400.0};
            Double[] used = {2200.0, 2300.0, 2350.0, 2380.0, 2390.0};
            Map<String, String> series = Map.of(SnatAggregation.BACKEND, backend, SnatAggregation.FRONTEND,
                    "20.3.3.3", SnatAggregation.PROTOCOL, "TCP", SnatAggregation.AWAITING_REMOVAL, "False");
            String answer = BatchAnswer.window(Instant.parse(START), NOW).resource(lb, "Microsoft.Network/loadBalancers")
                    .metric(SnatAggregation.ALLOCATED).series(series, "average", allocated)
                    .and().metric(SnatAggregation.USED).series(series, "average", used).done().json();
            azure.stubFor(post(urlPathEqualTo("/subscriptions/" + sub + "/metrics:getBatch"))
                    .withQueryParam("metricnames", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                            "AllocatedSnatPorts,UsedSnatPorts"))
                    .withRequestBody(containing(lb)).willReturn(okJson(answer)));

            AzureMonitorPoller.PollReport poll = poller.pollOnce(NOW);
            assertEquals(5, poll.snatPublished(), poll.toString());

            List<ConsumerRecord<String, String>> alerts = kafka.consumeUntil("aks.alerts", all -> all.stream()
                    .anyMatch(r -> isPortsHigh(r, clusterId)));
            JsonNode alert = LocalDiscovery.read(alerts.stream().filter(r -> isPortsHigh(r, clusterId)).findFirst()
                    .orElseThrow().value());
            assertEquals("firing", alert.path("status").asText());
            assertEquals(backend + "/TCP", alert.path("subject").asText());
        }
    }

    /** The first sample of {@code name} whose labels hold {@code label}, in Prometheus' text format. */
    private static double value(String metrics, String name, String label) {
        return metrics.lines().filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " with " + label));
    }

    private static boolean isPortsHigh(ConsumerRecord<String, String> record, String clusterId) {
        if (record.value() == null) {
            return false;
        }
        JsonNode alert = LocalDiscovery.read(record.value());
        return alert.path("clusterId").asText().equals(clusterId)
                && alert.path("alertname").asText().equals("SnatPortsHigh");
    }
}
