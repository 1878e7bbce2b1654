package io.aksheadroom.bench;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.support.WireJson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The soak's input, one record at a time, for a caller that paces them: a fleet whose clusters are born and
 * tombstoned all the time, so a service that kept anything of a forgotten cluster would grow.
 *
 * <p>{@code population} clusters live at once, each for {@code lifetime} (the first ones staggered over one lifetime,
 * so churn is steady from the start), plus {@code permanent} clusters that live throughout. A cluster's life, on the
 * service's real topics:
 * <ul>
 * <li>its node inventory, then its profile (the consumer interleaves topics freely, so the inventory may wait for the
 * profile as a held event);
 * <li>SNAT samples of its nodes with the wall clock as event time, half the clusters in the metrics poller's minute
 * form (one record per load balancer), half one record per sample; one node in ten runs hot (SnatPortsHigh fires) and
 * the hot nodes' connections fail in alternate 30 s spans (SnatConnectionsFailing fires and resolves);
 * <li>a surge node joins at a third of its life and leaves at two thirds;
 * <li>no samples for its last 5 s, then the tombstone of its profile (its alerts resolve, its recommendation is
 * tombstoned, the service forgets it);
 * <li>for one cluster in five, a late sample 1 s after the tombstone: it waits as a held event for the grace period,
 * then is dead-lettered as of an unknown cluster. (A sample sent before the tombstone may be dead-lettered too: the
 * consumer reads samples and profiles from different topics, and when it is more than 5 s behind on the samples the
 * tombstone can overtake them.)
 * </ul>
 * Not thread-safe: one sender thread calls {@link #next}.
 */
public final class SoakWorkload {

    /** One record to send; a null value is a tombstone. */
    public record Out(String topic, String key, String value) {
    }

    private static final Duration QUIET_BEFORE_TOMBSTONE = Duration.ofSeconds(5);
    private static final Duration LATE_SAMPLE_AFTER = Duration.ofSeconds(1);
    private static final long FAILING_SPAN_MS = 30_000;

    private final String prefix;
    private final int population;
    private final int nodes;
    private final int pools;
    private final long lifetimeMs;
    private final long startMillis;
    /** Births, surges, tombstones and late samples, by when they are due. */
    private final PriorityQueue<Step> steps = new PriorityQueue<>();
    private final Deque<Out> pending = new ArrayDeque<>();
    /** Clusters whose samples are sent now, in birth order; the sampling cursor walks them round robin. */
    private final List<Cluster> sampled = new ArrayList<>();
    private final Map<String, Long> tombstonedAt = new LinkedHashMap<>();
    private final Map<String, Long> sentByTopic = new LinkedHashMap<>();
    private int cursor;
    private int nodeCursor;
    private int born;
    private long lateSamples;
    private long sequence;
    private long lastEventMillis;

    private record Step(long dueMillis, long order, Runnable action) implements Comparable<Step> {
        @Override
        public int compareTo(Step other) {
            int byTime = Long.compare(dueMillis, other.dueMillis);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private static final class Cluster {
        final String id;
        final boolean minuteForm;
        final long bornMillis;
        boolean sampling = true;

        Cluster(String id, boolean minuteForm, long bornMillis) {
            this.id = id;
            this.minuteForm = minuteForm;
            this.bornMillis = bornMillis;
        }
    }

    public SoakWorkload(String prefix, int population, int permanent, int nodes, Duration lifetime, long startMillis) {
        this.prefix = prefix;
        this.population = population;
        this.nodes = nodes;
        this.pools = FleetData.pools(nodes);
        this.lifetimeMs = lifetime.toMillis();
        this.startMillis = startMillis;
        for (int i = 0; i < permanent; i++) {
            at(startMillis, () -> birth(startMillis, Long.MAX_VALUE));
        }
        for (int i = 0; i < population; i++) {
            // Staggered: the i-th first cluster dies after (i + 1) / population of a lifetime, and its successor is
            // born then, so one cluster comes and one goes every lifetime / population from the start.
            long death = startMillis + lifetimeMs * (i + 1) / population;
            at(startMillis, () -> birth(startMillis, death));
        }
    }

    /** The next record to send at {@code nowMillis} (wall clock): a churn step due, or the next sample. */
    public Out next(long nowMillis) {
        while (pending.isEmpty() && !steps.isEmpty() && steps.peek().dueMillis() <= nowMillis) {
            steps.poll().action().run();
        }
        if (!pending.isEmpty()) {
            return count(pending.poll());
        }
        return count(sample(nowMillis));
    }

    /** Tombstones sent so far, by cluster id, with the wall-clock time they were sent. */
    public Map<String, Long> tombstoned() {
        return tombstonedAt;
    }

    public int born() {
        return born;
    }

    /** Late samples sent: each must be dead-lettered as of an unknown cluster. */
    public long lateSamples() {
        return lateSamples;
    }

    public Map<String, Long> sentByTopic() {
        return sentByTopic;
    }

    public long sent() {
        return sentByTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Clusters alive now (profile sent, no tombstone yet). */
    public int alive() {
        return born - tombstonedAt.size();
    }

    private Out count(Out out) {
        if (out != null) {
            sentByTopic.merge(out.topic(), 1L, Long::sum);
        }
        return out;
    }

    private void at(long dueMillis, Runnable action) {
        steps.add(new Step(dueMillis, sequence++, action));
    }

    private void birth(long nowMillis, long deathMillis) {
        String id = String.format("%s-%06d", prefix, born);
        Cluster cluster = new Cluster(id, born % 2 == 0, nowMillis);
        born++;
        Instant at = Instant.ofEpochMilli(eventTime(nowMillis));
        ClusterProfile profile = FleetData.profile(id, pools, nodes);
        pending.add(new Out(PipelineHarness.NODE_EVENTS, id,
                WireJson.write(FleetData.inventory(id, at, nodes, pools))));
        pending.add(new Out(PipelineHarness.PROFILES, id, WireJson.write(profile)));
        sampled.add(cluster);
        if (deathMillis == Long.MAX_VALUE) {
            return;
        }
        long life = deathMillis - nowMillis;
        NodeInfo surge = FleetData.node(nodes, pools);
        at(nowMillis + life / 3, () -> pending.add(nodeEvent(NodeEvent.added(id,
                Instant.ofEpochMilli(eventTime(nowMillis + life / 3)), surge))));
        at(nowMillis + 2 * life / 3, () -> pending.add(nodeEvent(NodeEvent.removed(id,
                Instant.ofEpochMilli(eventTime(nowMillis + 2 * life / 3)), surge))));
        at(deathMillis - QUIET_BEFORE_TOMBSTONE.toMillis(), () -> cluster.sampling = false);
        at(deathMillis, () -> death(cluster, deathMillis));
    }

    private void death(Cluster cluster, long nowMillis) {
        sampled.remove(cluster);
        pending.add(new Out(PipelineHarness.PROFILES, cluster.id, null));
        tombstonedAt.put(cluster.id, nowMillis);
        if (born % 5 == 0) {
            long late = nowMillis + LATE_SAMPLE_AFTER.toMillis();
            at(late, () -> {
                lateSamples++;
                pending.add(new Out(PipelineHarness.LB_METRICS, cluster.id, WireJson.write(FleetData.sample(cluster.id,
                        Instant.ofEpochMilli(eventTime(late)), 0, pools, 0, 0L))));
            });
        }
        // Its successor: the population stays the same.
        birth(nowMillis, nowMillis + lifetimeMs);
    }

    private Out nodeEvent(NodeEvent event) {
        return new Out(PipelineHarness.NODE_EVENTS, event.clusterId(), WireJson.write(event));
    }

    /** The next sample round robin over the clusters sampled now; null when none is (a burst of churn). */
    private Out sample(long nowMillis) {
        for (int tries = 0; tries < sampled.size(); tries++) {
            if (cursor >= sampled.size()) {
                cursor = 0;
            }
            Cluster cluster = sampled.get(cursor);
            if (!cluster.sampling) {
                cursor++;
                nodeCursor = 0;
                continue;
            }
            Instant at = Instant.ofEpochMilli(eventTime(nowMillis));
            long minute = (nowMillis - startMillis) / 60_000;
            long failed = ((nowMillis - cluster.bornMillis) / FAILING_SPAN_MS) % 2 == 1 ? 3 : 0;
            if (cluster.minuteForm) {
                cursor++;
                return new Out(PipelineHarness.LB_METRICS, cluster.id,
                        WireJson.write(FleetData.minute(cluster.id, at, nodes, pools, minute, failed)));
            }
            int k = nodeCursor++;
            if (nodeCursor >= nodes) {
                nodeCursor = 0;
                cursor++;
            }
            return new Out(PipelineHarness.LB_METRICS, cluster.id, WireJson.write(FleetData.sample(cluster.id, at, k,
                    pools, minute, FleetData.hot(k) ? failed : 0L)));
        }
        return null;
    }

    /** Event time never goes back, though the due time of a churn step may lag the sampling clock. */
    private long eventTime(long nowMillis) {
        lastEventMillis = Math.max(lastEventMillis, nowMillis);
        return lastEventMillis;
    }

    public int population() {
        return population;
    }
}
