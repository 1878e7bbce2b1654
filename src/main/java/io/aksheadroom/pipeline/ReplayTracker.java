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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Knows, per input topic partition this instance owns, where its silent replay ends (where the previous owner's
 * marker was, else the log end at assignment) and how far the processing has got. When all topics of a partition
 * have been processed that far, the partition is settled and its differences are published; once the records the
 * previous owner may have processed are processed again, it is confirmed.
 *
 * <p>How far the processing has got is what the processing thread itself has seen: the records it processed or passed
 * over, and the position each poll it processed reached. The consumer fetches far ahead of the processing, so its
 * position says nothing of what was processed. Where the log holds no record between how far the processing has got
 * and the offset it waits for (a compacted or transactional tail), {@link PositionCheck} finds that out and reports
 * it as passed.
 */
// Called for every input record: @Singleton, so without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class ReplayTracker {

    private static final Logger LOG = Logger.getLogger(ReplayTracker.class);

    /** What to do with a record the consumer hands over. */
    public enum Admission {
        /** Pass it over, and learn nothing from it: not owned, or read again later. */
        SKIP,
        /** Pass it over: it lies past its topic's replay end while other topics of its partition still replay. */
        PAST_END,
        /** Apply it silently: it rebuilds state the previous owner had published. */
        REPLAY,
        /** Process and publish it. */
        LIVE
    }

    private final SilentReplays<ConsumerRecord<String, String>> replays;
    private final OutcomeSink sink;
    private final OutputLedger ledger;
    private final ReplayProgress progress;
    private final KafkaClientService clients;
    private final Clock clock;
    private final Map<TopicPartition, Input> inputs = new HashMap<>();
    /** Partitions whose replay has not been settled yet. */
    private final Set<Integer> replaying = new HashSet<>();

    /** One input topic partition this instance owns. Guarded by the tracker. */
    private static final class Input {
        /** Where the silent replay ends and live processing starts. */
        final long liveFrom;
        /** Every record before {@link #liveFrom} has been processed. */
        boolean replayed;
        /** The log end at assignment, when past {@link #liveFrom}: processed live to there, the partition confirms. */
        Long confirmAt;
        /** The first record passed over because it came past the replay end while the partition still replayed. */
        Long skippedFrom;
        /** After the rewind to {@link #skippedFrom}: the record that starts the second reading. */
        Long readAgainFrom;
        /** The highest offset passed over before the second reading starts. */
        long lastPassedOver = -1;
        /** Every record before this offset has been processed (or passed over for good). */
        long processedTo;
        /** Records applied silently. */
        long replayedRecords;

        Input(long liveFrom, long position) {
            this.liveFrom = liveFrom;
            this.processedTo = position;
            this.replayed = position >= liveFrom;
        }
    }

    /** An offset a partition's progress waits for, and how far the processing has got towards it. */
    public record Awaited(long processedTo, long offset) {
    }

    public ReplayTracker(SilentReplays<ConsumerRecord<String, String>> replays, OutcomeSink sink, OutputLedger ledger,
            ReplayProgress progress, KafkaClientService clients, Clock clock) {
        this.replays = replays;
        this.sink = sink;
        this.ledger = ledger;
        this.progress = progress;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * Replay of these topic partitions runs until their {@code replayEnds}; those already there count as done.
     *
     * @param replayEnds per topic partition, where the silent replay ends and live processing starts
     * @param logEnds per topic partition, the log end now: the previous owner cannot have processed beyond it, so once
     *        records are processed up to there, alerts the replay kept firing on the topic's word are confirmed
     * @param positions per topic partition, where the consumer starts reading
     */
    public void start(Map<TopicPartition, Long> replayEnds, Map<TopicPartition, Long> logEnds,
            Map<TopicPartition, Long> positions) {
        Map<Integer, Map<TopicPartition, Long>> byPartition = new HashMap<>();
        int behind = 0;
        int confirming = 0;
        synchronized (this) {
            for (Map.Entry<TopicPartition, Long> end : replayEnds.entrySet()) {
                TopicPartition tp = end.getKey();
                Input input = new Input(end.getValue(), positions.getOrDefault(tp, 0L));
                if (logEnds.getOrDefault(tp, end.getValue()) > end.getValue()) {
                    input.confirmAt = logEnds.get(tp);
                    confirming++;
                }
                behind += input.replayed ? 0 : 1;
                inputs.put(tp, input);
                replaying.add(tp.partition());
                byPartition.computeIfAbsent(tp.partition(), p -> new HashMap<>()).put(tp, end.getValue());
            }
        }
        byPartition.forEach(ledger::open);
        LOG.infof("Replaying input partitions %s (%d topic partitions behind, %d to read again live)",
                byPartition.keySet(), behind, confirming);
        byPartition.keySet().forEach(this::finishIfCaughtUp);
    }

    /**
     * What to do with the record at {@code offset}. A partition's topics replay at their own pace; a record past its
     * topic's replay end must be processed live, and live means on the whole rebuilt state, so while any topic of its
     * partition still replays it is passed over, and read again from the first one passed over once the partition has
     * settled. Until that record comes round again, what is still on its way from before is passed over too.
     */
    public synchronized Admission admit(TopicPartition tp, long offset) {
        Input input = inputs.get(tp);
        if (input == null) {
            // Fetched before a rebalance took the partition away: its new owner reads it, and this instance no longer
            // knows its clusters (it would hold the record as of an unknown cluster and dead-letter it).
            return Admission.SKIP;
        }
        if (input.readAgainFrom != null) {
            // Records fetched before the rewind still come, in order; the rewound reading starts back at or before
            // the highest of them.
            if (offset != input.readAgainFrom && offset > input.lastPassedOver) {
                input.lastPassedOver = offset;
                return Admission.SKIP;
            }
            input.readAgainFrom = null;
            return Admission.LIVE;
        }
        if (replaying.contains(tp.partition())) {
            if (offset < input.liveFrom) {
                input.replayedRecords++;
                return Admission.REPLAY;
            }
            if (input.skippedFrom == null) {
                input.skippedFrom = offset;
            }
            input.lastPassedOver = Math.max(input.lastPassedOver, offset);
            return Admission.PAST_END;
        }
        return Admission.LIVE;
    }

    /**
     * The processing has got to {@code next} in {@code tp}: every record before it was processed or passed over as
     * past its replay end. Ends the partition's replay, or confirms it, when that was what it waited for.
     */
    public void passed(TopicPartition tp, long next) {
        int partition = tp.partition();
        boolean replayed = false;
        boolean confirmed = false;
        synchronized (this) {
            Input input = inputs.get(tp);
            if (input == null || input.readAgainFrom != null) {
                return;
            }
            input.processedTo = Math.max(input.processedTo, next);
            if (!input.replayed && next >= input.liveFrom) {
                input.replayed = true;
                replayed = true;
            }
            // Only records processed live count towards the confirmation: those passed over are read again.
            if (input.confirmAt != null && next >= input.confirmAt && !replaying.contains(partition)) {
                input.confirmAt = null;
                confirmed = inputsOf(partition).stream().allMatch(other -> inputs.get(other).confirmAt == null);
            }
        }
        if (replayed) {
            finishIfCaughtUp(partition);
        }
        if (confirmed) {
            confirm(partition);
        }
    }

    /**
     * A poll was processed: every record of it was. Its next offsets show how far the consumer had read when it
     * returned the poll, past records a compacted or transactional log no longer holds.
     */
    public void polled(Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
        nextOffsets.forEach((tp, next) -> passed(tp, next.offset()));
    }

    /**
     * Per input topic of {@code partition}, the next offset to process, when everything before it has been processed
     * and the partition is plainly live (not replaying, not reading again, no confirmation due): what a state snapshot
     * of its clusters taken now covers. Null otherwise.
     */
    public synchronized Map<String, Long> liveOffsets(int partition) {
        if (replaying.contains(partition)) {
            return null;
        }
        Map<String, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Input> entry : inputs.entrySet()) {
            if (entry.getKey().partition() == partition) {
                Input input = entry.getValue();
                if (!input.replayed || input.readAgainFrom != null || input.confirmAt != null
                        || input.skippedFrom != null) {
                    return null;
                }
                offsets.put(entry.getKey().topic(), input.processedTo);
            }
        }
        return offsets.isEmpty() ? null : offsets;
    }

    /** Input partitions this instance owns. */
    public synchronized Set<Integer> partitions() {
        Set<Integer> partitions = new HashSet<>();
        inputs.keySet().forEach(tp -> partitions.add(tp.partition()));
        return partitions;
    }

    /** The offsets waited for (replay ends, and where confirmations are due), with how far the processing has got. */
    public synchronized Map<TopicPartition, Awaited> awaited() {
        Map<TopicPartition, Awaited> awaited = new HashMap<>();
        inputs.forEach((tp, input) -> {
            if (!input.replayed) {
                awaited.put(tp, new Awaited(input.processedTo, input.liveFrom));
            } else if (input.confirmAt != null && input.readAgainFrom == null && !replaying.contains(tp.partition())) {
                awaited.put(tp, new Awaited(input.processedTo, input.confirmAt));
            }
        });
        return awaited;
    }

    public void release(Set<Integer> partitions) {
        synchronized (this) {
            inputs.keySet().removeIf(tp -> partitions.contains(tp.partition()));
            replaying.removeAll(partitions);
            ledger.release(partitions);
        }
        progress.released(partitions);
    }

    private List<TopicPartition> inputsOf(int partition) {
        return inputs.keySet().stream().filter(tp -> tp.partition() == partition).toList();
    }

    /** Records processed again up to where the previous owner may have got: what nothing confirmed resolves. */
    private void confirm(int partition) {
        int alerts;
        synchronized (this) {
            if (!inputs.keySet().stream().anyMatch(tp -> tp.partition() == partition)) {
                return; // released meanwhile
            }
            alerts = publish(partition, replays.confirm(partition, clock.instant()));
        }
        LOG.infof("Partition %d read again to where the previous owner may have got: %d alert records resolved",
                partition, alerts);
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
        Map<TopicPartition, Long> rewind = new HashMap<>();
        int clusters;
        int alerts;
        long replayed = 0;
        // Under this lock: admit() sees the partition live only once it has settled, and the settle's records go out
        // before any record of a live one.
        synchronized (this) {
            List<TopicPartition> of = inputsOf(partition);
            if (!replaying.contains(partition) || of.stream().anyMatch(tp -> !inputs.get(tp).replayed)) {
                return;
            }
            replaying.remove(partition);
            boolean confirmLater = false;
            for (TopicPartition tp : of) {
                Input input = inputs.get(tp);
                if (input.skippedFrom != null) {
                    rewind.put(tp, input.skippedFrom);
                    input.readAgainFrom = input.skippedFrom;
                    input.skippedFrom = null;
                }
                confirmLater |= input.confirmAt != null;
                replayed += input.replayedRecords;
            }
            List<Outcome> outcomes = confirmLater ? replays.settle(partition, clock.instant())
                    : replays.finish(partition, clock.instant());
            clusters = outcomes.size();
            alerts = publish(partition, outcomes);
        }
        readAgain(rewind);
        LOG.infof("Partition %d replayed: %d records, %d clusters settled, %d alert records published", partition,
                replayed, clusters, alerts);
        progress.live(partition, replayed);
    }

    /** Publishes what the partition's own step gave; the marker waits for it. Returns the number of alert records. */
    private int publish(int partition, List<Outcome> outcomes) {
        OutputLedger.Hold hold = ledger.step(partition);
        try {
            outcomes.forEach(outcome -> sink.publish(outcome, hold));
        } finally {
            hold.close();
        }
        return outcomes.stream().mapToInt(outcome -> outcome.alerts().size()).sum();
    }
}
