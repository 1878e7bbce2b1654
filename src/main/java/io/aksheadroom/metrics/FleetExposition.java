package io.aksheadroom.metrics;

import io.aksheadroom.domain.Fleet;

import java.util.IdentityHashMap;
import java.util.Map;
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

    private final Fleet fleet;
    private final int topNodes;
    private final Map<FleetSeries.Metric, Integer> lastLengths = new ConcurrentHashMap<>();

    public FleetExposition(Fleet fleet, int topNodes) {
        if (topNodes < 0) {
            throw new IllegalArgumentException("aks-headroom.metrics.top-nodes must not be negative, got " + topNodes);
        }
        this.fleet = fleet;
        this.topNodes = topNodes;
    }

    /**
     * Appends the families {@code included} accepts, each with its HELP and TYPE lines and all its series together
     * (the format requires a family's lines to be one group); families without series are left out.
     */
    public void writeTo(StringBuilder out, Predicate<String> included) {
        writeTo(included, out::append);
    }

    /**
     * Hands each family accepted by {@code included} to {@code families} as one piece of text, so a caller can send
     * them as they are rather than copy 14 MB into one buffer first.
     */
    public void writeTo(Predicate<String> included, Consumer<StringBuilder> families) {
        Map<FleetSeries.Metric, StringBuilder> texts = new IdentityHashMap<>();
        Map<FleetSeries.Metric, Integer> headerLengths = new IdentityHashMap<>();
        for (FleetSeries.Metric metric : FleetSeries.METRICS) {
            if (included.test(metric.name())) {
                // Sized from the previous scrape: growing a builder of megabytes by doubling copies it again and again.
                StringBuilder text = new StringBuilder(lastLengths.getOrDefault(metric, 256));
                PrometheusText.gaugeHeader(text, metric.name(), metric.help());
                texts.put(metric, text);
                headerLengths.put(metric, text.length());
            }
        }
        if (texts.isEmpty()) {
            return;
        }
        FleetSeries.Sink render = (metric, labels, value) -> {
            StringBuilder text = texts.get(metric);
            if (text != null) {
                PrometheusText.sample(text, metric.name(), metric.labelNames(), labels, value);
            }
        };
        fleet.forEachView(view -> FleetSeries.write(view, topNodes, render));
        for (FleetSeries.Metric metric : FleetSeries.METRICS) {
            StringBuilder text = texts.get(metric);
            if (text != null && text.length() > headerLengths.get(metric)) {
                lastLengths.put(metric, text.length() + text.length() / 8);
                families.accept(text);
            }
        }
    }
}
