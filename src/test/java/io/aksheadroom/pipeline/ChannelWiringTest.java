package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorOutgoingConfiguration;
import io.smallrye.reactive.messaging.providers.impl.Configs;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings each channel ends up with, whether application.properties gives them per channel or once for the
 * connector: read as the connector resolves them (its own configuration classes over the channel's view of the
 * config) and from the Kafka clients it built. The CloudEvents headers themselves are checked on real records by
 * PipelineTest and the Azure Monitor poller's tests.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ChannelWiringTest {

    private static final Set<String> OUTGOING = Set.of(Channels.RECOMMENDATIONS, Channels.ALERTS,
            Channels.DEAD_LETTER, Channels.LB_METRICS_PUBLISH, Channels.NATGW_METRICS_PUBLISH,
            Channels.NODE_EVENTS_PUBLISH, Channels.DEMO_CLUSTER_PROFILES, Channels.DEMO_NODE_EVENTS,
            Channels.DEMO_LB_METRICS, Channels.DISCOVERED_PROFILES, Channels.ACTIONS);

    @Inject
    TopicsConfig topics;

    @Inject
    Config config;

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ParameterizedTest
    @CsvSource({
        "recommendations, recommendations, aks-headroom.recommendation.v1",
        "alerts, alerts, aks-headroom.alert.v1",
        "dead-letter, dead-letter, aks-headroom.dead-letter.v1",
        "lb-metrics-publish, lb-metrics, aks-headroom.lb-metrics.v1",
        "node-events-publish, node-events, aks-headroom.node-event.v1",
        "demo-cluster-profiles, cluster-profiles, aks-headroom.cluster-profile.v1",
        "demo-node-events, node-events, aks-headroom.node-event.v1",
        "demo-lb-metrics, lb-metrics, aks-headroom.lb-metrics.v1",
        "natgw-metrics-publish, natgw-metrics, aks-headroom.natgw-metrics.v1",
        "discovered-profiles, cluster-profiles, aks-headroom.cluster-profile.v1",
        "actions, actions, aks-headroom.action.v1",
    })
    void everyOutgoingChannelWritesDurablyTypedCloudEventsToItsConfiguredTopic(String channel, String topicKey,
            String type) {
        KafkaConnectorOutgoingConfiguration sink = new KafkaConnectorOutgoingConfiguration(
                Configs.outgoing(config, KafkaConnector.CONNECTOR_NAME, channel));
        assertEquals(Optional.of(config.getValue("aks-headroom.topics." + topicKey, String.class)), sink.getTopic());
        assertTrue(sink.getCloudEvents());
        assertEquals("binary", sink.getCloudEventsMode());
        assertEquals(Optional.of("aks-headroom"), sink.getCloudEventsSource());
        assertEquals(Optional.of(type), sink.getCloudEventsType());
        assertTrue(sink.getCloudEventsInsertTimestamp(), "a record that brings no time is stamped when sent");

        Map<String, ?> producer = clients.getProducer(channel).configuration();
        assertEquals(bootstrapServers, producer.get("bootstrap.servers"));
        assertEquals("all", String.valueOf(producer.get("acks")));
        assertEquals("true", String.valueOf(producer.get("enable.idempotence")));
        assertEquals(StringSerializer.class.getName(), String.valueOf(producer.get("key.serializer")));
        assertEquals(StringSerializer.class.getName(), String.valueOf(producer.get("value.serializer")));
    }

    @Test
    void theTableAboveHasEveryOutgoingChannel() {
        assertEquals(OUTGOING, clients.getProducerChannels());
    }

    @Test
    void oneConsumerReadsTheFourInputsCoPartitioned() {
        KafkaConnectorIncomingConfiguration source = new KafkaConnectorIncomingConfiguration(
                Configs.incoming(config, KafkaConnector.CONNECTOR_NAME, Channels.CLUSTER_EVENTS));
        assertEquals(Optional.of(String.join(",", topics.clusterProfiles(), topics.nodeEvents(), topics.lbMetrics(),
                topics.natgwMetrics())), source.getTopics());
        assertEquals("dead-letter-queue", source.getFailureStrategy());
        assertEquals(Optional.of(topics.deadLetter()), source.getDeadLetterQueueTopic());
        assertFalse(source.getCloudEvents());
        assertTrue(source.getBatch());
        assertFalse(source.getTracingEnabled());
        assertEquals(Optional.of("ignore"), source.getCommitStrategy());
        assertEquals(Optional.of("aks-headroom.rebalancer"), source.getConsumerRebalanceListenerName());

        Map<String, ?> consumer = clients.getConsumer(Channels.CLUSTER_EVENTS).configuration();
        assertEquals(bootstrapServers, consumer.get("bootstrap.servers"));
        assertEquals("aks-headroom", consumer.get("group.id"));
        assertEquals("classic", consumer.get("group.protocol"));
        assertEquals(RangeAssignor.class.getName(), String.valueOf(consumer.get("partition.assignment.strategy")));
        assertEquals(StringDeserializer.class.getName(), String.valueOf(consumer.get("key.deserializer")));
        assertEquals(StringDeserializer.class.getName(), String.valueOf(consumer.get("value.deserializer")));
        assertEquals("earliest", consumer.get("auto.offset.reset"));
        assertEquals("false", String.valueOf(consumer.get("enable.auto.commit")));
        assertEquals("10000", String.valueOf(consumer.get("session.timeout.ms")));
        assertEquals("3000", String.valueOf(consumer.get("heartbeat.interval.ms")));
        assertEquals("false", String.valueOf(consumer.get("allow.auto.create.topics")));
    }

    @Test
    void theActuatorReadsRecommendationsAndProfilesInAGroupOfItsOwnAndCommitsNothing() {
        KafkaConnectorIncomingConfiguration source = new KafkaConnectorIncomingConfiguration(
                Configs.incoming(config, KafkaConnector.CONNECTOR_NAME, Channels.ACTUATOR_FEED));
        assertEquals(Optional.of(String.join(",", topics.clusterProfiles(), topics.recommendations())),
                source.getTopics());
        assertEquals(Optional.of("ignore"), source.getCommitStrategy());
        assertFalse(source.getCloudEvents());
        assertEquals(Optional.of(topics.deadLetter()), source.getDeadLetterQueueTopic());

        Map<String, ?> consumer = clients.getConsumer(Channels.ACTUATOR_FEED).configuration();
        assertEquals("aks-headroom-actuator", consumer.get("group.id"));
        assertEquals(RangeAssignor.class.getName(), String.valueOf(consumer.get("partition.assignment.strategy")));
        assertEquals("earliest", consumer.get("auto.offset.reset"));
        assertEquals("false", String.valueOf(consumer.get("enable.auto.commit")));
        assertEquals("false", String.valueOf(consumer.get("allow.auto.create.topics")));
    }
}
