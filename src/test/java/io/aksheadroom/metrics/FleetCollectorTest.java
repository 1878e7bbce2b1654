package io.aksheadroom.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.domain.Fleet;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector.MetricFamilySamples;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The collector on the same Micrometer Prometheus registry Quarkus serves on {@code /q/metrics}, fed by a real
 * {@link Fleet}: forgotten clusters leave no series, and the series count does not grow with the node count.
 */
class FleetCollectorTest {

    private static PrometheusMeterRegistry registry(Fleet fleet, int topNodes) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new FleetCollector(fleet, topNodes));
        return registry;
    }

    /** Series per family name, as a scrape would list them. */
    private static Map<String, Integer> seriesByFamily(PrometheusMeterRegistry registry) {
        Map<String, Integer> counts = new TreeMap<>();
        for (MetricFamilySamples family : Collections.list(registry.getPrometheusRegistry().metricFamilySamples())) {
            counts.put(family.name, family.samples.size());
        }
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void aForgottenClusterHasNoSeriesAtTheNextScrape() {
        Fleet fleet = SyntheticFleet.of(0, 0, 1);
        SyntheticFleet.add(fleet, "stays", 0, 10, 1);
        SyntheticFleet.add(fleet, "tombstoned", 1, 10, 1);
        SyntheticFleet.add(fleet, "moved-away", 2, 10, 1);
        PrometheusMeterRegistry registry = registry(fleet, 20);
        String before = registry.scrape();
        for (String cluster : Set.of("stays", "tombstoned", "moved-away")) {
            assertTrue(before.contains("aks_headroom_node_snat_used_ports{cluster=\"" + cluster + "\""), cluster);
            assertTrue(before.contains("aks_headroom_cluster_planned_nodes{cluster=\"" + cluster + "\""), cluster);
        }

        fleet.profile("tombstoned", 1, null, SyntheticFleet.AT.plusSeconds(120));
        fleet.release(Set.of(2));
        String after = registry.scrape();

        assertFalse(after.contains("cluster=\"tombstoned\""), "a tombstone removes every series of the cluster");
        assertFalse(after.contains("cluster=\"moved-away\""), "so does a partition moving to another instance");
        assertTrue(after.contains("aks_headroom_node_snat_used_ports{cluster=\"stays\""));
    }

    @Test
    void theSeriesCountIsBoundedByTopNodesNotByTheNodeCount() {
        int clusters = 20;
        Map<String, Integer> small = seriesByFamily(registry(SyntheticFleet.of(clusters, 40, 2), 20));
        Map<String, Integer> large = seriesByFamily(registry(SyntheticFleet.of(clusters, 200, 2), 20));

        assertEquals(small, large, "five times the nodes, the same series");
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_UTILIZATION.name()));
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_USED.name()));
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_ALLOCATED.name()));
        assertEquals(clusters * 2, large.get(FleetSeries.POOL_UTILIZATION_P95.name()));
        // Per cluster: 14 cluster figures (manual allocation, so max nodes too), 2 findings (SNAT-7 critical: the
        // busiest node is at 99.9%; SNAT-11 info), 5 subnet figures, 9 per pool x 2 pools, 3 x 20 busiest backends.
        assertEquals(clusters * (14 + 2 + 5 + 9 * 2 + 3 * 20), total(large), large.toString());
    }

    @Test
    void fewerBackendsThanTopNodesAreAllExported() {
        Map<String, Integer> counts = seriesByFamily(registry(SyntheticFleet.of(3, 7, 1), 20));
        assertEquals(3 * 7, counts.get(FleetSeries.NODE_UTILIZATION.name()));
    }

    @Test
    void aNegativeTopIsRefusedAtStartup() {
        Fleet fleet = SyntheticFleet.of(0, 0, 1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new FleetCollector(fleet, -1));
        assertTrue(refused.getMessage().contains("aks-headroom.metrics.top-nodes"), refused.getMessage());
    }
}
