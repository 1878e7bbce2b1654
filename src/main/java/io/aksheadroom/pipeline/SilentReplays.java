package io.aksheadroom.pipeline;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.ClusterState;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.Outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The input partitions replayed silently after a restart or a takeover, between the fleet and the records: a
 * replaying partition's records rebuild the fleet's state and nothing of it is published, until the partition is
 * settled against what the alerts topic last said, so that no alert fires twice or is forgotten. Other partitions'
 * records go through as they are.
 *
 * <p>A replay that ends at the previous owner's last commit, not at the log end, settles in two steps. The settle
 * keeps the alerts the topic shows firing that the replay did not rebuild, unconfirmed: the records after that commit,
 * which the previous owner may have processed, are read again live and may fire them again. The confirm, once those
 * records are read, resolves what nothing confirmed.
 *
 * <p>Until the confirm, the alerts topic may be ahead of the rebuilt state: the previous owner published outputs of
 * records after its last marker (which waits for acknowledgements, so it lags what was published). Those records are
 * processed again live and give the same alert records, event time and all; an alert record whose event time is not
 * after that of the topic's newest record of its fingerprint is therefore already on the topic and is not published
 * again. Without that, an episode the previous owner had fired, resolved and fired again would be published again
 * from its start, its first resolution looking like a false one of the episode on the topic.
 *
 * <p>Thread-safe: the Kafka poll thread begins and releases replays, the processing thread applies records and
 * settles, the position check may settle from a scheduler thread. Its lock is taken before the fleet's, and every
 * change to the fleet's clusters goes through it: a record is applied before a settle or after it, never during.
 *
 * @param <S> what the fleet hands back of an event whose cluster never came
 */
public final class SilentReplays<S> {

    private final Fleet<S> fleet;
    private final Set<Integer> replaying = new HashSet<>();
    /** Per replaying partition and cluster: the alerts topic's newest record per fingerprint, until the settle. */
    private final Map<Integer, Map<String, Map<String, Alert>>> readBack = new HashMap<>();
    /** Per settled partition: clusters gone at the settle that the alerts topic still shows, until the confirm. */
    private final Map<Integer, Map<String, Collection<Alert>>> orphans = new HashMap<>();
    /** Per partition from its replay's begin to its confirm: the event time of the topic's newest record per fingerprint. */
    private final Map<Integer, Map<String, Instant>> onTopic = new HashMap<>();
    /** Each cluster's profile record as it came: a state snapshot carries it. */
    private final Map<String, String> profileRecords = new HashMap<>();

    public SilentReplays(Fleet<S> fleet) {
        this.fleet = fleet;
    }

    /**
     * Starts a silent replay of {@code partitions}; {@code alerts} is the alerts topic read back, of which the records
     * of clusters in those partitions are kept (the newest per fingerprint).
     */
    public synchronized void begin(Set<Integer> partitions, Collection<Alert> alerts,
            ToIntFunction<String> partitionOfCluster) {
        replaying.addAll(partitions);
        for (Alert alert : alerts) {
            int partition = partitionOfCluster.applyAsInt(alert.clusterId());
            if (!partitions.contains(partition)) {
                continue;
            }
            onTopic.computeIfAbsent(partition, p -> new HashMap<>()).merge(alert.fingerprint(), alert.updatedAt(),
                    (one, other) -> one.isAfter(other) ? one : other);
            Map<String, Alert> byFingerprint = readBack.computeIfAbsent(partition, p -> new HashMap<>())
                    .computeIfAbsent(alert.clusterId(), id -> new HashMap<>());
            Alert known = byFingerprint.get(alert.fingerprint());
            if (known == null || !known.updatedAt().isAfter(alert.updatedAt())) {
                byFingerprint.put(alert.fingerprint(), alert);
            }
        }
    }

    public synchronized boolean isReplaying(int partition) {
        return replaying.contains(partition);
    }

    /**
     * An event from input partition {@code partition}: what it changed, or nothing while its cluster's partition
     * replays. An event of a cluster without a profile waits for the profile: until the settle while its partition
     * replays, and for the grace period after it or after its coming live.
     *
     * @throws io.aksheadroom.monitor.UnknownClusterException when it may not wait
     */
    public synchronized Outcome apply(int partition, ClusterEvent event, S source, Instant receivedAt) {
        boolean rebuilding = !replaying.isEmpty() && replaying.contains(partition);
        return notOnTopic(partition, quiet(event.clusterId(), fleet.apply(partition, event, source, receivedAt,
                rebuilding)));
    }

