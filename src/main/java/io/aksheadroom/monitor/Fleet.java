package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every cluster this instance owns, by the input partition its records come on, and the events that wait for their
 * cluster's profile: across topics the consumer gives no order, so a cluster's first samples may come before its
 * profile. The fleet applies what it is given and returns what changed; whether to publish it is its caller's call.
 *
 * <p>Thread-safe, one lock: the processing thread applies records, the Kafka poll thread releases partitions on a
 * rebalance, a scheduler expires held events, HTTP readers and metric scrapes read snapshots.
 *
 * @param <S> what a caller needs to hand back a held event whose cluster never came, such as the record it came in
 */
public final class Fleet<S> {

    private final MonitorSettings settings;
    private final CapacityPlanner planner;
    private final Map<String, ClusterMonitor> clusters = new HashMap<>();
    private final Map<String, Integer> partitionOf = new HashMap<>();
    private final HeldEvents<S> held = new HeldEvents<>();
    /** Clusters changed since their state was last taken ({@link #changedStates}). */
    private final Set<String> changed = new HashSet<>();
    /** Clusters forgotten since, by partition: their snapshots are to be withdrawn. */
    private final Map<Integer, Set<String>> forgotten = new HashMap<>();

    public Fleet(MonitorSettings settings, CapacityPlanner planner) {
        this.settings = settings;
        this.planner = planner;
    }

    /**
     * An event from input partition {@code partition}. An event of a cluster without a profile waits for it, with
     * {@code source} to hand back if it never comes ({@link #expireHeld}): while its partition is {@code rebuilding}
     * (read again from the topics after a restart or a takeover, its profiles among them) until {@link #endRebuild}
     * and the grace period after it; a live one for the grace period, or not at all when there is none or too many
     * events wait already.
     *
     * @throws UnknownClusterException when the event's cluster has no profile and the event may not wait
     */
    public synchronized Outcome apply(int partition, ClusterEvent event, S source, Instant receivedAt,
            boolean rebuilding) {
        ClusterMonitor monitor = clusters.get(event.clusterId());
        if (monitor != null) {
            changed.add(event.clusterId());
            return event.applyTo(monitor);
        }
        if (!rebuilding && (settings.unknownClusterGrace().isZero() || held.count() >= settings.maxHeldEvents())) {
            throw new UnknownClusterException(event.clusterId());
        }
        held.hold(partition, event, source, rebuilding ? null : receivedAt.plus(settings.unknownClusterGrace()));
        return Outcome.nothing(event.clusterId());
    }

