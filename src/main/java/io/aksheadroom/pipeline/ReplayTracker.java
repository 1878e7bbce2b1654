package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.monitor.Outcome;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Knows, per input partition being replayed, the offsets where the replay ends (where the previous owner's live
 * processing ended, else the log end at assignment). When all three topics of a partition have been read that far,
 * the partition is settled and its differences are published; once the records the previous owner may have processed
 * are read again, it is confirmed. Hands what is processed live to the {@link OffsetCommitter}.
 */
// Called for every input record: @Singleton, so without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class ReplayTracker {

    private static final Logger LOG = Logger.getLogger(ReplayTracker.class);

    private final SilentReplays<ConsumerRecord<String, String>> replays;
    private final OutcomeSink sink;
    private final OffsetCommitter committer;
    private final HeldEventExpiry unknownClusters;
    private final KafkaClientService clients;
    private final Clock clock;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    /** Per topic partition read again after a settle: the log end at assignment, where confirmation is due. */
    private final Map<TopicPartition, Long> confirmAt = new HashMap<>();
    /** Topic partitions whose position was past their confirmation offset at the last position check. */
    private final Set<TopicPartition> fetchedPast = new HashSet<>();
    /** The input topic partitions this instance owns. */
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Per input topic partition of a replaying partition: where live processing starts (the replay's end). */
    private final Map<TopicPartition, Long> liveFrom = new HashMap<>();
    /** The first record passed over because it came past its replay end while its partition still replayed. */
    private final Map<TopicPartition, Long> skippedFrom = new HashMap<>();
    /** After a rewind: the offset that starts the second reading; records before it comes round are passed over. */
    private final Map<TopicPartition, Long> readAgainFrom = new HashMap<>();

    public ReplayTracker(SilentReplays<ConsumerRecord<String, String>> replays, OutcomeSink sink,
            OffsetCommitter committer, HeldEventExpiry unknownClusters, KafkaClientService clients, Clock clock) {
        this.replays = replays;
        this.sink = sink;
        this.committer = committer;
        this.unknownClusters = unknownClusters;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * Replay of these topic partitions runs until their {@code replayEnds}; those already there count as done.
     *
     * @param replayEnds per topic partition, where the silent replay ends and live processing starts
     * @param logEnds per topic partition, the log end now: the previous owner cannot have processed beyond it, so once
     *        records are processed up to there, alerts the replay kept firing on the topic's word are confirmed
     */
    public void start(Map<TopicPartition, Long> replayEnds, Map<TopicPartition, Long> logEnds,
            Map<TopicPartition, Long> positions) {
        Set<Integer> partitions = new HashSet<>();
        synchronized (this) {
            replayEnds.forEach((tp, end) -> {
                partitions.add(tp.partition());
                assigned.add(tp);
                liveFrom.put(tp, end);
                if (positions.getOrDefault(tp, 0L) < end) {
                    ends.put(tp, end);
                }
                if (logEnds.getOrDefault(tp, end) > end) {
                    confirmAt.put(tp, logEnds.get(tp));
                }
            });
        }
        LOG.infof("Replaying input partitions %s (%d topic partitions behind, %d to read again live)", partitions,
                ends.size(), confirmAt.size());
        partitions.forEach(this::finishIfCaughtUp);
    }

    /**
     * Whether to pass over a record for now. A partition's three topics replay at their own pace; a record past its
     * topic's replay end must be processed live, and live means on the whole rebuilt state, so while any topic of its
     * partition still replays it is passed over, and read again from the first one passed over once the partition has
     * settled. Until that record comes round again, what is still on its way from before is passed over too.
     */
    public synchronized boolean skip(TopicPartition tp, long offset) {
        if (!assigned.contains(tp)) {
            // Fetched before a rebalance took the partition away: its new owner reads it, and this instance no longer
            // knows its clusters (it would hold the record as of an unknown cluster and dead-letter it).
            return true;
        }
        Long again = readAgainFrom.get(tp);
        if (again != null) {
            if (offset != again) {
                return true;
            }
            readAgainFrom.remove(tp);
            return false;
        }
        Long live = liveFrom.get(tp);
        if (live != null && offset >= live) {
            skippedFrom.putIfAbsent(tp, offset);
            return true;
        }
        return false;
    }

    public void processed(TopicPartition tp, long offset) {
        int partition = tp.partition();
        boolean reached;
        boolean confirmed;
        synchronized (this) {
            // Only what was processed live is committed: a replayed record lies below the previous owner's commit.
            if (isLive(tp)) {
                committer.processed(tp, offset);
            }
            Long end = ends.get(tp);
            reached = end != null && offset + 1 >= end;
            if (reached) {
                ends.remove(tp);
            }
            Long confirm = confirmAt.get(tp);
            if (confirm != null && offset + 1 >= confirm && !liveFrom.containsKey(tp)) {
                confirmAt.remove(tp);
                confirmed = confirmAt.keySet().stream().noneMatch(other -> other.partition() == partition);
            } else {
                confirmed = false;
            }
        }
        if (reached) {
            finishIfCaughtUp(partition);
        }
        if (confirmed) {
            confirm(partition);
        }
    }

    /** The offsets waited on: replay ends, and where confirmations are due. */
    public synchronized Map<TopicPartition, Long> awaited() {
        Map<TopicPartition, Long> awaited = new HashMap<>(confirmAt);
        awaited.putAll(ends);
        return awaited;
    }

    /**
     * The consumer has fetched {@code tp} up to {@code position}. Past a replay end, that ends the replay. Fetched is
     * not processed, though: a confirmation waits for a second look, so records still queued get their turn.
     */
    public void fetchedTo(TopicPartition tp, long position) {
        boolean passed;
        synchronized (this) {
            Long end = ends.get(tp);
            Long confirm = confirmAt.get(tp);
            passed = end != null ? position >= end : confirm != null && position >= confirm && !fetchedPast.add(tp);
        }
        if (passed) {
            processed(tp, position - 1);
        }
    }

    /** Owned and past its replay: what is processed now was never processed by the previous owner. */
    private boolean isLive(TopicPartition tp) {
        return assigned.contains(tp) && !liveFrom.containsKey(tp);
    }

    public synchronized void release(Set<Integer> partitions) {
        for (Map<TopicPartition, Long> offsets : List.of(ends, liveFrom, skippedFrom, readAgainFrom, confirmAt)) {
            offsets.keySet().removeIf(tp -> partitions.contains(tp.partition()));
        }
        assigned.removeIf(tp -> partitions.contains(tp.partition()));
        fetchedPast.removeIf(tp -> partitions.contains(tp.partition()));
    }

    /** Records read again up to where the previous owner may have got: what nothing confirmed resolves. */
    private void confirm(int partition) {
        List<Outcome> outcomes = replays.confirm(partition, clock.instant());
        outcomes.forEach(sink::publish);
        LOG.infof("Partition %d read again to where the previous owner may have got: %d alert records resolved",
                partition, outcomes.stream().mapToInt(outcome -> outcome.alerts().size()).sum());
    }

    /** Seeks back to the first record passed over while the partition replayed; it is read again, live. */
    private void readAgain(Map<TopicPartition, Long> rewind) {
        KafkaConsumer<Object, Object> consumer = rewind.isEmpty() ? null : clients.getConsumer(Channels.CLUSTER_EVENTS);
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(c -> {
            rewind.forEach((tp, offset) -> {
                if (c.assignment().contains(tp)) {
                    c.seek(tp, offset);
                }
            });
        }).subscribe().with(done -> { }, failure -> LOG.errorf(failure, "Could not rewind %s", rewind));
    }

    private void finishIfCaughtUp(int partition) {
        SilentReplays.Settled<ConsumerRecord<String, String>> settled;
        Map<TopicPartition, Long> rewind = new HashMap<>();
        // Under this lock, so that skip() sees the partition live only once it has settled.
        synchronized (this) {
            if (ends.keySet().stream().anyMatch(tp -> tp.partition() == partition)) {
                return;
            }
            liveFrom.keySet().removeIf(tp -> tp.partition() == partition);
            skippedFrom.forEach((tp, offset) -> {
                if (tp.partition() == partition) {
                    rewind.put(tp, offset);
                }
            });
            skippedFrom.keySet().removeAll(rewind.keySet());
            readAgainFrom.putAll(rewind);
            boolean readAgainFirst = confirmAt.keySet().stream().anyMatch(tp -> tp.partition() == partition);
            settled = readAgainFirst ? replays.settle(partition, clock.instant())
                    : replays.finish(partition, clock.instant());
        }
        readAgain(rewind);
        settled.outcomes().forEach(sink::publish);
        unknownClusters.deadLetter(settled.unknownClusterSources());
        int alerts = settled.outcomes().stream().mapToInt(outcome -> outcome.alerts().size()).sum();
        LOG.infof("Partition %d replayed: %d clusters settled, %d alert records to publish", partition,
                settled.outcomes().size(), alerts);
    }
}
