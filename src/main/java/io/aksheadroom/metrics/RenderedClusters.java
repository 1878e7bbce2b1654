package io.aksheadroom.metrics;

import io.aksheadroom.monitor.BackendUsage;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.Fleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Each cluster's series lines as the previous scrape rendered them, with the snapshot they were rendered from. A
 * scrape renders again only the clusters whose snapshot differs from that one: a cluster takes a sample a minute,
 * Prometheus scrapes every 15 s, so most clusters are unchanged at any scrape, and rendering text is most of a
 * scrape's work.
 *
 * <p>A cluster's lines are kept in one buffer, grouped by family in {@link FleetSeries#METRICS} order, with where each
 * family's group ends: the exposition format wants all series of a family together, so a scrape hands out each
 * family's group of every cluster in turn. The cache holds exactly the clusters the fleet had at the last scrape; a
 * cluster forgotten or released since has its buffer released at the next one, so the memory follows the fleet. The
 * cache releases only its own reference: a scrape's response that retained a slice keeps that buffer until written.
 *
 * <p>Not thread-safe: its {@link FleetExposition} lets one scrape at a time use it.
 */
final class RenderedClusters {

    private static final List<FleetSeries.Metric> METRICS = FleetSeries.METRICS;

    private final int topNodes;
    private final ByteBufAllocator allocator;
    private final Map<FleetSeries.Metric, Integer> indexOf = new IdentityHashMap<>();
    /** One cluster's lines of each family while it is rendered; small, reused for every cluster. */
    private final ByteBuf[] scratch = new ByteBuf[METRICS.size()];
    private final PrometheusText.Line[] lines = new PrometheusText.Line[METRICS.size()];
    private Map<String, Rendered> clusters = new HashMap<>();
    private long bytes;
    private long releasedBytes;
    private long renders;

    /**
     * A cluster's lines: those of family {@code f} are {@code text}'s bytes from {@code ends[f - 1]} (0 for the first)
     * to {@code ends[f]}.
     */
    record Rendered(ClusterView view, ByteBuf text, int[] ends) {

        int start(int family) {
            return family == 0 ? 0 : ends[family - 1];
        }

        int length(int family) {
            return ends[family] - start(family);
        }
    }

    RenderedClusters(int topNodes, ByteBufAllocator allocator) {
        this.topNodes = topNodes;
        this.allocator = allocator;
        for (int f = 0; f < METRICS.size(); f++) {
            FleetSeries.Metric metric = METRICS.get(f);
            indexOf.put(metric, f);
            scratch[f] = Unpooled.buffer(256);
            lines[f] = new PrometheusText.Line(metric.name(), metric.labelNames());
        }
    }

    /**
     * Brings the cache to the fleet as it is now, rendering the clusters that changed or are new and releasing those
     * the fleet no longer has; returns every cluster's lines in the fleet's order. The buffers stay the cache's: retain
     * what is read after the next call.
     */
    List<Rendered> update(Fleet<?> fleet) {
        Map<String, Rendered> next = new HashMap<>(clusters.size() * 4 / 3 + 1);
        List<Rendered> order = new ArrayList<>(clusters.size());
        boolean done = false;
        try {
            fleet.forEachView(view -> {
                Rendered kept = clusters.remove(view.clusterId());
                Rendered now;
                if (kept != null && sameSeries(kept.view(), view)) {
                    now = kept;
                } else {
                    if (kept != null) {
                        release(kept);
                    }
                    now = render(view);
                }
                next.put(view.clusterId(), now);
                order.add(now);
            });
            done = true;
        } finally {
            // What is left: clusters the fleet forgot or released since the last scrape, or, if rendering failed,
            // those not reached. Pooled memory is not collected.
            clusters.values().forEach(this::release);
            if (!done) {
                next.values().forEach(this::release);
                next.clear();
            }
            clusters = next;
        }
        return order;
    }

    /** Clusters held. */
    int size() {
        return clusters.size();
    }

    /** Clusters rendered so far, over all scrapes. */
    long renders() {
        return renders;
    }

    /** Bytes of the buffers held. */
    long bytes() {
        return bytes;
    }

    /** Bytes of the buffers the cache let go of so far, over all scrapes. */
    long releasedBytes() {
        return releasedBytes;
    }

    /**
     * Whether two snapshots of a cluster give the same series: they compare what {@link FleetSeries#write} reads. The
     * plan by identity (a cluster keeps its plan object until a different plan replaces it), backends by identity
     * first (an unchanged backend keeps its entry between scrapes), then by value.
     */
    static boolean sameSeries(ClusterView before, ClusterView now) {
        return before.plan() == now.plan() && before.clusterId().equals(now.clusterId())
                && Objects.equals(before.lastEventAt(), now.lastEventAt())
                && before.firingAlerts().equals(now.firingAlerts())
                && sameBackends(before.backendUsage(), now.backendUsage());
    }

    private static boolean sameBackends(List<BackendUsage> before, List<BackendUsage> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            BackendUsage a = before.get(i);
            BackendUsage b = now.get(i);
            if (a != b && !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    private Rendered render(ClusterView view) {
        for (int f = 0; f < METRICS.size(); f++) {
            scratch[f].clear();
            lines[f].reset();
        }
        FleetSeries.write(view, topNodes, (metric, labels, value) -> {
            int f = indexOf.get(metric);
            lines[f].write(scratch[f], labels, value);
        });
        int total = 0;
        for (ByteBuf family : scratch) {
            total += family.readableBytes();
        }
        ByteBuf text = allocator.buffer(total);
        int[] ends = new int[METRICS.size()];
        for (int f = 0; f < METRICS.size(); f++) {
            text.writeBytes(scratch[f], scratch[f].readerIndex(), scratch[f].readableBytes());
            ends[f] = text.writerIndex();
        }
        bytes += text.capacity();
        renders++;
        return new Rendered(view, text, ends);
    }

    /** Releases every cluster's lines: the cache is empty afterwards, as for an empty fleet. */
    void clear() {
        clusters.values().forEach(this::release);
        clusters = new HashMap<>();
    }

    private void release(Rendered rendered) {
        bytes -= rendered.text().capacity();
        releasedBytes += rendered.text().capacity();
        rendered.text().release();
    }
}
