package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.support.KafkaBrokerResource;
import io.aksheadroom.support.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ChannelWiringTest {

    @Inject
    TopicsConfig topics;

    @Inject
    Config config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    // The CloudEvents headers themselves are checked on real records by PipelineTest.
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
    })
    void everyOutgoingChannelWritesDurablyTypedCloudEventsToItsConfiguredTopic(String channel, String topicKey,
            String type) {
        assertEquals(config.getValue("aks-headroom.topics." + topicKey, String.class), outgoing(channel, "topic"));
        assertEquals("smallrye-kafka", outgoing(channel, "connector"));
        assertEquals(StringSerializer.class.getName(), outgoing(channel, "key.serializer"));
        assertEquals(StringSerializer.class.getName(), outgoing(channel, "value.serializer"));
        assertEquals("all", outgoing(channel, "acks"));
        assertEquals("true", outgoing(channel, "enable.idempotence"));
        assertEquals("binary", outgoing(channel, "cloud-events-mode"));
        assertEquals("aks-headroom", outgoing(channel, "cloud-events-source"));
        assertEquals(type, outgoing(channel, "cloud-events-type"));
    }

    @Test
    void oneConsumerReadsTheThreeInputsCoPartitioned() {
        assertEquals(String.join(",", topics.clusterProfiles(), topics.nodeEvents(), topics.lbMetrics(),
                topics.natgwMetrics()),
                incoming("topics"));
        assertEquals(RangeAssignor.class.getName(), incoming("partition.assignment.strategy"));
        assertEquals("classic", incoming("group.protocol"));
        assertEquals("aks-headroom", incoming("group.id"));
        assertEquals(StringDeserializer.class.getName(), incoming("key.deserializer"));
        assertEquals(StringDeserializer.class.getName(), incoming("value.deserializer"));
        assertEquals("dead-letter-queue", incoming("failure-strategy"));
        assertEquals(topics.deadLetter(), incoming("dead-letter-queue.topic"));
        assertEquals("false", incoming("cloud-events"));
    }

    private String outgoing(String channel, String attribute) {
        return config.getValue("mp.messaging.outgoing." + channel + "." + attribute, String.class);
    }

    private String incoming(String attribute) {
        return config.getValue("mp.messaging.incoming." + Channels.CLUSTER_EVENTS + "." + attribute, String.class);
    }
}
