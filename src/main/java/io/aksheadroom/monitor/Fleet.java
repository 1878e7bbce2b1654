package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
    /** Per partition, clusters gone at a settle that the alerts topic still shows firing, until confirmed gone. */
    private final Map<Integer, Map<String, Map<String, Alert>>> orphans = new HashMap<>();
    /**
     * Events of clusters not known yet: across topics the consumer gives no order, so a cluster's first samples may come
     * before its profile. They wait for the profile while their partition replays, and for a grace period when live.
     * {@code source} is whatever the caller needs to dead-letter them.
     */
    private final Map<Integer, Map<String, List<Pending>>> pending = new HashMap<>();
    private int heldCount;

    private record Pending(Object event, Object source, Instant heldSince) {
    }

    /** What ending a replay gives: outcomes to publish, and the sources of events whose cluster never appeared. */
    public record Settled(List<Outcome> outcomes, List<Object> unknownClusterSources) {
    }

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

    /** Ends the replay of {@code partition} when it reached the log end: {@link #settle} and {@link #confirm} at once. */
    public synchronized Settled finishReplay(int partition, Instant now) {
        Settled settled = settle(partition, now);
        Map<String, Outcome> byCluster = new LinkedHashMap<>();
        settled.outcomes().forEach(outcome -> byCluster.put(outcome.clusterId(), outcome));
        for (Outcome confirmed : confirm(partition, now)) {
            // One outcome per cluster, as before the two steps existed: the plan, then every alert record.
            byCluster.merge(confirmed.clusterId(), confirmed, (first, then) -> {
                List<Alert> alerts = new ArrayList<>(first.alerts());
                alerts.addAll(then.alerts());
                return new Outcome(first.clusterId(), first.plan(), first.generatedAt(), alerts,
                        first.forgotten() || then.forgotten());
            });
        }
        return new Settled(List.copyOf(byCluster.values()), settled.unknownClusterSources());
    }

    /**
     * Ends the replay of {@code partition}: the current plans and the alerts to publish that the topic lacks. Alerts
     * the topic shows firing that the replay did not rebuild stay firing, unconfirmed, until {@link #confirm}: records
     * read after the replay (those the previous owner processed after its last commit) may fire them again.
     */
    public synchronized Settled settle(int partition, Instant now) {
        if (!replaying.remove(partition)) {
            return new Settled(List.of(), List.of());
        }
        List<Object> unknown = new ArrayList<>();
        Map<String, List<Pending>> waiting = pending.remove(partition);
        if (waiting != null) {
            waiting.values().forEach(events -> events.forEach(event -> unknown.add(event.source())));
            heldCount -= unknown.size();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : partitionOf.entrySet()) {
            if (entry.getValue() == partition) {
                Map<String, Alert> before = published.remove(entry.getKey());
                outcomes.add(clusters.get(entry.getKey())
                        .settle(before == null ? List.of() : before.values(), now));
            }
        }
        // Clusters the topic still shows alerts for but whose profile is gone: kept until confirm, when their alerts
        // end unless a profile read after the replay brings the cluster back.
        for (Map.Entry<String, Integer> entry : List.copyOf(publishedPartition.entrySet())) {
            if (entry.getValue() == partition) {
                publishedPartition.remove(entry.getKey());
                Map<String, Alert> orphaned = published.remove(entry.getKey());
                if (orphaned != null && !clusters.containsKey(entry.getKey())) {
                    orphans.computeIfAbsent(partition, p -> new HashMap<>()).put(entry.getKey(), orphaned);
                }
            }
        }
        return new Settled(outcomes, unknown);
    }

    /**
     * After a settle, once the records the previous owner may have processed have been read again: resolves the
     * alerts nothing confirmed, and forgets clusters that only the topics still showed (their recommendation with).
     */
    public synchronized List<Outcome> confirm(int partition, Instant now) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : partitionOf.entrySet()) {
            if (entry.getValue() == partition) {
                Outcome confirmed = clusters.get(entry.getKey()).confirm(now);
                if (!confirmed.isEmpty()) {
                    outcomes.add(confirmed);
                }
            }
        }
        Map<String, Map<String, Alert>> gone = orphans.remove(partition);
        if (gone != null) {
            gone.forEach((clusterId, alerts) -> {
                List<Alert> ended = new ArrayList<>();
                alerts.values().stream().filter(Alert::isFiring).forEach(alert -> ended.add(alert.resolvedAt(
                        now.isAfter(alert.startsAt()) ? now : alert.startsAt())));
                outcomes.add(new Outcome(clusterId, null, now, ended, true));
            });
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
        ClusterMonitor monitor = clusters.computeIfAbsent(clusterId, id -> new ClusterMonitor(id, settings, planner));
        Map<String, Map<String, Alert>> orphaned = orphans.get(partition);
        Map<String, Alert> adopted = orphaned == null ? null : orphaned.remove(clusterId);
        if (adopted != null) {
            // Back after a settle that found it gone: its alerts on the topic are its own, unconfirmed as any.
            monitor.settle(adopted.values(), at);
        }
        Outcome outcome = monitor.applyProfile(profile, at);
        Map<String, List<Pending>> waiting = pending.get(partition);
        List<Pending> held = waiting == null ? null : waiting.remove(clusterId);
        if (held != null) {
            heldCount -= held.size();
            List<Alert> alerts = new ArrayList<>(outcome.alerts());
            Plan plan = outcome.plan();
            Instant last = at;
            for (Pending event : held) {
                Outcome next;
                if (event.event() instanceof NodeEvent nodeEvent) {
                    next = monitor.applyNodeEvent(nodeEvent);
                } else if (event.event() instanceof NatGatewaySample gateway) {
                    next = monitor.applyNatGatewaySample(gateway);
                } else {
                    next = monitor.applySample((SnatSample) event.event());
                }
                alerts.addAll(next.alerts());
                plan = next.plan() != null ? next.plan() : plan;
                last = next.generatedAt() != null && next.generatedAt().isAfter(last) ? next.generatedAt() : last;
            }
            outcome = new Outcome(clusterId, plan, last, alerts, false);
        }
        return quietWhileReplaying(clusterId, outcome);
    }

    /**
     * Held events of live partitions that waited longer than the grace period: their cluster really is unknown.
     * Returns their sources, to be dead-lettered.
     */
    public synchronized List<Object> expireHeld(Instant now) {
        List<Object> expired = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, List<Pending>>> partition : pending.entrySet()) {
            if (replaying.contains(partition.getKey())) {
                continue;
            }
            for (List<Pending> events : partition.getValue().values()) {
                events.removeIf(event -> {
                    if (!now.isBefore(event.heldSince().plus(settings.unknownClusterGrace()))) {
                        expired.add(event.source());
                        return true;
                    }
                    return false;
                });
            }
            partition.getValue().values().removeIf(List::isEmpty);
        }
        heldCount -= expired.size();
        return expired;
    }

    /**
     * A node event from input partition {@code partition}. Throws {@link UnknownClusterException} for a cluster without
     * a profile, unless the partition replays: then the event waits for the profile.
     */
    public synchronized Outcome nodeEvent(int partition, NodeEvent event, Object source, Instant receivedAt) {
        ClusterMonitor monitor = knownOrHold(partition, event.clusterId(), event, source, receivedAt);
        return monitor == null ? Outcome.nothing(event.clusterId())
                : quietWhileReplaying(event.clusterId(), monitor.applyNodeEvent(event));
    }

    /** One NAT gateway minute from input partition {@code partition}; unknown clusters as for node events. */
    public synchronized Outcome natGatewaySample(int partition, NatGatewaySample sample, Object source,
            Instant receivedAt) {
        ClusterMonitor monitor = knownOrHold(partition, sample.clusterId(), sample, source, receivedAt);
        return monitor == null ? Outcome.nothing(sample.clusterId())
                : quietWhileReplaying(sample.clusterId(), monitor.applyNatGatewaySample(sample));
    }

    /** A SNAT sample from input partition {@code partition}; unknown clusters as for node events. */
    public synchronized Outcome sample(int partition, SnatSample sample, Object source, Instant receivedAt) {
        ClusterMonitor monitor = knownOrHold(partition, sample.clusterId(), sample, source, receivedAt);
        return monitor == null ? Outcome.nothing(sample.clusterId())
                : quietWhileReplaying(sample.clusterId(), monitor.applySample(sample));
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
        orphans.keySet().removeAll(partitions);
        for (Integer partition : partitions) {
            Map<String, List<Pending>> dropped = pending.remove(partition);
            if (dropped != null) {
                heldCount -= dropped.values().stream().mapToInt(List::size).sum();
            }
        }
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

    private Outcome quietWhileReplaying(String clusterId, Outcome outcome) {
        if (replaying.isEmpty()) {
            return outcome; // live: no cluster to look up for every record
        }
        Integer partition = partitionOf.get(clusterId);
        return partition != null && replaying.contains(partition) ? Outcome.nothing(clusterId) : outcome;
    }

    private ClusterMonitor knownOrHold(int partition, String clusterId, Object event, Object source,
            Instant receivedAt) {
        ClusterMonitor monitor = clusters.get(clusterId);
        if (monitor != null) {
            return monitor;
        }
        boolean live = !replaying.contains(partition);
        if (live && (settings.unknownClusterGrace().isZero() || heldCount >= settings.maxHeldEvents())) {
            throw new UnknownClusterException(clusterId);
        }
        pending.computeIfAbsent(partition, p -> new HashMap<>())
                .computeIfAbsent(clusterId, id -> new ArrayList<>()).add(new Pending(event, source, receivedAt));
        heldCount++;
        return null;
    }
}
