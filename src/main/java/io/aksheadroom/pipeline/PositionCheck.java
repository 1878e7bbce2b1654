package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Finds the replay ends and confirmation offsets the processing cannot see itself: a compacted or transactional tail
 * can leave no record before the offset a partition waits for, and a poll that only moves the consumer's position
 * reaches no listener. When the consumer's position has passed such an offset while the processing has stalled short
 * of it, the log is read over that stretch: only when it holds no record there has the processing got there. The
 * position alone would not tell: the consumer fetches far ahead, and records before it may still wait their turn.
 */
@Singleton
public class PositionCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Whether a topic partition holds a record from offset {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface Log {
        boolean holdsRecords(TopicPartition tp, long from, long to);
    }

    private final ReplayTracker tracker;
    private final Log log;
    private final KafkaClientService clients;
    /** How far the processing had got at the previous check, per topic partition waited on. */
    private final Map<TopicPartition, Long> previously = new HashMap<>();

    @Inject
    public PositionCheck(ReplayTracker tracker, TopicReader reader, KafkaClientService clients) {
        this(tracker, (tp, from, to) -> reader.holdsRecords(tp, from, to, TIMEOUT), clients);
    }

    PositionCheck(ReplayTracker tracker, Log log, KafkaClientService clients) {
        this.tracker = tracker;
        this.log = log;
        this.clients = clients;
    }

    @Scheduled(every = "${aks-headroom.pipeline.replay-check:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        Map<TopicPartition, ReplayTracker.Awaited> awaited = tracker.awaited();
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
        check(positions, awaited);
    }

    /** The consumer's {@code positions} of the topic partitions {@code awaited}. */
    void check(Map<TopicPartition, Long> positions, Map<TopicPartition, ReplayTracker.Awaited> awaited) {
        previously.keySet().retainAll(awaited.keySet());
        positions.forEach((tp, position) -> {
            ReplayTracker.Awaited waiting = awaited.get(tp);
            Long before = previously.put(tp, waiting.processedTo());
            // Still moving: records are on their way, and reading the log to find that out would be wasted.
            boolean stalled = before != null && before == waiting.processedTo();
            if (position >= waiting.offset() && stalled
                    && !log.holdsRecords(tp, waiting.processedTo(), waiting.offset())) {
                tracker.passed(tp, waiting.offset());
            }
        });
    }
}
