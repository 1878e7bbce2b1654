package io.aksheadroom.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

import org.apache.kafka.common.TopicPartition;

/**
 * How far the processed-offset marker of each input partition may go: past a record only once every output it caused
 * (recommendation, alert, dead letter) has been acknowledged by the broker. An output still in a producer's buffer
 * when the process dies is then never covered by the marker, and the next owner processes its record again, live.
 *
 * <p>Per input partition (the four topics' partitions of one number, which a cluster's records share), causes of
 * outputs are kept in the order they were processed: the records processed live, and steps of the partition's own
 * whose outputs no single record caused (the settle at the end of a replay, the confirmation after it, a state
 * snapshot). The marker is the longest prefix of that order whose outputs are all acknowledged: a consistent cut
 * across the four topics, so a record is never covered while one processed before it (its cluster's profile, say) is
 * not. Anything that publishes takes part through a {@link Hold}: {@link Hold#sent()} for each output, the broker's
 * answer through {@link Hold#acknowledged()} or {@link Hold#failed}, and {@link Hold#close()} once the cause has sent
 * all it will.
 *
 * <p>Thread-safe, one lock: the processing thread opens and closes holds (a snapshot round's hold it opens, and the
 * snapshot writer sends under it and closes it), producer threads acknowledge, the scheduler reads the marker to
 * commit it, the Kafka poll thread opens and releases partitions.
 */
public final class OutputLedger {

    /** A hold that holds nothing back: outputs of records below a marker already committed. */
    public static final Hold NONE = new Hold(null, null, null, 0);

    /** A failed output: the marker of its partition stops before its cause for good, until a restart. */
    public record Failure(int partition, TopicPartition input, Long offset, Instant at, String cause) {
    }

    private final Clock clock;
    private final Map<Integer, Lane> lanes = new HashMap<>();
    private Failure firstFailure;
    private long failures;
    /** Outputs sent and not answered yet. */
    private long inFlight;

    public OutputLedger(Clock clock) {
        this.clock = clock;
    }

    /** Causes of one input partition, in processing order, and the marker: the next offset per topic partition. */
    private static final class Lane {
        final int partition;
        final Map<TopicPartition, Long> covered = new HashMap<>();
        final ArrayDeque<Hold> causes = new ArrayDeque<>();

        Lane(int partition) {
            this.partition = partition;
        }
    }

    /**
     * The outputs of one cause. Not thread-safe towards its own cause's thread (only that thread sends and closes), but
     * acknowledgements may come from any thread.
     */
    public static final class Hold {
        private final OutputLedger ledger;
        private final Lane lane;
        private final TopicPartition input;
        private final long next;
        /** Outputs sent and not yet answered, plus one while the cause is open. Guarded by the ledger. */
        private int pending = 1;
        private boolean failed;

        private Hold(OutputLedger ledger, Lane lane, TopicPartition input, long next) {
            this.ledger = ledger;
            this.lane = lane;
            this.input = input;
            this.next = next;
        }

        /** One more output of this cause is on its way to the broker. */
        public void sent() {
            if (ledger != null) {
                synchronized (ledger) {
                    pending++;
                    ledger.inFlight++;
                }
            }
        }

        /** The broker has one of this cause's outputs. */
        public void acknowledged() {
            if (ledger != null) {
                ledger.answered(this);
            }
        }

        /** One of this cause's outputs will never reach the broker: the marker stops before this cause. */
        public void failed(Throwable cause) {
            if (ledger != null) {
                ledger.fail(this, cause);
            }
        }

        /**
         * Sends one output of this cause and takes the broker's answer: {@code acknowledged} or {@code failed} runs
         * first, then the ledger hears of it.
         */
        public void send(Supplier<Uni<Void>> sending, Runnable acknowledged, Consumer<Throwable> failed) {
            sent();
            Uni<Void> answer;
            try {
                answer = sending.get();
            } catch (RuntimeException e) {
                failed.accept(e);
                failed(e);
                return;
            }
            answer.subscribe().with(ok -> {
                acknowledged.run();
                acknowledged();
            }, failure -> {
                failed.accept(failure);
                failed(failure);
            });
        }

        /** The cause has sent every output it will. */
        public void close() {
            if (ledger != null) {
                ledger.done(this);
            }
        }
    }

