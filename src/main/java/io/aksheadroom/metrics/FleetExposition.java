package io.aksheadroom.metrics;

import io.aksheadroom.monitor.Fleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The fleet's {@link FleetSeries} as Prometheus text, rendered at each scrape from the fleet's own state. Nothing is
 * kept between scrapes, so a cluster the fleet forgets (a tombstone, a partition moving to another instance) has no
 * series at the next scrape.
 *
 * <p>Clusters are read one at a time ({@link Fleet#forEachView}): each cluster's series come from one consistent
 * snapshot, and the pipeline waits for one cluster's copy at most, never for the whole fleet's.
 */
public final class FleetExposition {

    private final Fleet<?> fleet;
    private final int topNodes;
    private final ByteBufAllocator allocator;
    /** Bytes of each family at the previous scrape: a buffer of megabytes grown by doubling is copied again and again. */
    private final Map<FleetSeries.Metric, Integer> lastLengths = new ConcurrentHashMap<>();

    public FleetExposition(Fleet<?> fleet, int topNodes) {
        this(fleet, topNodes, UnpooledByteBufAllocator.DEFAULT);
    }

    /** {@code allocator}: where the text is written; the endpoint passes pooled direct memory, off the heap. */
    public FleetExposition(Fleet<?> fleet, int topNodes, ByteBufAllocator allocator) {
        if (topNodes < 0) {
            throw new IllegalArgumentException("aks-headroom.metrics.top-nodes must not be negative, got " + topNodes);
        }
        this.fleet = fleet;
        this.topNodes = topNodes;
        this.allocator = allocator;
    }

    /**
     * Appends the families {@code included} accepts, each with its HELP and TYPE lines and all its series together
     * (the format requires a family's lines to be one group); families without series are left out.
     */
    public void writeTo(StringBuilder out, Predicate<String> included) {
        writeTo(included, family -> {
            try {
                out.append(family.toString(StandardCharsets.UTF_8));
            } finally {
                family.release();
            }
        });
    }

    /**
     * Hands each family accepted by {@code included} to {@code families} as one buffer of UTF-8 text, which the
     * consumer then owns and must release; families without series are left out.
     */
    public void writeTo(Predicate<String> included, Consumer<ByteBuf> families) {
        Map<FleetSeries.Metric, ByteBuf> texts = new IdentityHashMap<>();
        Map<FleetSeries.Metric, Integer> headerLengths = new IdentityHashMap<>();
        Map<FleetSeries.Metric, PrometheusText.Line> lines = new IdentityHashMap<>();
        Set<ByteBuf> unclaimed = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (FleetSeries.Metric metric : FleetSeries.METRICS) {
                if (included.test(metric.name())) {
                    ByteBuf text = allocator.buffer(lastLengths.getOrDefault(metric, 256));
                    unclaimed.add(text);
                    PrometheusText.gaugeHeader(text, metric.name(), metric.help());
                    texts.put(metric, text);
                    headerLengths.put(metric, text.readableBytes());
                    lines.put(metric, new PrometheusText.Line(metric.name(), metric.labelNames()));
                }
            }
            if (texts.isEmpty()) {
                return;
            }
            FleetSeries.Sink render = (metric, labels, value) -> {
                ByteBuf text = texts.get(metric);
                if (text != null) {
                    lines.get(metric).write(text, labels, value);
                }
            };
            fleet.forEachView(view -> FleetSeries.write(view, topNodes, render));
            for (FleetSeries.Metric metric : FleetSeries.METRICS) {
                ByteBuf text = texts.get(metric);
                if (text != null && text.readableBytes() > headerLengths.get(metric)) {
                    lastLengths.put(metric, text.readableBytes() + text.readableBytes() / 8);
                    unclaimed.remove(text);
                    families.accept(text);
                }
            }
        } finally {
            // Families left out, and every buffer if rendering failed half way: pooled memory is not collected.
            unclaimed.forEach(ByteBuf::release);
        }
    }
}
