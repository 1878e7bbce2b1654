package io.aksheadroom.dev;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.support.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The demo story end to end: the feed publishes, the pipeline alerts and recommends, on a real broker. */
@QuarkusTest
@TestProfile(DemoFeedTest.FastDemo.class)
class DemoFeedTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The demo on, with a simulated minute every 40 ms so the whole story plays in seconds. */
    public static class FastDemo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aks-headroom.demo.enabled", "true", "aks-headroom.demo.tick", "40ms");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? MAPPER.createObjectNode() : MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Predicate<JsonNode> alert(String alertname, String status) {
        return a -> a.path("clusterId").asText().equals(DemoStory.CLUSTER_ID)
                && a.path("alertname").asText().equals(alertname) && a.path("status").asText().equals(status);
    }

    @Test
    void aNewcomerSeesAlertsFireAndResolveAndTheRecommendationChange() {
        List<Predicate<JsonNode>> story = List.of(alert("SnatTierDrop", "firing"), alert("SnatPortsHigh", "firing"),
                alert("SnatConnectionsFailing", "firing"), alert("SnatExhaustionProjected", "firing"),
                alert("SnatTierDrop", "resolved"), alert("SnatPortsHigh", "resolved"),
                alert("SnatExhaustionProjected", "resolved"));
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.consumeUntil("aks.alerts", all -> story.stream()
                    .allMatch(step -> all.stream().map(DemoFeedTest::json).anyMatch(step)));
            List<JsonNode> recommendations = kafka.consumeUntil("aks.recommendations", all -> all.stream()
                    .filter(r -> DemoStory.CLUSTER_ID.equals(r.key())).map(DemoFeedTest::json)
                    .anyMatch(plan -> plan.path("snat").path("recommendedOutboundIps").asInt() == 2))
                    .stream().filter(r -> DemoStory.CLUSTER_ID.equals(r.key())).map(DemoFeedTest::json).toList();
            assertTrue(recommendations.stream().anyMatch(plan -> plan.path("snat").path("outboundIps").asInt() == 1),
                    "it starts with one outbound IP");
        }
    }
}
