package io.aksheadroom.metrics;

import io.aksheadroom.domain.Fleet;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Adapts {@link FleetSeries} to the Prometheus registry behind {@code /q/metrics}, computed at each scrape from one
 * {@link Fleet#view()} snapshot. Nothing is kept between scrapes, so a cluster the fleet forgets (a tombstone, a
 * partition moving to another instance) has no series at the next scrape, and a scrape never mixes two states.
 */
public final class FleetCollector extends Collector implements Collector.Describable {

    private final Fleet fleet;
    private final int topNodes;

    public FleetCollector(Fleet fleet, int topNodes) {
        if (topNodes < 0) {
            throw new IllegalArgumentException("aks-headroom.metrics.top-nodes must not be negative, got " + topNodes);
        }
        this.fleet = fleet;
        this.topNodes = topNodes;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<FleetSeries.Family> families = FleetSeries.of(fleet.view(), topNodes);
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (FleetSeries.Family family : families) {
            FleetSeries.Metric metric = family.metric();
            List<MetricFamilySamples.Sample> samples = new ArrayList<>(family.samples().size());
            for (FleetSeries.Sample sample : family.samples()) {
                samples.add(new MetricFamilySamples.Sample(metric.name(), metric.labelNames(), sample.labelValues(),
                        sample.value()));
            }
            out.add(new MetricFamilySamples(metric.name(), Type.GAUGE, metric.help(), samples));
        }
        return out;
    }

    /** The names without samples: lets the registry refuse a clash at registration instead of at a scrape. */
    @Override
    public List<MetricFamilySamples> describe() {
        return FleetSeries.METRICS.stream()
                .map(metric -> new MetricFamilySamples(metric.name(), Type.GAUGE, metric.help(), List.of())).toList();
    }
}