    /** A cluster's profile, and its record's value as it came, for the cluster's state snapshots. */
    public synchronized Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at,
            String record) {
        profileRecords.put(clusterId, record);
        return profile(clusterId, partition, profile, at);
    }

    /** A cluster's profile; one the last settle of its partition found gone takes back its alerts. */
    public synchronized Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at) {
        Map<String, Collection<Alert>> gone = orphans.get(partition);
        Collection<Alert> adopted = gone == null ? null : gone.remove(clusterId);
        Outcome outcome = fleet.profile(clusterId, partition, profile, at, adopted == null ? List.of() : adopted);
        return notOnTopic(partition, quiet(clusterId, outcome));
    }

    /** A cluster's tombstone. */
    public synchronized Outcome forget(String clusterId, int partition, Instant at) {
        profileRecords.remove(clusterId);
        Outcome forgotten = fleet.forget(clusterId, at);
        return replaying.contains(partition) ? Outcome.nothing(clusterId) : notOnTopic(partition, forgotten);
    }

    /** Ends the replay of a partition that reached the log end: {@link #settle} and {@link #confirm} at once. */
    public synchronized List<Outcome> finish(int partition, Instant now) {
        // One outcome per cluster: its plan, then every alert record.
        Map<String, Outcome> byCluster = new LinkedHashMap<>();
        settle(partition, now).forEach(outcome -> byCluster.put(outcome.clusterId(), outcome));
        for (Outcome confirmed : confirm(partition, now)) {
            byCluster.merge(confirmed.clusterId(), confirmed, (first, then) -> Outcome.inOrder(List.of(first, then)));
        }
        return List.copyOf(byCluster.values());
    }

    /**
     * Ends the replay of {@code partition}: the current plans and the alerts to publish that the topic lacks. Alerts
     * the topic shows firing that the replay did not rebuild stay firing, unconfirmed, until {@link #confirm}. Events
     * still waiting for their cluster's profile wait on for the grace period: a profile the previous owner had not
     * processed yet comes after the replay.
     */
    public synchronized List<Outcome> settle(int partition, Instant now) {
        if (!replaying.remove(partition)) {
            return List.of();
        }
        fleet.endRebuild(partition, now);
        Map<String, Collection<Alert>> shown = new HashMap<>();
        Map<String, Map<String, Alert>> read = readBack.remove(partition);
        if (read != null) {
            read.forEach((clusterId, byFingerprint) -> shown.put(clusterId, byFingerprint.values()));
        }
        List<Outcome> outcomes = new ArrayList<>();
        fleet.settle(partition, shown, now).forEach(outcome -> outcomes.add(notOnTopic(partition, outcome)));
        // Clusters the topic still shows alerts for but whose profile is gone: kept until confirm, when their alerts
        // end unless a profile read after the replay brings the cluster back.
        shown.forEach((clusterId, alerts) -> {
            if (!fleet.owns(clusterId)) {
                orphans.computeIfAbsent(partition, p -> new HashMap<>()).put(clusterId, alerts);
            }
        });
        return outcomes;
    }

    /**
     * After a settle, once the records the previous owner may have processed have been read again: resolves the
     * alerts nothing confirmed, and forgets clusters that only the topics still showed (their recommendation with).
     */
    public synchronized List<Outcome> confirm(int partition, Instant now) {
        // What the confirm resolves is on the topic firing: its resolution is new whatever its event time.
        onTopic.remove(partition);
        List<Outcome> outcomes = new ArrayList<>(fleet.confirm(partition, now));
        Map<String, Collection<Alert>> gone = orphans.remove(partition);
        if (gone != null) {
            gone.forEach((clusterId, alerts) -> outcomes.add(Outcome.gone(clusterId, alerts, now)));
        }
        return outcomes;
    }

    /** Drops all of the partitions this instance no longer owns, replayed or not; returns the ids of their clusters. */
    public synchronized List<String> release(Set<Integer> partitions) {
        replaying.removeAll(partitions);
        readBack.keySet().removeAll(partitions);
        orphans.keySet().removeAll(partitions);
        onTopic.keySet().removeAll(partitions);
        List<String> released = fleet.release(partitions);
        released.forEach(profileRecords::remove);
        return released;
    }

    /**
     * The states of the clusters of a live {@code partition} that changed since last asked (or that {@code alsoWanted}
     * names), each with its profile record, and the clusters forgotten since; null while events of the partition wait
     * for their cluster's profile: a state taken then would leave them out.
     */
    public synchronized Snapshot snapshot(int partition, Predicate<String> alsoWanted) {
        if (replaying.contains(partition) || fleet.heldEvents(partition) > 0) {
            return null;
        }
        Fleet.Changes changes = fleet.changedStates(partition, alsoWanted);
        Map<String, String> records = new HashMap<>();
        changes.states().forEach(state -> records.put(state.clusterId(), profileRecords.get(state.clusterId())));
        return new Snapshot(changes, records);
    }

    /** What {@link #snapshot} took: the fleet's changes and the profile record of each state. */
    public record Snapshot(Fleet.Changes changes, Map<String, String> profileRecords) {
    }

    /** Restores clusters of a replaying {@code partition} from their snapshots; their profile records with them. */
    public synchronized void restore(int partition, Collection<ClusterState> states, Map<String, String> records) {
        fleet.restore(partition, states);
        profileRecords.putAll(records);
    }

    /** {@code outcome} without the alert records the topic already has: not after its newest of their fingerprint. */
    private Outcome notOnTopic(int partition, Outcome outcome) {
        Map<String, Instant> newest = onTopic.isEmpty() || outcome.alerts().isEmpty() ? null : onTopic.get(partition);
        if (newest == null) {
            return outcome;
        }
        List<Alert> fresh = new ArrayList<>(outcome.alerts().size());
        for (Alert alert : outcome.alerts()) {
            Instant shown = newest.get(alert.fingerprint());
            if (shown == null || alert.updatedAt().isAfter(shown)) {
                fresh.add(alert);
            }
        }
        return fresh.size() == outcome.alerts().size() ? outcome
                : new Outcome(outcome.clusterId(), outcome.plan(), outcome.generatedAt(), fresh, outcome.forgotten(),
                        outcome.newestSampleAt());
    }

    private Outcome quiet(String clusterId, Outcome outcome) {
        if (replaying.isEmpty()) {
            return outcome; // live: no cluster to look up for every record
        }
        Integer partition = fleet.partitionOf(clusterId);
        return partition != null && replaying.contains(partition) ? Outcome.nothing(clusterId) : outcome;
    }
}
