package io.aksheadroom.support;

import io.aksheadroom.contracts.RecordContracts;
import io.aksheadroom.dev.EmbeddedKafkaBroker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Plain Kafka clients for tests: send String records with headers, read a topic from its beginning until a
 * condition holds, checking the service's records against their schemas on the way. Close it after use.
 */
public final class KafkaTestClient implements AutoCloseable {

    /** How long {@link #consumeUntil} waits unless told otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private KafkaProducer<String, String> producer;
    private Admin admin;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Sends one record and waits until the broker has it.
     *
     * @param value {@code null} sends a tombstone
     * @param headers header values, written as UTF-8
     */
    public RecordMetadata send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        try {
            return producer().send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not send to " + topic, e.getCause());
        }
    }

    public RecordMetadata send(String topic, String key, String value) {
        return send(topic, key, value, Map.of());
    }

    /** Reads every partition of the topic from the beginning until {@code done} holds for all records read so far. */
    public List<ConsumerRecord<String, String>> consumeUntil(String topic,
            Predicate<List<ConsumerRecord<String, String>>> done) {
        return consumeUntil(topic, done, DEFAULT_WAIT);
    }

    public List<ConsumerRecord<String, String>> consumeUntil(String topic,
            Predicate<List<ConsumerRecord<String, String>>> done, Duration wait) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Same thread: a KafkaConsumer must not be used from Awaitility's polling thread.
            await("records of " + topic).atMost(wait).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                            RecordContracts.assertValid(record);
                            records.add(record);
                        });
                        return done.test(records);
                    });
        }
        return records;
    }

    /** The last value of a header as UTF-8, or {@code null} when the record has none. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An admin client on the same broker, closed with this client. */
    public Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    // Room for the largest record the broker takes, so tests can send hostile oversized ones.
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_RECORD_BYTES + 64 * 1024,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * EmbeddedKafkaBroker.MAX_RECORD_BYTES),
                    new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }
}
