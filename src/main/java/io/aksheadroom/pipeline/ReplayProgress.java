package io.aksheadroom.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

/**
 * How long this instance is blind after it was given input partitions: while a partition rebuilds, nothing of its
 * clusters is published, no alert fires. {@code aks_headroom_replay_partitions} counts the input partitions still
 * rebuilding (0 when live); {@code aks_headroom_replay_last_duration_seconds} is the last rebuild from assignment to
 * live, with {@code aks_headroom_replay_last_records} the records it replayed; each rebuild logs one line.
 *
 * <p>A rebuild starts with an assignment while every partition is live, and ends when none of its partitions is
 * rebuilding any more; an assignment that comes meanwhile joins it, so its duration is the time the instance was not
 * wholly live. A partition taken away before it was live leaves the rebuild without its records.
 */
// Told of every partition that settles, from the processing thread: @Singleton (see ClusterEventsListener).
@Singleton
public class ReplayProgress {

    private static final Logger LOG = Logger.getLogger(ReplayProgress.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Set<Integer> rebuilding = new TreeSet<>();
    private final Set<Integer> rebuilt = new TreeSet<>();
    private Instant started;
    private long records;
    private long snapshots;
    private Rebuild last;

    /**
     * A rebuild that ended: its partitions made live, the records they replayed, from assignment to live, and the
     * cluster state snapshots restored before the records (the records are then only those after the snapshots).
     */
    public record Rebuild(Set<Integer> partitions, long records, Duration took, long snapshots) {

        public Rebuild {
            partitions = Set.copyOf(partitions);
        }

        public Rebuild(Set<Integer> partitions, long records, Duration took) {
            this(partitions, records, took, 0);
        }

        double seconds() {
            return took.toNanos() / 1e9;
        }
    }

    public ReplayProgress(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("aks_headroom_replay_partitions", this, ReplayProgress::partitions)
                .description("Input partitions this instance is still rebuilding (replaying silently, publishing"
                        + " nothing of their clusters); 0 when live")
                .register(registry);
    }

    /** Input partitions were given to this instance and start to rebuild, now. */
    public synchronized void assigned(Set<Integer> partitions) {
        if (rebuilding.isEmpty()) {
            started = clock.instant();
            records = 0;
            snapshots = 0;
            rebuilt.clear();
        }
        rebuilding.addAll(partitions);
    }

    /** Cluster state snapshots restored for a partition of the rebuild, before its records are replayed. */
    public synchronized void restored(int count) {
        snapshots += count;
    }

    /** A partition settled, live from now on, after replaying {@code replayed} records. */
    public void live(int partition, long replayed) {
        Rebuild ended;
        synchronized (this) {
            if (!rebuilding.remove(partition)) {
                return;
            }
            rebuilt.add(partition);
            records += replayed;
            ended = endIfDone();
        }
        report(ended);
    }

    /** Partitions taken away, rebuilt or not. */
    public void released(Set<Integer> partitions) {
        Rebuild ended;
        synchronized (this) {
            if (!rebuilding.removeAll(partitions)) {
                return;
            }
            ended = endIfDone();
        }
        report(ended);
    }

    /** Input partitions still rebuilding. */
    public synchronized int partitions() {
        return rebuilding.size();
    }

    /** The last rebuild that made a partition live, or null before the first. */
    public synchronized Rebuild last() {
        return last;
    }

    private Rebuild endIfDone() {
        if (!rebuilding.isEmpty() || rebuilt.isEmpty()) {
            return null; // still rebuilding, or every partition of it was taken away before it was live
        }
        boolean first = last == null;
        last = new Rebuild(rebuilt, records, Duration.between(started, clock.instant()), snapshots);
        rebuilt.clear();
        if (first) {
            // Registered with the first figure: before any rebuild there is none to show, which is not a zero.
            Gauge.builder("aks_headroom_replay_last_duration_seconds", this, progress -> progress.last().seconds())
                    .description("The last rebuild of input partitions, from their assignment until all were live")
                    .register(registry);
            Gauge.builder("aks_headroom_replay_last_records", this, progress -> progress.last().records())
                    .description("Input records the last rebuild of input partitions replayed (after the snapshots it"
                            + " restored, when it restored any)").register(registry);
            Gauge.builder("aks_headroom_replay_last_snapshots", this, progress -> progress.last().snapshots())
                    .description("Cluster state snapshots the last rebuild of input partitions restored instead of"
                            + " replaying the records behind them").register(registry);
        }
        return last;
    }

    private static void report(Rebuild rebuild) {
        if (rebuild != null) {
            LOG.infof("Rebuilt input partitions %s: %d snapshots restored, %d records replayed in %.3f s, live",
                    new TreeSet<>(rebuild.partitions()), rebuild.snapshots(), rebuild.records(), rebuild.seconds());
        }
    }
}
