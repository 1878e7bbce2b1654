package io.aksheadroom.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Every cluster this instance owns, by input partition. After a restart or a takeover the owned partitions are
 * replayed silently (state rebuilt, nothing published); when a partition has caught up, each cluster's alerts are
 * settled against what the alerts topic last said, so no alert fires twice or is forgotten. Thread-safe: the Kafka
 * poll thread (rebalances), the processing thread and HTTP readers share it.
 */
public final class Fleet {

    private final MonitorSettings settings;
    private final CapacityPlanner planner;
    private final Map<String, ClusterMonitor> clusters = new HashMap<>();
    private final Map<String, Integer> partitionOf = new HashMap<>();
    private final Set<Integer> replaying = new HashSet<>();
    /** Per cluster, the firing alerts the alerts topic holds, until its partition's replay settles them. */
    private final Map<String, Map<String, Alert>> published = new HashMap<>();
    private final Map<String, Integer> publishedPartition = new HashMap<>();

    public Fleet(MonitorSettings settings, CapacityPlanner planner) {
        this.settings = settings;
        this.planner = planner;
    }

    /**
     * Starts a silent replay of {@code partitions}; {@code alerts} is the alerts topic read back, of which the records
     * of clusters in those partitions are kept (the newest per fingerprint).
     */
    public synchronized void beginReplay(Set<Integer> partitions, Collection<Alert> alerts,
            ToIntFunction<String> partitionOfCluster) {
        replaying.addAll(partitions);
        for (Alert alert : alerts) {
            int partition = partitionOfCluster.applyAsInt(alert.clusterId());
            if (!partitions.contains(partition)) {
                continue;
            }
            publishedPartition.put(alert.clusterId(), partition);
            Map<String, Alert> byFingerprint = published.computeIfAbsent(alert.clusterId(), id -> new HashMap<>());
            Alert known = byFingerprint.get(alert.fingerprint());
            if (known == null || !known.updatedAt().isAfter(alert.updatedAt())) {
                byFingerprint.put(alert.fingerprint(), alert);
            }
        }
    }

    public synchronized boolean isReplaying(int partition) {
        return replaying.contains(partition);
    }

    /** Ends the replay of {@code partition}: the current plans and the alert differences to publish. */
    public synchronized List<Outcome> finishReplay(int partition, Instant now) {
        if (!replaying.remove(partition)) {
            return List.of();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : partitionOf.entrySet()) {
            if (entry.getValue() == partition) {
                Map<String, Alert> before = published.remove(entry.getKey());
                outcomes.add(clusters.get(entry.getKey())
                        .settle(before == null ? List.of() : before.values(), now));
            }
        }
        // Clusters the topic still shows alerts for but whose profile is gone: their alerts end now.
        for (Map.Entry<String, Integer> entry : List.copyOf(publishedPartition.entrySet())) {
            if (entry.getValue() == partition) {
                publishedPartition.remove(entry.getKey());
                Map<String, Alert> orphaned = published.remove(entry.getKey());
                if (orphaned != null && !clusters.containsKey(entry.getKey())) {
                    List<Alert> ended = new ArrayList<>();
                    orphaned.values().stream().filter(Alert::isFiring).forEach(alert -> ended.add(alert.resolvedAt(
                            now.isAfter(alert.startsAt()) ? now : alert.startsAt())));
                    outcomes.add(new Outcome(entry.getKey(), null, now, ended, false));
                }
            }
        }
        return outcomes;
    }

    /** A cluster's profile, or its tombstone (null), from input partition {@code partition}. */
    public synchronized Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at) {
        if (profile == null) {
            ClusterMonitor gone = clusters.remove(clusterId);
            partitionOf.remove(clusterId);
            if (gone == null) {
                return Outcome.nothing(clusterId);
            }
            Outcome forgotten = gone.forget(at);
            return replaying.contains(partition) ? Outcome.nothing(clusterId) : forgotten;
        }
        partitionOf.put(clusterId, partition);
        Outcome outcome = clusters.computeIfAbsent(clusterId, id -> new ClusterMonitor(id, settings, planner))
                .applyProfile(profile, at);
        return quietWhileReplaying(clusterId, outcome);
    }

    public synchronized Outcome nodeEvent(NodeEvent event) {
        return quietWhileReplaying(event.clusterId(), known(event.clusterId()).applyNodeEvent(event));
    }

    public synchronized Outcome sample(SnatSample sample) {
        return quietWhileReplaying(sample.clusterId(), known(sample.clusterId()).applySample(sample));
    }

    /** Drops the clusters of partitions this instance no longer owns; returns their ids. */
    public synchronized List<String> release(Set<Integer> partitions) {
        List<String> released = new ArrayList<>();
        partitionOf.entrySet().removeIf(entry -> {
            if (partitions.contains(entry.getValue())) {
                released.add(entry.getKey());
                clusters.remove(entry.getKey());
                return true;
            }
            return false;
        });
        replaying.removeAll(partitions);
        publishedPartition.entrySet().removeIf(entry -> {
            if (partitions.contains(entry.getValue())) {
                published.remove(entry.getKey());
                return true;
            }
            return false;
        });
        return released;
    }

    public synchronized boolean owns(String clusterId) {
        return clusters.containsKey(clusterId);
    }

    /** A consistent copy for readers. */
    public synchronized List<ClusterView> view() {
        List<ClusterView> views = new ArrayList<>(clusters.size());
        clusters.forEach((id, monitor) -> views.add(ClusterView.of(id, monitor)));
        return views;
    }

    public synchronized ClusterView view(String clusterId) {
        ClusterMonitor monitor = clusters.get(clusterId);
        return monitor == null ? null : ClusterView.of(clusterId, monitor);
    }

    public synchronized int size() {
        return clusters.size();
    }

    private Outcome quietWhileReplaying(String clusterId, Outcome outcome) {
        Integer partition = partitionOf.get(clusterId);
        return partition != null && replaying.contains(partition) ? Outcome.nothing(clusterId) : outcome;
    }

    private ClusterMonitor known(String clusterId) {
        ClusterMonitor monitor = clusters.get(clusterId);
        if (monitor == null) {
            throw new UnknownClusterException(clusterId);
        }
        return monitor;
    }
}
