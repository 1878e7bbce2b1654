package io.aksheadroom.pipeline;

import io.aksheadroom.config.KafkaAddress;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic with a short-lived consumer outside any group: a compacted output topic from its beginning to its
 * current end, which is how a restarted instance learns what it had already published, or a stretch of an input.
 */
@ApplicationScoped
public class TopicReader {

    private final KafkaAddress broker;
    private final Map<String, Object> kafkaDefaults;

    public TopicReader(KafkaAddress broker, @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults) {
        this.broker = broker;
        this.kafkaDefaults = kafkaDefaults;
    }

    /** The latest value per key (null for a tombstone), in key order of first appearance. */
    public Map<String, String> latestByKey(String topic, Duration timeout) {
        Map<String, String> latest = new LinkedHashMap<>();
        try (Reading reading = new Reading(properties())) {
            KafkaConsumer<String, String> consumer = reading.consumer;
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return latest;
    }

    /**
     * Whether {@code tp} holds a record from offset {@code from} (inclusive) to {@code to} (exclusive); when that cannot
     * be found out within {@code timeout}, it is taken to hold one.
     */
    public boolean holdsRecords(TopicPartition tp, long from, long to, Duration timeout) {
        try (Reading reading = new Reading(properties())) {
            KafkaConsumer<String, String> consumer = reading.consumer;
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp, timeout) < to) {
                if (System.nanoTime() > deadline) {
                    return true;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < to) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        // The shared kafka.* settings carry security (SASL, TLS) for a real broker; the address may be the embedded one.
        properties.putAll(kafkaDefaults);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A start before the log start (records deleted meanwhile) reads from the first record there is.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }

    /**
     * A consumer closed without waiting: a plain close first tells each broker to drop its fetch session, which waits
     * behind the fetches still held there (up to fetch.max.wait.ms, half a second) although the reading is over. This
     * consumer is in no group and commits nothing, so nothing is lost; the broker drops the session on its own.
     */
    private static final class Reading implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;

        Reading(Properties properties) {
            consumer = new KafkaConsumer<>(properties);
        }

        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
        return ends.isEmpty();
    }
}
