package io.aksheadroom.azuremonitor;

import io.aksheadroom.contracts.RecordContracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a test added to a topic: remembers the end of every partition when made, and reads from there to the end as
 * it is when asked. Records of other tests on the same broker stay out, and nothing the test wrote is missed. The
 * service's records are checked against their schemas as they are read.
 */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> mark;

    public TopicTail(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        mark = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    /** Every record written since this tail was made, in partition order. */
    public List<ConsumerRecord<String, String>> records() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        partitions.forEach(tp -> consumer.seek(tp, mark.get(tp)));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + partitions + " to " + end);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    RecordContracts.assertValid(r);
                    records.add(r);
                }
            });
        }
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
