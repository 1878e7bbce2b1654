package io.aksheadroom.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every cluster this instance owns. Clusters are owned by input partition: a takeover or a restart rebuilds them
 * from the topics, and a revoked partition's clusters are dropped. Thread-safe: the Kafka poll thread (rebalances),
 * the processing thread and HTTP readers share it.
 */
public final class Fleet {

    private final MonitorSettings settings;
    private final CapacityPlanner planner;
    private final Map<String, ClusterMonitor> clusters = new HashMap<>();
    private final Map<String, Integer> partitionOf = new HashMap<>();

    public Fleet(MonitorSettings settings, CapacityPlanner planner) {
        this.settings = settings;
        this.planner = planner;
    }

    /** A cluster's profile, or its tombstone (null), from input partition {@code partition}. */
    public synchronized Outcome profile(String clusterId, int partition, ClusterProfile profile, Instant at) {
        if (profile == null) {
            ClusterMonitor gone = clusters.remove(clusterId);
            partitionOf.remove(clusterId);
            return gone == null ? Outcome.nothing(clusterId) : gone.forget(at);
        }
        partitionOf.put(clusterId, partition);
        return clusters.computeIfAbsent(clusterId, id -> new ClusterMonitor(id, settings, planner))
                .applyProfile(profile, at);
    }

    public synchronized Outcome nodeEvent(NodeEvent event) {
        return known(event.clusterId()).applyNodeEvent(event);
    }

    public synchronized Outcome sample(SnatSample sample) {
        return known(sample.clusterId()).applySample(sample);
    }

    /** Restores alerts read back from the alerts topic, for the clusters this instance owns. */
    public synchronized void restore(Collection<Alert> alerts) {
        for (Alert alert : alerts) {
            ClusterMonitor monitor = clusters.get(alert.clusterId());
            if (monitor != null) {
                monitor.restore(alert);
            }
        }
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
        return released;
    }

    public synchronized boolean owns(String clusterId) {
        return clusters.containsKey(clusterId);
    }

    /** A consistent copy for readers: cluster id to its current plan (null before the first one) and alerts. */
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

    private ClusterMonitor known(String clusterId) {
        ClusterMonitor monitor = clusters.get(clusterId);
        if (monitor == null) {
            throw new UnknownClusterException(clusterId);
        }
        return monitor;
    }
}
