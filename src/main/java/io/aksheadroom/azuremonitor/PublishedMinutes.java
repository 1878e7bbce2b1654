package io.aksheadroom.azuremonitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.config.KafkaAddress;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads back, at start, what the poller's topics already hold for the last minutes, so that a restarted poller
 * publishes no minute twice. The topics themselves are the record of what was published (a record counts once the
 * broker acknowledged it), so there is no second store to keep in step with them. Only the tail is read: records
 * since {@code since} by broker timestamp, found with {@code offsetsForTimes}; older minutes are outside every
 * poll's window anyway.
 */
@ApplicationScoped
public class PublishedMinutes {

    private static final Logger LOG = Logger.getLogger(PublishedMinutes.class);

    /** What the tail held for the polled clusters. */
    public record Tail(List<SnatSample> snat, List<NatGatewaySample> natGateway) {
    }

    private final Config config;
    private final TopicsConfig topics;
    private final KafkaAddress broker;
    private final ObjectMapper mapper;

    PublishedMinutes(Config config, TopicsConfig topics, KafkaAddress broker, ObjectMapper mapper) {
        this.config = config;
        this.topics = topics;
        this.broker = broker;
        this.mapper = mapper;
    }

    /**
     * @param clusters the clusters whose minutes to read back; null for every cluster (discovered clusters are known
     *        only once discovery has listed them)
     * @throws RuntimeException when the broker cannot be read within {@code timeout}; the poller then publishes
     *         nothing and tries again next poll, rather than risk a minute twice
     */
    public Tail read(Set<String> clusters, Instant since, Duration timeout) {
        List<SnatSample> snat = new ArrayList<>();
        List<NatGatewaySample> natGateway = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            readTail(consumer, topics.lbMetrics(), since, deadline, record -> {
                if (clusters == null || clusters.contains(record.key())) {
                    parse(record, () -> {
                        ClusterEvent event = EventJson.parseLbMetrics(mapper, record.value());
                        if (event instanceof LoadBalancerMinute minute) {
                            snat.addAll(minute.samples());
                        } else {
                            snat.add((SnatSample) event);
                        }
                    });
                }
            });
            readTail(consumer, topics.natgwMetrics(), since, deadline, record -> {
                if (clusters == null || clusters.contains(record.key())) {
                    parse(record, () -> natGateway.add(EventJson.parseNatGatewaySample(mapper.readTree(record.value()))));
                }
            });
        }
        return new Tail(snat, natGateway);
    }

    private static void readTail(KafkaConsumer<String, String> consumer, String topic, Instant since, long deadline,
            Consumer<ConsumerRecord<String, String>> handler) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, remaining(deadline));
        if (partitions == null || partitions.isEmpty()) {
            return; // nothing was ever published there
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        Map<TopicPartition, Long> sinceByPartition = new HashMap<>();
        assigned.forEach(tp -> sinceByPartition.put(tp, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(sinceByPartition, remaining(deadline));
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, remaining(deadline));
        for (TopicPartition tp : assigned) {
            OffsetAndTimestamp start = starts.get(tp);
            consumer.seek(tp, start == null ? ends.get(tp) : start.offset());
        }
        while (assigned.stream().anyMatch(tp -> consumer.position(tp, remaining(deadline)) < ends.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading back " + topic + " took longer than the resume timeout");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(handler);
        }
        consumer.unsubscribe();
    }

    private interface Parse {
        void run() throws Exception;
    }

    private static void parse(ConsumerRecord<String, String> record, Parse parse) {
        try {
            parse.run();
        } catch (Exception e) {
            // Another producer's malformed record says nothing about what this poller published.
            LOG.debugf("ignoring unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /**
     * The same connection settings as the application's Kafka clients ({@code kafka.*}: security, SASL), on the
     * broker they use (the embedded one unless {@code kafka.bootstrap.servers} names another), reading only.
     */
    private Properties consumerProperties() {
        Properties props = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> props.put(name.substring(6), value));
            }
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions are assigned, no group to join or commit to
        return props;
    }
}
