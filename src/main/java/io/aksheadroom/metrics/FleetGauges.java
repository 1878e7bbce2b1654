package io.aksheadroom.metrics;

import io.aksheadroom.monitor.Fleet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the fleet holds, as three gauges an operator can watch for growth: a service that forgot clusters badly, or
 * kept events of clusters that never come, would show it here long before its heap does.
 */
public final class FleetGauges {

    public static final String CLUSTERS = "aks_headroom_clusters_tracked";
    public static final String ALERTS = "aks_headroom_alert_book_entries";
    public static final String HELD = "aks_headroom_held_events";

    private FleetGauges() {
    }

    public static void register(MeterRegistry registry, Fleet<?> fleet) {
        Gauge.builder(CLUSTERS, fleet, Fleet::size)
                .description("Clusters this instance owns and keeps state for (a tombstoned one is forgotten)")
                .register(registry);
        Gauge.builder(ALERTS, fleet, Fleet::alertsFiring)
                .description("Alerts firing over the clusters this instance owns: the entries of their alert books")
                .register(registry);
        Gauge.builder(HELD, fleet, Fleet::heldEvents)
                .description("Events waiting for their cluster's profile (dead-lettered when it does not come in time)")
                .register(registry);
    }
}
