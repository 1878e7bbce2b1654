package io.aksheadroom.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Events of clusters that have no profile yet, by input partition and cluster, each with what its caller needs to
 * hand it back should the profile never come. Not thread-safe: its fleet guards it.
 *
 * @param <S> what a caller needs to hand a held event back
 */
final class HeldEvents<S> {

    /** @param until when it stops waiting; null to wait until its partition's rebuild ends */
    private record Held<S>(ClusterEvent event, S source, Instant until) {
    }

    private final Map<Integer, Map<String, List<Held<S>>>> byPartition = new HashMap<>();
    private int count;

    int count() {
        return count;
    }

    /** Events of one partition that wait. */
    int count(int partition) {
        Map<String, List<Held<S>>> waiting = byPartition.get(partition);
        int of = 0;
        if (waiting != null) {
            for (List<Held<S>> events : waiting.values()) {
                of += events.size();
            }
        }
        return of;
    }

    void hold(int partition, ClusterEvent event, S source, Instant until) {
        byPartition.computeIfAbsent(partition, p -> new HashMap<>())
                .computeIfAbsent(event.clusterId(), id -> new ArrayList<>()).add(new Held<>(event, source, until));
        count++;
    }

    /** The events that waited for this cluster, in the order they came; they wait no more. */
    List<ClusterEvent> take(int partition, String clusterId) {
        Map<String, List<Held<S>>> waiting = byPartition.get(partition);
        List<Held<S>> held = waiting == null ? null : waiting.remove(clusterId);
        if (held == null) {
            return List.of();
        }
        count -= held.size();
        List<ClusterEvent> events = new ArrayList<>(held.size());
        held.forEach(event -> events.add(event.event()));
        return events;
    }

    /** The sources of the events whose wait is over at {@code now}; they wait no more. */
    List<S> expire(Instant now) {
        List<S> expired = new ArrayList<>();
        for (Map<String, List<Held<S>>> partition : byPartition.values()) {
            for (List<Held<S>> events : partition.values()) {
                events.removeIf(event -> {
                    if (event.until() != null && !now.isBefore(event.until())) {
                        expired.add(event.source());
                        return true;
                    }
                    return false;
                });
            }
            partition.values().removeIf(List::isEmpty);
        }
        count -= expired.size();
        return expired;
    }

    /** Events of the partition that wait without end (while it is rebuilt) wait until {@code until}. */
    void startWaiting(int partition, Instant until) {
        Map<String, List<Held<S>>> waiting = byPartition.get(partition);
        if (waiting != null) {
            waiting.values().forEach(events -> events.replaceAll(event -> event.until() != null ? event
                    : new Held<>(event.event(), event.source(), until)));
        }
    }

    /** The sources of every event of the partition, which wait no more. */
    private List<S> drain(int partition) {
        List<S> sources = new ArrayList<>();
        Map<String, List<Held<S>>> waiting = byPartition.remove(partition);
        if (waiting != null) {
            waiting.values().forEach(events -> events.forEach(event -> sources.add(event.source())));
        }
        count -= sources.size();
        return sources;
    }

    void drop(Set<Integer> partitions) {
        partitions.forEach(this::drain);
    }
}
