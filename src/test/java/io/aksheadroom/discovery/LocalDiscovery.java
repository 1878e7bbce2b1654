package io.aksheadroom.discovery;

import static io.aksheadroom.discovery.LocalArm.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.azuremonitor.TopicTail;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.json.OutgoingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * What the discovery tests share: the local Azure, the application's beans to build discoveries of their own
 * subscriptions from, and a tail of the profiles topic from the moment each test starts.
 */
abstract class LocalDiscovery {

    @AzureMonitorServer.Injected
    WireMockServer azure;

    @Inject
    DiscoveryConfig config;
    @Inject
    Instance<AzureResourceManager> arm;
    @Inject
    PublishedProfiles published;
    @Inject
    ProfilePublisher publisher;
    @Inject
    DiscoveryHealth health;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper mapper;
    @Inject
    OutgoingRecords records;
    @Inject
    CapacityPlanner planner;
    @Inject
    Clock clock;
    @Inject
    TopicsConfig topics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TopicTail profiles;
    DiscoveredTargets targets;

    @BeforeEach
    void reset() {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        profiles = new TopicTail(bootstrapServers, topics.clusterProfiles());
        targets = new DiscoveredTargets();
    }

    @AfterEach
    void close() {
        profiles.close();
    }

    /** A discovery of these subscriptions with no history but what the topic holds: a fresh start of the service. */
    FleetDiscovery discovery(String... subscriptions) {
        return new FleetDiscovery(withSubscriptions(config, subscriptions), arm, published, publisher, targets, health,
                registry, mapper, records, planner, clock);
    }

    static DiscoveryConfig withSubscriptions(DiscoveryConfig config, String... subscriptions) {
        return (DiscoveryConfig) java.lang.reflect.Proxy.newProxyInstance(DiscoveryConfig.class.getClassLoader(),
                new Class<?>[] {DiscoveryConfig.class}, (proxy, method, args) -> method.getName()
                        .equals("subscriptions") ? Optional.of(List.of(subscriptions)) : method.invoke(config, args));
    }

    /** What this test put on the profiles topic: key, then the value (null for a tombstone), in order per key. */
    static Map<String, List<JsonNode>> byKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            byKey.computeIfAbsent(record.key(), k -> new java.util.ArrayList<>()).add(read(record.value()));
        }
        return byKey;
    }

    static JsonNode read(String value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode only(Map<String, List<JsonNode>> byKey, String key) {
        List<JsonNode> values = byKey.get(key);
        assertEquals(1, values == null ? 0 : values.size(), key + " published once: " + byKey.keySet());
        return values.get(0);
    }

    /** The same, calling Azure through {@code resourceManager}. */
    FleetDiscovery discovery(Instance<AzureResourceManager> resourceManager, String... subscriptions) {
        return new FleetDiscovery(withSubscriptions(config, subscriptions), resourceManager, published, publisher,
                targets, health, registry, mapper, records, planner, clock);
    }
}
