package io.aksheadroom.listener;

import io.aksheadroom.config.Channels;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.domain.Fleet;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Knows, per input partition being replayed, the offsets where the replay ends (the log end at assignment). When all
 * three topics of a partition have been read that far, the fleet settles the partition and its differences are
 * published.
 */
@ApplicationScoped
public class ReplayTracker {

    private static final Logger LOG = Logger.getLogger(ReplayTracker.class);

    private final Fleet fleet;
    private final OutcomeSink sink;
    private final DeadLetterPublisher deadLetters;
    private final PipelineConfig config;
    private final KafkaClientService clients;
    private final Clock clock;
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    public ReplayTracker(Fleet fleet, OutcomeSink sink, DeadLetterPublisher deadLetters, PipelineConfig config,
            KafkaClientService clients, Clock clock) {
        this.fleet = fleet;
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.config = config;
        this.clients = clients;
        this.clock = clock;
    }

    /** Replay of these topic partitions runs until their {@code ends}; those already there count as done. */
    public void start(Map<TopicPartition, Long> endOffsets, Map<TopicPartition, Long> positions) {
        Set<Integer> partitions = new HashSet<>();
        synchronized (this) {
            endOffsets.forEach((tp, end) -> {
                partitions.add(tp.partition());
                if (positions.getOrDefault(tp, 0L) < end) {
                    ends.put(tp, end);
                }
            });
        }
        LOG.infof("Replaying input partitions %s (%d topic partitions behind)", partitions, ends.size());
        partitions.forEach(this::finishIfCaughtUp);
    }

    public void processed(String topic, int partition, long offset) {
        boolean reached;
        synchronized (this) {
            TopicPartition tp = new TopicPartition(topic, partition);
            Long end = ends.get(tp);
            reached = end != null && offset + 1 >= end;
            if (reached) {
                ends.remove(tp);
            }
        }
        if (reached) {
            finishIfCaughtUp(partition);
        }
    }

    public synchronized void release(Set<Integer> partitions) {
        ends.keySet().removeIf(tp -> partitions.contains(tp.partition()));
    }

    /**
     * A compacted or deleted tail can leave no record at {@code end - 1}; the consumer's position still shows that the
     * replay is over.
     */
    @Scheduled(every = "${aks-headroom.pipeline.replay-check:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkPositions() {
        Map<TopicPartition, Long> waiting;
        synchronized (this) {
            if (ends.isEmpty()) {
                return;
            }
            waiting = Map.copyOf(ends);
        }
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(Channels.CLUSTER_EVENTS);
        if (consumer == null) {
            return;
        }
        Map<TopicPartition, Long> positions = consumer.runOnPollingThread(c -> {
            Map<TopicPartition, Long> now = new HashMap<>();
            for (TopicPartition tp : waiting.keySet()) {
                if (c.assignment().contains(tp)) {
                    now.put(tp, c.position(tp));
                }
            }
            return now;
        }).await().atMost(Duration.ofSeconds(30));
        positions.forEach((tp, position) -> {
            if (position >= waiting.get(tp)) {
                processed(tp.topic(), tp.partition(), position - 1);
            }
        });
    }

    /** Live events whose cluster never sent a profile within the grace period are dead-lettered. */
    @Scheduled(every = "${aks-headroom.pipeline.held-check:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireHeld() {
        for (Object source : fleet.expireHeld(clock.instant())) {
            @SuppressWarnings("unchecked")
            ConsumerRecord<String, String> record = (ConsumerRecord<String, String>) source;
            deadLetters.send(record, "unknown cluster: " + record.key(), config.maxRecordBytes());
        }
    }

    private void finishIfCaughtUp(int partition) {
        synchronized (this) {
            if (ends.keySet().stream().anyMatch(tp -> tp.partition() == partition)) {
                return;
            }
        }
        Fleet.Settled settled = fleet.finishReplay(partition, clock.instant());
        settled.outcomes().forEach(sink::publish);
        for (Object source : settled.unknownClusterSources()) {
            @SuppressWarnings("unchecked")
            ConsumerRecord<String, String> record = (ConsumerRecord<String, String>) source;
            deadLetters.send(record, "unknown cluster: " + record.key(), config.maxRecordBytes());
        }
        int alerts = settled.outcomes().stream().mapToInt(outcome -> outcome.alerts().size()).sum();
        LOG.infof("Partition %d replayed: %d clusters settled, %d alert records to publish", partition,
                settled.outcomes().size(), alerts);
    }

}
