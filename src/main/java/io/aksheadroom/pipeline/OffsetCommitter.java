package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Commits how far the input partitions were processed live, as the marker the next owner replays silently up to:
 * every commit interval, so that after a crash the next owner repeats at most that much, and on a handover, so that
 * it goes live exactly where this instance stopped. Offsets are a marker only: positions are always rewound.
 */
// Called for every input record: @Singleton, so without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class OffsetCommitter {

    private static final Logger LOG = Logger.getLogger(OffsetCommitter.class);

    private final KafkaClientService clients;
    /** Per input topic partition processed live since the last commit: the next offset to read. */
    private final Map<TopicPartition, Long> toCommit = new HashMap<>();

    public OffsetCommitter(KafkaClientService clients) {
        this.clients = clients;
    }

    /** The record at {@code offset} was processed live: never by a previous owner, so past its commit. */
    public synchronized void processed(TopicPartition tp, long offset) {
        toCommit.merge(tp, offset + 1, Math::max);
    }

    public synchronized void release(Set<Integer> partitions) {
        toCommit.keySet().removeIf(tp -> partitions.contains(tp.partition()));
    }

    /** Commits on a handover, from the consumer's own thread (a rebalance listener). */
    public void commit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = pending(partitions::contains);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            // The next owner then replays a little less silently: it publishes again what this instance published.
            LOG.warnf("Could not commit the processed offsets of %s on handover: %s", offsets.keySet(), e);
        }
    }

    @Scheduled(every = "${aks-headroom.pipeline.commit-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void commitLive() {
        Map<TopicPartition, OffsetAndMetadata> offsets = pending(tp -> true);
        KafkaConsumer<Object, Object> consumer = offsets.isEmpty() ? null : clients.getConsumer(Channels.CLUSTER_EVENTS);
        if (consumer == null) {
            return;
        }
        // Offsets stay pending until the commit succeeds: a handover commit must never miss what a commit in flight
        // (perhaps refused by the rebalance that makes the handover) carried.
        consumer.commitAsync(offsets).subscribe().with(done -> {
            synchronized (this) {
                offsets.forEach((tp, offset) -> toCommit.remove(tp, offset.offset()));
            }
        }, failure -> LOG.debugf("Could not commit processed offsets yet: %s", failure.toString()));
    }

    private synchronized Map<TopicPartition, OffsetAndMetadata> pending(Predicate<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        toCommit.forEach((tp, offset) -> {
            if (which.test(tp)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }
}
