package io.aksheadroom.azuremonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.aksheadroom.azuremonitor.AzureMonitorPollerTest.LB;
import static io.aksheadroom.azuremonitor.AzureMonitorPollerTest.batch;
import static io.aksheadroom.azuremonitor.AzureMonitorPollerTest.ports;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.LB_NEU;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.aksheadroom.azuremonitor.model.SnatAggregation;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Profiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * End to end: the real SDK reads a busy backend from the local Azure, the poller publishes its samples, and the
 * pipeline in the same service turns them into a {@code SnatPortsHigh} alert on the alerts topic.
 */
@QuarkusTest
@TestProfile(LocalAzureTargets.class)
class PollerToAlertTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** An hour after the poller tests' minutes: what they published for this cluster is older and cannot mask these. */
    private static final String START = "2026-11-26T11:00:00Z";
    private static final Instant NOW = Instant.parse("2026-11-26T11:07:30Z");

    @AzureMonitorServer.Injected
    WireMockServer azure;
    @Inject
    AzureMonitorConfig config;
    @Inject
    Instance<AzureMonitorMetrics> monitor;
    @Inject
    SamplePublisher publisher;
    @Inject
    PublishedMinutes published;
    @Inject
    MeterRegistry registry;
    @Inject
    AzureMonitorHealth health;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aBusyBackendInAzureMonitorRaisesSnatPortsHigh() throws Exception {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        String clusterId = "neu-1";
        String backend = "10.226.0.4";
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.send("aks.cluster-profiles", clusterId, Profiles.vector("manual-2400-floor", clusterId).toString());
            kafka.send("aks.node-events", clusterId,
                    Profiles.nodeAdded(clusterId, START, "aks-nodepool1-0", "nodepool1", backend));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/v1/clusters/" + clusterId)
                    .statusCode() == 200);

            Double[] allocated = {2400.0, 2400.0, 2400.0, 2400.0, 2400.0};
            Double[] used = {2200.0, 2300.0, 2350.0, 2380.0, 2390.0};
            String answer = BatchAnswer.window(Instant.parse(START), NOW).resource(LB_NEU, LB)
                    .metric(SnatAggregation.ALLOCATED).series(ports(backend, "20.3.3.3", "TCP", false), "average",
                            allocated)
                    .and().metric(SnatAggregation.USED).series(ports(backend, "20.3.3.3", "TCP", false), "average", used)
                    .done().json();
            azure.stubFor(batch("AllocatedSnatPorts,UsedSnatPorts", LB_NEU).willReturn(okJson(answer)));

            AzureMonitorPoller.PollReport report = new AzureMonitorPoller(config, monitor, publisher, published,
                    registry, health, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)).pollOnce(NOW);
            assertEquals(5, report.snatPublished(), report.toString());

            List<ConsumerRecord<String, String>> alerts;
            try {
                alerts = kafka.consumeUntil("aks.alerts", all -> all.stream()
                        .map(PollerToAlertTest::json).anyMatch(a -> isPortsHigh(a, clusterId)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no SnatPortsHigh; the pipeline holds: "
                        + given().get("/api/v1/clusters/" + clusterId).asString(), e);
            }
            JsonNode alert = alerts.stream().map(PollerToAlertTest::json).filter(a -> isPortsHigh(a, clusterId))
                    .findFirst().orElseThrow();
            assertEquals("firing", alert.path("status").asText());
            assertEquals("critical", alert.path("severity").asText());
            assertEquals(backend + "/TCP", alert.path("subject").asText());
            assertEquals("2026-11-26T11:02:00Z", alert.path("startsAt").asText(), "the third busy minute");
        }
    }

    private static boolean isPortsHigh(JsonNode alert, String clusterId) {
        return alert.path("clusterId").asText().equals(clusterId)
                && alert.path("alertname").asText().equals("SnatPortsHigh");
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? MAPPER.createObjectNode() : MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
