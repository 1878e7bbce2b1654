package io.aksheadroom.pipeline;

import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.pipeline.TopicProvisioner.Provisioned;
import io.aksheadroom.pipeline.TopicProvisioner.TopicSpec;
import io.aksheadroom.support.ConfigDefaults;
import io.aksheadroom.support.KafkaBrokerResource;
import io.aksheadroom.support.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TopicProvisionerTest {

    @Inject
    TopicsConfig topics;

    @Inject
    TopicProvisioner provisioner;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void startupCreatedTheNineTopicsWithCoPartitionedInputsAndCompactedState() throws Exception {
        Admin admin = kafka.admin();
        List<String> names = TopicProvisioner.specs(topics).stream().map(TopicSpec::name).toList();
        assertEquals(List.of("aks.cluster-profiles", "aks.node-events", "aks.lb-metrics", "aks.natgw-metrics",
                "aks.recommendations", "aks.alerts", "aks.monitor-state", "aks.actions", "aks.dead-letter"), names);
        assertTrue(admin.listTopics().names().get().containsAll(names));

        Map<String, TopicDescription> inputs = admin.describeTopics(
                List.of(topics.clusterProfiles(), topics.nodeEvents(), topics.lbMetrics(), topics.natgwMetrics()))
                .allTopicNames().get();
        assertEquals(Set.of(6), inputs.values().stream().map(d -> d.partitions().size()).collect(Collectors.toSet()));

        Map<String, String> cleanup = cleanupPolicies(admin, names);
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanup.get(topics.clusterProfiles()));
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanup.get(topics.recommendations()));
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanup.get(topics.monitorState()));
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanup.get(topics.alerts()));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanup.get(topics.nodeEvents()));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanup.get(topics.lbMetrics()));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanup.get(topics.deadLetter()));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, cleanup.get(topics.actions()), "aks.actions is append-only");
        assertEquals(String.valueOf(Duration.ofDays(7).toMillis()),
                describe(admin, topics.lbMetrics()).get(TopicConfig.RETENTION_MS_CONFIG).value());
        for (String name : names) {
            Config config = describe(admin, name);
            assertEquals("1", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), name + ": 1 of 1 replica");
            assertEquals("false", config.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG).value(), name);
        }
    }

    @Test
    void minInsyncReplicasIsOneLessThanTheReplicationFactorUnlessSet() {
        assertEquals(2, TopicProvisioner.minInsyncReplicas(ConfigDefaults.of(TopicsConfig.class,
                Map.of("replicationFactor", (short) 3, "minInsyncReplicas", OptionalInt.empty()))));
        assertEquals(1, TopicProvisioner.minInsyncReplicas(ConfigDefaults.of(TopicsConfig.class,
                Map.of("replicationFactor", (short) 1, "minInsyncReplicas", OptionalInt.empty()))));
        assertEquals(3, TopicProvisioner.minInsyncReplicas(ConfigDefaults.of(TopicsConfig.class,
                Map.of("replicationFactor", (short) 5, "minInsyncReplicas", OptionalInt.of(3)))));
    }

    @Test
    void secondRunCreatesNothing() throws Exception {
        Provisioned again = provisioner.provision(kafka.admin(), TopicProvisioner.specs(topics));

        assertEquals(Set.of(), again.created());
        assertTrue(again.coPartitioned());
    }

    @Test
    void inputsWithDifferentPartitionCountsAreReportedAsAnError() throws Exception {
        Admin admin = kafka.admin();
        admin.createTopics(List.of(new NewTopic("odd.node-events", 2, (short) 1))).all().get();
        List<TopicSpec> specs = List.of(
                new TopicSpec("odd.cluster-profiles", true, true),
                new TopicSpec("odd.node-events", true, false),
                new TopicSpec("odd.lb-metrics", true, false));
        List<LogRecord> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(TopicProvisioner.class.getName());
        logger.addHandler(capture);
        try {
            Provisioned result = provisioner.provision(admin, specs);

            assertEquals(Set.of("odd.cluster-profiles", "odd.lb-metrics"), result.created());
            assertEquals(Map.of("odd.cluster-profiles", 6, "odd.node-events", 2, "odd.lb-metrics", 6),
                    result.inputPartitions());
            assertFalse(result.coPartitioned());
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).getMessage().contains("co-partitioning"), errors.get(0).getMessage());
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static Map<String, String> cleanupPolicies(Admin admin, List<String> names) throws Exception {
        return names.stream().collect(Collectors.toMap(name -> name,
                name -> describe(admin, name).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
    }

    private static Config describe(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
