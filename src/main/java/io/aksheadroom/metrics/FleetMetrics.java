package io.aksheadroom.metrics;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.domain.Fleet;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Puts the fleet's series on {@code /q/metrics}. A collector on Micrometer's Prometheus registry rather than Micrometer
 * gauges: with 1,000 clusters that is some 100,000 series, and as gauges each would be a meter kept in memory and
 * re-registered on a schedule, with stale values or removed series between refreshes. Computed at scrape time, they
 * cost nothing between scrapes and always match the REST API.
 */
@ApplicationScoped
public class FleetMetrics {

    private final PrometheusMeterRegistry registry;
    private final FleetCollector collector;

    public FleetMetrics(PrometheusMeterRegistry registry, Fleet fleet, MetricsConfig config) {
        this.registry = registry;
        this.collector = new FleetCollector(fleet, config.topNodes());
    }

    void register(@Observes StartupEvent event) {
        registry.getPrometheusRegistry().register(collector);
    }
}
