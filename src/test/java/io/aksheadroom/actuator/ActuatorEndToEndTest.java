package io.aksheadroom.actuator;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.aksheadroom.actuator.core.Mode;
import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.pipeline.ActuatorFeed;
import io.aksheadroom.pipeline.DeadLetterPublisher;
import io.aksheadroom.pipeline.TopicReader;
import io.aksheadroom.support.ConfigDefaults;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.ProfileBuilder;
import io.aksheadroom.support.Profiles;
import io.aksheadroom.support.WireJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The actuator in the service, end to end: a profile and SNAT samples go through the broker into the pipeline, its
 * recommendation into the actuator's own consumer, which in {@code apply} mode reads the managed cluster from the local
 * Azure and writes it once, with {@code If-Match}, and records the decision on {@code aks.actions}. Then what a second
 * instance would do: in dry-run, and after a restart that must take the cooldown back from {@code aks.actions}.
 */
@QuarkusTest
@TestProfile(LocalActuator.class)
class ActuatorEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @AzureMonitorServer.Injected
    WireMockServer azure;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    TopicsConfig topics;
    @Inject
    PipelineConfig pipeline;
    @Inject
    TopicReader reader;
    @Inject
    DeadLetterPublisher deadLetters;
    @Inject
    ObjectMapper mapper;
    @Inject
    Clock clock;
    @Inject
    CapacityPlanner planner;
    @Inject
    ManagedClusters clusters;
    @Inject
    ActionPublisher publisher;

    @BeforeEach
    void reset() {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
    }

    /** 199 nodes on 2 managed IPs with Azure's default port table: busy backends make the plan ask for more IPs. */
    static ClusterProfile profile(String clusterId) {
        return ProfileBuilder.cluster().clusterId(clusterId).armId(ActuationTest.path(clusterId))
                .pool("p", 199, 30, "1").managedIps(2, 0).build();
    }

    @Test
    void samplesRaiseDemandAndTheActuatorWritesOnceWithIfMatchAndRecordsIt() {
        String clusterId = LocalActuator.APPLIED;
        ActuationTest.serve(azure, clusterId, ActuationTest.managedCluster(clusterId, "Succeeded", "\"e2e-1\"", 2, 0));
        ActuationTest.acceptPuts(azure, clusterId);
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.send(topics.clusterProfiles(), clusterId, WireJson.write(profile(clusterId)));
            for (int node = 0; node < 20; node++) {
                kafka.send(topics.nodeEvents(), clusterId, Profiles.nodeAdded(clusterId,
                        minute.minusSeconds(120).toString(), "aks-p-" + node, "p", "10.240.0." + (4 + node)));
            }
            for (int node = 0; node < 20; node++) {
                kafka.send(topics.lbMetrics(), clusterId, Profiles.sample(clusterId, minute.minusSeconds(60).toString(),
                        "10.240.0." + (4 + node), 256, 250, 40));
            }

            List<ConsumerRecord<String, String>> actions = kafka.consumeUntil(topics.actions(),
                    all -> all.stream().anyMatch(r -> clusterId.equals(r.key()) && outcome(r).equals("applied")),
                    Duration.ofSeconds(60));
            JsonNode applied = read(actions.stream().filter(r -> clusterId.equals(r.key())
                    && outcome(r).equals("applied")).findFirst().orElseThrow());
            List<LoggedRequest> puts = puts(clusterId);
            assertEquals(1, puts.size(), "one write");
            assertEquals("\"e2e-1\"", puts.get(0).getHeader("If-Match"));
            JsonNode body = read(puts.get(0).getBodyAsString());
            assertEquals(4, body.at("/properties/networkProfile/loadBalancerProfile/managedOutboundIPs/count").asInt(),
                    "2 IPs plus the step of 2");
            assertEquals("loadBalancer", body.at("/properties/networkProfile/outboundType").asText());
            assertEquals(0, body.at("/properties/networkProfile/loadBalancerProfile/allocatedOutboundPorts").asInt(),
                    "the default port table is left to Azure");

            assertEquals("apply", applied.path("mode").asText());
            assertEquals(ActuationTest.path(clusterId), applied.path("armId").asText());
            assertEquals("cluster", applied.path("target").asText());
            assertEquals(lbIps(2, 4), applied.path("changes").get(0));
            assertEquals(applied.path("decidedAt").asText(), applied.path("lastAppliedAt").asText());
            assertNotNull(applied.path("newestSampleAt").textValue(), applied.toString());

            // More demand, a new recommendation: within the cooldown it is refused and recorded, and nothing written.
            for (int node = 0; node < 20; node++) {
                kafka.send(topics.lbMetrics(), clusterId, Profiles.sample(clusterId, minute.toString(),
                        "10.240.0." + (4 + node), 256, 256, 400));
            }
            kafka.consumeUntil(topics.actions(), all -> all.stream().anyMatch(r -> clusterId.equals(r.key())
                    && "cooldown".equals(read(r).path("reason").asText())), Duration.ofSeconds(60));
            assertEquals(1, puts(clusterId).size(), "still one write");
        }
    }

    @Test
    void inDryRunTheDecisionIsRecordedAndNothingIsWritten() {
        String clusterId = "act-dry";
        ActuationTest.serve(azure, clusterId, ActuationTest.managedCluster(clusterId, "Succeeded", "\"d-1\"", 2, 0));
        ActuationTest.acceptPuts(azure, clusterId);
        ActuatorFeed dryRun = feed(Mode.DRY_RUN, clusterId);
        Instant now = clock.instant();
        dryRun.consume(profileRecord(clusterId, now));
        dryRun.consume(recommendationRecord(clusterId, 9, now.minusSeconds(30)));

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            JsonNode dry = read(kafka.consumeUntil(topics.actions(), all -> all.stream().anyMatch(r ->
                    clusterId.equals(r.key()) && outcome(r).equals("dry-run"))).stream()
                    .filter(r -> clusterId.equals(r.key()) && outcome(r).equals("dry-run")).findFirst().orElseThrow());
            assertEquals("dry-run", dry.path("mode").asText());
            assertEquals(lbIps(2, 4), dry.path("changes").get(0));
            assertTrue(dry.path("lastAppliedAt").isNull(), dry.toString());
        }
        assertEquals(0, puts(clusterId).size(), "dry-run writes nothing");
        assertEquals(1, azure.findAll(anyRequestedFor(urlPathEqualTo(ActuationTest.path(clusterId)))).size(),
                "one read");
    }

    @Test
    void aRestartedActuatorTakesTheCooldownBackFromTheActionsTopic() {
        String clusterId = "act-restart";
        ActuationTest.serve(azure, clusterId, ActuationTest.managedCluster(clusterId, "Succeeded", "\"r-1\"", 4, 0));
        ActuationTest.acceptPuts(azure, clusterId);
        Instant now = clock.instant();
        // What the instance before the restart wrote after its last write, 5 minutes ago.
        ObjectNode before = JSON.createObjectNode().put("clusterId", clusterId).put("mode", "apply")
                .put("outcome", "applied").put("detail", "Set 2 -> 4").put("target", "cluster")
                .put("decidedAt", now.minus(Duration.ofMinutes(5)).toString())
                .put("recommendationAt", now.minus(Duration.ofMinutes(6)).toString())
                .put("lastAppliedAt", now.minus(Duration.ofMinutes(5)).toString());
        before.putArray("changes");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.send(topics.actions(), clusterId, before.toString());

            ActuatorFeed restarted = feed(Mode.APPLY, clusterId);
            restarted.consume(profileRecord(clusterId, now));
            restarted.consume(recommendationRecord(clusterId, 9, now.minusSeconds(30)));

            assertEquals(now.minus(Duration.ofMinutes(5)), restarted.lastAction(clusterId));
            JsonNode refused = read(kafka.consumeUntil(topics.actions(), all -> all.stream().anyMatch(r ->
                    clusterId.equals(r.key()) && outcome(r).equals("refused"))).stream()
                    .filter(r -> clusterId.equals(r.key()) && outcome(r).equals("refused")).findFirst().orElseThrow());
            assertEquals("cooldown", refused.path("reason").asText(), refused.toString());
            assertEquals(before.path("lastAppliedAt").asText(), refused.path("lastAppliedAt").asText(),
                    "the next record carries the write forward");
        }
        assertEquals(0, azure.findAll(anyRequestedFor(urlPathEqualTo(ActuationTest.path(clusterId)))).size(),
                "a cluster in cooldown is neither read nor written");
    }

    @Test
    void aRecommendationTheActuatorCannotReadIsDeadLetteredWithItsReason() {
        String clusterId = "act-bad";
        ActuatorFeed feed = feed(Mode.DRY_RUN, clusterId);
        feed.consume(record(topics.recommendations(), clusterId, "{\"clusterId\":\"" + clusterId
                + "\",\"snat\":{\"recommendedOutboundIps\":\"many\"},\"generatedAt\":\"2026-12-07T12:00:00Z\"}",
                clock.instant()));
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            ConsumerRecord<String, String> letter = kafka.consumeUntil(topics.deadLetter(), all -> all.stream()
                    .anyMatch(r -> clusterId.equals(r.key()))).stream().filter(r -> clusterId.equals(r.key()))
                    .findFirst().orElseThrow();
            assertEquals("invalid value: snat.recommendedOutboundIps: must be an integer",
                    KafkaTestClient.header(letter, DeadLetterPublisher.REASON));
        }
    }

    /** A second actuator in this service, as another instance configured with {@code mode} would run. */
    ActuatorFeed feed(Mode mode, String allowed) {
        ActuatorConfig config = ConfigDefaults.of(ActuatorConfig.class, Map.of("mode", mode,
                "clusters", Optional.of(Set.of(allowed)), "cooldown", Duration.ofMinutes(30)));
        return new ActuatorFeed(config, topics, pipeline, reader, deadLetters, mapper, clock, planner, clusters,
                publisher);
    }

    ConsumerRecord<String, String> profileRecord(String clusterId, Instant at) {
        return record(topics.clusterProfiles(), clusterId, WireJson.write(profile(clusterId)), at);
    }

    /** A recommendation record as the pipeline writes it, asking for {@code ips} outbound IPs. */
    ConsumerRecord<String, String> recommendationRecord(String clusterId, int ips, Instant newestSample) {
        ObjectNode value = JSON.createObjectNode().put("clusterId", clusterId)
                .put("generatedAt", newestSample.toString()).put("newestSampleAt", newestSample.toString());
        value.putObject("snat").put("recommendedOutboundIps", ips);
        value.putArray("pools");
        return record(topics.recommendations(), clusterId, value.toString(), newestSample);
    }

    static ConsumerRecord<String, String> record(String topic, String key, String value, Instant at) {
        return new ConsumerRecord<>(topic, 0, 0L, at.toEpochMilli(), TimestampType.CREATE_TIME,
                key.getBytes(StandardCharsets.UTF_8).length, value.getBytes(StandardCharsets.UTF_8).length, key, value,
                new RecordHeaders(), Optional.empty());
    }

    List<LoggedRequest> puts(String clusterId) {
        return azure.findAll(putRequestedFor(urlPathEqualTo(ActuationTest.path(clusterId))));
    }

    static JsonNode lbIps(int from, int to) {
        return JSON.createObjectNode().put("field", "networkProfile.loadBalancerProfile.managedOutboundIPs.count")
                .put("from", from).put("to", to);
    }

    static String outcome(ConsumerRecord<String, String> record) {
        return record.value() == null ? "" : read(record.value()).path("outcome").asText();
    }

    static JsonNode read(ConsumerRecord<String, String> record) {
        return read(record.value());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
