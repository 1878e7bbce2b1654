package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Tells the {@link ReplayTracker} how far the consumer has fetched the topic partitions it waits on. A compacted or
 * deleted tail can leave no record at the offset a replay or a confirmation waits for; the consumer's position still
 * shows that it has been passed.
 */
@Singleton
public class PositionCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReplayTracker tracker;
    private final KafkaClientService clients;

    public PositionCheck(ReplayTracker tracker, KafkaClientService clients) {
        this.tracker = tracker;
        this.clients = clients;
    }

    @Scheduled(every = "${aks-headroom.pipeline.replay-check:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        Map<TopicPartition, Long> awaited = tracker.awaited();
        KafkaConsumer<Object, Object> consumer = awaited.isEmpty() ? null : clients.getConsumer(Channels.CLUSTER_EVENTS);
        if (consumer == null) {
            return;
        }
        Map<TopicPartition, Long> positions = consumer.runOnPollingThread(c -> {
            Map<TopicPartition, Long> now = new HashMap<>();
            for (TopicPartition tp : awaited.keySet()) {
                if (c.assignment().contains(tp)) {
                    now.put(tp, c.position(tp));
                }
            }
            return now;
        }).await().atMost(TIMEOUT);
        positions.forEach(tracker::fetchedTo);
    }
}