    /** A cluster's profile from input partition {@code partition}; the events that waited for it follow it. */
    public Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at) {
        return profile(clusterId, partition, profile, at, List.of());
    }

    /**
     * A cluster's profile, for a cluster the alerts topic showed alerts for ({@code readBack}) when its partition was
     * settled without it: they are its own, firing unconfirmed like any settled alert, from before the profile on.
     */
    public synchronized Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at,
            Collection<Alert> readBack) {
        Objects.requireNonNull(profile, "profile");
        partitionOf.put(clusterId, partition);
        changed.add(clusterId);
        Set<String> gone = forgotten.get(partition);
        if (gone != null) {
            gone.remove(clusterId);
        }
        ClusterMonitor monitor = clusters.computeIfAbsent(clusterId, id -> new ClusterMonitor(id, settings, planner));
        if (!readBack.isEmpty()) {
            monitor.settle(readBack, at);
        }
        Outcome outcome = monitor.applyProfile(profile, at);
        List<ClusterEvent> waited = held.take(partition, clusterId);
        if (waited.isEmpty()) {
            return outcome;
        }
        List<Outcome> steps = new ArrayList<>(waited.size() + 1);
        steps.add(outcome);
        waited.forEach(event -> steps.add(event.applyTo(monitor)));
        return Outcome.inOrder(steps);
    }

    /** A cluster's tombstone: it is forgotten, its alerts resolve and its recommendation goes away. */
    public synchronized Outcome forget(String clusterId, Instant at) {
        ClusterMonitor gone = clusters.remove(clusterId);
        Integer partition = partitionOf.remove(clusterId);
        changed.remove(clusterId);
        if (partition != null) {
            forgotten.computeIfAbsent(partition, p -> new HashSet<>()).add(clusterId);
        }
        return gone == null ? Outcome.nothing(clusterId) : gone.forget(at);
    }

    /**
     * Settles each cluster of {@code partition} against the alerts the alerts topic shows for it ({@code published},
     * by cluster id; none when absent): the current plans, and the alert records to publish.
     */
    public synchronized List<Outcome> settle(int partition, Map<String, ? extends Collection<Alert>> published,
            Instant at) {
        List<Outcome> outcomes = new ArrayList<>();
        forEachOf(partition, (clusterId, monitor) -> {
            Collection<Alert> shown = published.get(clusterId);
            changed.add(clusterId);
            outcomes.add(monitor.settle(shown == null ? List.of() : shown, at));
        });
        return outcomes;
    }

    /** Resolves in each cluster of {@code partition} what its settle kept firing and nothing confirmed since. */
    public synchronized List<Outcome> confirm(int partition, Instant at) {
        List<Outcome> outcomes = new ArrayList<>();
        forEachOf(partition, (clusterId, monitor) -> {
            changed.add(clusterId);
            Outcome confirmed = monitor.confirm(at);
            if (!confirmed.isEmpty()) {
                outcomes.add(confirmed);
            }
        });
        return outcomes;
    }

    /**
     * The rebuild of {@code partition} is over: the events that wait for their cluster's profile wait from {@code now}
     * on for the grace period, as live ones do. Their profile may still come: the rebuild read the profiles up to
     * where the partition's previous owner had got, and one it had not processed yet comes after.
     */
    public synchronized void endRebuild(int partition, Instant now) {
        held.startWaiting(partition, now.plus(settings.unknownClusterGrace()));
    }

    /** The sources of events that waited out their grace period: their cluster never came. */
    public synchronized List<S> expireHeld(Instant now) {
        return held.expire(now);
    }

    /** Drops the clusters and held events of partitions this instance no longer owns; returns the clusters' ids. */
    public synchronized List<String> release(Set<Integer> partitions) {
        List<String> released = new ArrayList<>();
        partitionOf.entrySet().removeIf(entry -> {
            if (partitions.contains(entry.getValue())) {
                released.add(entry.getKey());
                clusters.remove(entry.getKey());
                changed.remove(entry.getKey());
                return true;
            }
            return false;
        });
        held.drop(partitions);
        forgotten.keySet().removeAll(partitions);
        return released;
    }

    public synchronized boolean owns(String clusterId) {
        return clusters.containsKey(clusterId);
    }

    /** The input partition of an owned cluster's profile; null for a cluster not owned. */
    public synchronized Integer partitionOf(String clusterId) {
        return partitionOf.get(clusterId);
    }

    /** A consistent copy for readers. */
    public synchronized List<ClusterView> view() {
        List<ClusterView> views = new ArrayList<>(clusters.size());
        clusters.forEach((id, monitor) -> views.add(ClusterView.of(id, monitor)));
        return views;
    }

    /**
     * Hands each cluster's snapshot to {@code reader}, taking the fleet's lock once per cluster rather than once for
     * the whole fleet: a reader of 1,000 clusters (a scrape) then delays the pipeline by one cluster's copy at a time,
     * not by the copy of all of them. Each snapshot is consistent in itself; clusters added, released or changed
     * while the traversal runs are seen as they are when their turn comes, or not at all if they are gone.
     */
    public void forEachView(Consumer<ClusterView> reader) {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(clusters.keySet());
        }
        for (String id : ids) {
            ClusterView view = view(id);
            if (view != null) {
                reader.accept(view);
            }
        }
    }

    public synchronized ClusterView view(String clusterId) {
        ClusterMonitor monitor = clusters.get(clusterId);
        return monitor == null ? null : ClusterView.of(clusterId, monitor);
    }

    public synchronized int size() {
        return clusters.size();
    }

    /** Alerts firing over every cluster owned: the entries of their alert books. */
    public synchronized int alertsFiring() {
        int firing = 0;
        for (ClusterMonitor monitor : clusters.values()) {
            firing += monitor.firingCount();
        }
        return firing;
    }

    /**
     * The states of the clusters of {@code partition} changed since this was last asked, or whose state is also
     * wanted ({@code alsoWanted}, a cluster's snapshot grown old, say), and the clusters forgotten since: from now on
     * they count as unchanged.
     */
    public synchronized Changes changedStates(int partition, Predicate<String> alsoWanted) {
        List<ClusterState> states = new ArrayList<>();
        List<String> all = new ArrayList<>();
        forEachOf(partition, (clusterId, monitor) -> {
            all.add(clusterId);
            if (changed.remove(clusterId) || alsoWanted.test(clusterId)) {
                ClusterState state = monitor.export();
                if (state != null) {
                    states.add(state);
                }
            }
        });
        Set<String> gone = forgotten.remove(partition);
        return new Changes(states, gone == null ? List.of() : List.copyOf(gone), all);
    }

    /**
     * What changed in one partition since last asked.
     *
     * @param states the states of changed clusters
     * @param forgotten clusters forgotten
     * @param clusters every cluster of the partition now
     */
    public record Changes(List<ClusterState> states, List<String> forgotten, List<String> clusters) {
    }

    /**
     * Restores clusters of {@code partition} from their states, replacing any the fleet has of the same id: the
     * state a snapshot took, from which the records after it are applied. They count as unchanged.
     */
    public synchronized void restore(int partition, Collection<ClusterState> states) {
        for (ClusterState state : states) {
            clusters.put(state.clusterId(), ClusterMonitor.restore(state, settings, planner));
            partitionOf.put(state.clusterId(), partition);
        }
    }

    /** Events of {@code partition} that wait for their cluster's profile. */
    public synchronized int heldEvents(int partition) {
        return held.count(partition);
    }

    /** Events that wait for their cluster's profile. */
    public synchronized int heldEvents() {
        return held.count();
    }

    private void forEachOf(int partition, BiConsumer<String, ClusterMonitor> action) {
        partitionOf.forEach((clusterId, of) -> {
            if (of == partition) {
                action.accept(clusterId, clusters.get(clusterId));
            }
        });
    }
}
