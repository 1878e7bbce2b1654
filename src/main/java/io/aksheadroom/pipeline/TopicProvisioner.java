package io.aksheadroom.pipeline;

import io.aksheadroom.config.KafkaAddress;

import io.aksheadroom.config.TopicsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the service's topics at startup, after the broker is up and before the Kafka clients connect, and checks
 * that the four inputs share one partition count: the single consumer relies on it to see a cluster's profile, node
 * events and samples in the same instance.
 */
@Singleton
public class TopicProvisioner {

    /** One topic the service needs. */
    public record TopicSpec(String name, boolean input, boolean compacted) {
    }

    /**
     * What a provisioning run found.
     *
     * @param created the topics this run created
     * @param inputPartitions partition count of each input topic that exists
     */
    public record Provisioned(Set<String> created, Map<String, Integer> inputPartitions) {

        /** Whether the existing inputs agree on one partition count. */
        public boolean coPartitioned() {
            return Set.copyOf(inputPartitions.values()).size() <= 1;
        }
    }

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final TopicsConfig config;
    private final KafkaAddress broker;
    private final Map<String, Object> kafkaDefaults;
    private final CountDownLatch provisioned = new CountDownLatch(1);
    private ScheduledExecutorService attempts;

    TopicProvisioner(TopicsConfig config, KafkaAddress broker,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults) {
        this.config = config;
        this.broker = broker;
        this.kafkaDefaults = kafkaDefaults;
    }

    /** The topics of the configuration, inputs first. */
    public static List<TopicSpec> specs(TopicsConfig topics) {
        return List.of(
                new TopicSpec(topics.clusterProfiles(), true, true),
                new TopicSpec(topics.nodeEvents(), true, false),
                new TopicSpec(topics.lbMetrics(), true, false),
                new TopicSpec(topics.natgwMetrics(), true, false),
                new TopicSpec(topics.recommendations(), false, true),
                new TopicSpec(topics.alerts(), false, true),
                new TopicSpec(topics.monitorState(), false, true),
                new TopicSpec(topics.actions(), false, false),
                new TopicSpec(topics.deadLetter(), false, false));
    }

    // Startup must not hang on an unreachable broker (the service still serves HTTP and reports not ready), and the
    // topics must still appear once it answers: a first try bounded by startup-wait, then retries in the background.
    void onStart(@Observes @Priority(KafkaAddress.BROKER_READY_STARTUP) StartupEvent event) {
        attempts = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "aks-headroom-topic-provisioner");
            thread.setDaemon(true);
            return thread;
        });
        attempts.execute(() -> attempt(FIRST_RETRY));
        try {
            if (!provisioned.await(config.startupWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Topics not provisioned on %s within %s; the Kafka clients start anyway and provisioning"
                        + " goes on in the background", broker.bootstrapServers(), config.startupWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (attempts != null) {
            attempts.shutdownNow();
        }
    }

    private void attempt(Duration retryIn) {
        try (Admin admin = Admin.create(adminConfig())) {
            provision(admin, specs(config));
            provisioned.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf("Could not provision the topics on %s (%s); next try in %s", broker.bootstrapServers(),
                    cause instanceof TimeoutException ? "no answer within " + ATTEMPT_TIMEOUT : cause, retryIn);
            Duration doubled = retryIn.multipliedBy(2);
            Duration next = doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
            if (!attempts.isShutdown()) {
                attempts.schedule(() -> attempt(next), retryIn.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = new HashMap<>();
        // The shared kafka.* settings (security, for a real broker), without the consumer ones (group.id) that the
        // admin client would warn about.
        kafkaDefaults.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "aks-headroom-topic-provisioner");
        int timeout = (int) ATTEMPT_TIMEOUT.toMillis();
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return admin;
    }

    /**
     * Creates the missing topics (when {@code aks-headroom.topics.create} allows) and checks the inputs'
     * partition counts, logging an error when they differ.
     */
    public Provisioned provision(Admin admin, List<TopicSpec> specs)
            throws ExecutionException, InterruptedException, TimeoutException {
        long timeout = ATTEMPT_TIMEOUT.toMillis();
        Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                missing.add(newTopic(spec));
            }
        }
        Set<String> created = new LinkedHashSet<>();
        Set<String> present = new HashSet<>(existing);
        if (config.create() && !missing.isEmpty()) {
            var results = admin.createTopics(missing).values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get(timeout, TimeUnit.MILLISECONDS);
                    created.add(result.getKey());
                    present.add(result.getKey());
                } catch (ExecutionException e) {
                    // Another instance starting at the same moment made it first: that is fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    present.add(result.getKey());
                }
            }
            if (!created.isEmpty()) {
                LOG.infof("Created topics %s with %d partitions", created, config.partitions());
            }
        } else if (!missing.isEmpty()) {
            LOG.errorf("Topics %s do not exist and aks-headroom.topics.create is false",
                    missing.stream().map(NewTopic::name).toList());
        }
        Provisioned result = new Provisioned(created, inputPartitions(admin, specs, present, timeout));
        checkCoPartitioning(result);
        return result;
    }

    private NewTopic newTopic(TopicSpec spec) {
        Map<String, String> configs = new HashMap<>();
        if (spec.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(config.retention().toMillis()));
        }
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas(config)));
        // A replica that was not in sync must never become leader: it would drop acknowledged records (outputs the
        // processed-offset marker already covers), whatever the broker's default says.
        configs.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
        return new NewTopic(spec.name(), config.partitions(), config.replicationFactor()).configs(configs);
    }

    /** The configured {@code min.insync.replicas}, else one less than the replication factor, at least 1. */
    static int minInsyncReplicas(TopicsConfig config) {
        return config.minInsyncReplicas().orElse(Math.max(1, config.replicationFactor() - 1));
    }

    private static Map<String, Integer> inputPartitions(Admin admin, List<TopicSpec> specs, Set<String> present,
            long timeout) throws ExecutionException, InterruptedException, TimeoutException {
        List<String> inputs = specs.stream().filter(TopicSpec::input).map(TopicSpec::name)
                .filter(present::contains).toList();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        Map<String, TopicDescription> described;
        while (true) {
            try {
                described = admin.describeTopics(inputs).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
                break;
            } catch (ExecutionException e) {
                // A topic created a moment ago may not have reached the metadata the broker answers from yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        described.forEach((name, description) -> counts.put(name, description.partitions().size()));
        return counts;
    }

    private void checkCoPartitioning(Provisioned provisioned) {
        if (!provisioned.coPartitioned()) {
            LOG.errorf("Input topics must have one partition count, found %s: co-partitioning by clusterId is broken,"
                    + " so a cluster's profile, node events and samples can reach different instances and its plan"
                    + " would be computed from partial data. Give the input topics the same number of partitions.",
                    provisioned.inputPartitions());
        } else if (!provisioned.inputPartitions().isEmpty()
                && !provisioned.inputPartitions().containsValue(config.partitions())) {
            LOG.warnf("Input topics have %s partitions, not the configured %d; they keep what they have",
                    provisioned.inputPartitions().values().iterator().next(), config.partitions());
        }
    }
}
