package io.aksheadroom.metrics;

import io.aksheadroom.domain.Fleet;

import java.util.IdentityHashMap;
import java.util.Map;
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
        Map<FleetSeries.Metric, StringBuilder> bodies = new IdentityHashMap<>();
        for (FleetSeries.Metric metric : FleetSeries.METRICS) {
            if (included.test(metric.name())) {
                bodies.put(metric, new StringBuilder());
            }
        }
        if (bodies.isEmpty()) {
            return;
        }
        FleetSeries.Sink render = (metric, labels, value) -> {
            StringBuilder body = bodies.get(metric);
            if (body != null) {
                PrometheusText.sample(body, metric.name(), metric.labelNames(), labels, value);
            }
        };
        fleet.forEachView(view -> FleetSeries.write(view, topNodes, render));
        for (FleetSeries.Metric metric : FleetSeries.METRICS) {
            StringBuilder body = bodies.get(metric);
            if (body != null && !body.isEmpty()) {
                PrometheusText.gaugeHeader(out, metric.name(), metric.help());
                out.append(body);
            }
        }
    }
}