    /**
     * Starts the marker of an input partition this instance was given at {@code from}: per topic partition, the offset
     * live processing starts at (where the silent replay ends).
     */
    public synchronized void open(int partition, Map<TopicPartition, Long> from) {
        Lane lane = new Lane(partition);
        lane.covered.putAll(from);
        lanes.put(partition, lane);
    }

    /** A record processed live: the marker covers it once its outputs are acknowledged and all before it are. */
    public synchronized Hold record(TopicPartition input, long offset) {
        Lane lane = lanes.get(input.partition());
        if (lane == null) {
            return NONE;
        }
        Hold hold = new Hold(this, lane, input, offset + 1);
        lane.causes.addLast(hold);
        return hold;
    }

    /**
     * A step of the partition's own, not a record's (a settle, a confirmation, a snapshot): the marker stays where
     * it is now until its outputs are acknowledged.
     */
    public synchronized Hold step(int partition) {
        Lane lane = lanes.get(partition);
        if (lane == null) {
            return NONE;
        }
        Hold hold = new Hold(this, lane, null, 0);
        lane.causes.addLast(hold);
        return hold;
    }

    /** The marker of every topic partition whose partition this instance holds: the next offset to process. */
    public synchronized Map<TopicPartition, Long> covered() {
        Map<TopicPartition, Long> covered = new HashMap<>();
        lanes.values().forEach(lane -> covered.putAll(lane.covered));
        return covered;
    }

    /** The marker of these topic partitions, those this instance still holds. */
    public synchronized Map<TopicPartition, Long> covered(Collection<TopicPartition> inputs) {
        Map<TopicPartition, Long> covered = new HashMap<>();
        for (TopicPartition input : inputs) {
            Lane lane = lanes.get(input.partition());
            Long next = lane == null ? null : lane.covered.get(input);
            if (next != null) {
                covered.put(input, next);
            }
        }
        return covered;
    }

    /** Causes the marker has not passed yet, over every partition: theirs or an earlier one's outputs are out. */
    public synchronized int unacknowledged() {
        return lanes.values().stream().mapToInt(lane -> lane.causes.size()).sum();
    }

    /** Outputs sent to the broker and not answered yet. */
    public synchronized long inFlight() {
        return inFlight;
    }

    /**
     * Waits until every cause of {@code partitions} is acknowledged (or has failed), at most {@code timeout}: a
     * handover then commits a marker that covers all this instance processed of them.
     *
     * @return whether they all were
     */
    public synchronized boolean awaitAcknowledged(Set<Integer> partitions, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!acknowledged(partitions)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private boolean acknowledged(Set<Integer> partitions) {
        for (Integer partition : partitions) {
            Lane lane = lanes.get(partition);
            if (lane != null && !lane.causes.isEmpty() && !lane.causes.peekFirst().failed) {
                return false;
            }
        }
        return true;
    }

    /** Forgets partitions this instance no longer holds; late acknowledgements of their outputs change nothing. */
    public synchronized void release(Set<Integer> partitions) {
        lanes.keySet().removeAll(partitions);
        notifyAll();
    }

    /** The first output that failed since this instance started, or null. */
    public synchronized Failure firstFailure() {
        return firstFailure;
    }

    public synchronized long failures() {
        return failures;
    }

    private synchronized void answered(Hold hold) {
        inFlight--;
        done(hold);
    }

    private synchronized void done(Hold hold) {
        if (--hold.pending > 0 || hold.failed || lanes.get(hold.lane.partition) != hold.lane) {
            return;
        }
        Lane lane = hold.lane;
        // Causes finish in any order; the marker moves over the finished ones at the front only.
        while (!lane.causes.isEmpty() && lane.causes.peekFirst().pending == 0 && !lane.causes.peekFirst().failed) {
            Hold first = lane.causes.removeFirst();
            if (first.input != null) {
                lane.covered.merge(first.input, first.next, Math::max);
            }
        }
        notifyAll();
    }

    private synchronized void fail(Hold hold, Throwable cause) {
        inFlight--;
        hold.failed = true;
        failures++;
        if (firstFailure == null) {
            firstFailure = new Failure(hold.lane.partition, hold.input, hold.input == null ? null : hold.next - 1,
                    clock.instant(), String.valueOf(cause));
        }
        notifyAll();
    }
}
