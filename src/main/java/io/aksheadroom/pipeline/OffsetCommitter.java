package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.config.PipelineConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Commits the {@link OutputLedger}'s marker, how far the input partitions were processed live with every output
 * acknowledged, as the offset the next owner replays silently up to: every commit interval, so that after a crash
 * the next owner repeats at most that much, and on a handover, so that it goes live exactly where this instance
 * stopped. Offsets are a marker only: positions are always rewound.
 */
@Singleton
public class OffsetCommitter {

    private static final Logger LOG = Logger.getLogger(OffsetCommitter.class);

    private final KafkaClientService clients;
    private final OutputLedger ledger;
    private final PipelineConfig config;
    /** Per input topic partition, the marker the broker is known to hold. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    public OffsetCommitter(KafkaClientService clients, OutputLedger ledger, PipelineConfig config) {
        this.clients = clients;
        this.ledger = ledger;
        this.config = config;
    }

    /**
     * Commits on a handover, from the consumer's own thread (a rebalance listener), once what this instance processed
     * of the partitions is acknowledged or the handover wait is over.
     */
    public void commit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        try {
            if (!ledger.awaitAcknowledged(numbers, config.handoverWait())) {
                LOG.warnf("Handing over input partitions %s with outputs not acknowledged after %s: the next owner"
                        + " processes their records again", numbers, config.handoverWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = advanced(ledger.covered(partitions));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            done(offsets);
        } catch (RuntimeException e) {
            // The next owner then replays a little less silently: it publishes again what this instance published.
            LOG.warnf("Could not commit the processed offsets of %s on handover: %s", offsets.keySet(), e);
        }
    }

    @Scheduled(every = "${aks-headroom.pipeline.commit-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void commitLive() {
        Map<TopicPartition, OffsetAndMetadata> offsets = advanced(ledger.covered());
        KafkaConsumer<Object, Object> consumer = offsets.isEmpty() ? null : clients.getConsumer(Channels.CLUSTER_EVENTS);
        if (consumer == null) {
            return;
        }
        // A commit that fails (refused by a rebalance, say) is simply made again by the next one or the handover: the
        // marker stays where the ledger has it.
        consumer.commitAsync(offsets).subscribe().with(done -> done(offsets),
                failure -> LOG.debugf("Could not commit processed offsets yet: %s", failure.toString()));
    }

    public synchronized void release(Set<Integer> partitions) {
        committed.keySet().removeIf(tp -> partitions.contains(tp.partition()));
    }

    /** The markers past what the broker is known to hold. */
    private synchronized Map<TopicPartition, OffsetAndMetadata> advanced(Map<TopicPartition, Long> covered) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        covered.forEach((tp, next) -> {
            if (next > committed.getOrDefault(tp, -1L)) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        return offsets;
    }

    private synchronized void done(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, offset) -> committed.merge(tp, offset.offset(), Math::max));
    }
}
