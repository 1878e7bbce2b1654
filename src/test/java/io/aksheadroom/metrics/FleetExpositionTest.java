package io.aksheadroom.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.SyntheticFleet;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The fleet's series as {@code /q/metrics} renders them, fed by a real {@link Fleet}: the same series and values as
 * the Prometheus client's own writer gives for them, forgotten clusters leave none, and the series count does not
 * grow with the node count.
 */
class FleetExpositionTest {

    private static String render(Fleet<?> fleet, int topNodes) {
        StringBuilder out = new StringBuilder();
        FleetExposition exposition = new FleetExposition(fleet, topNodes);
        exposition.writeTo(out, name -> true);
        exposition.close();
        return out.toString();
    }

    /** What the Prometheus Java client's text writer makes of the same series: the reference. */
    static String reference(Fleet<?> fleet, int topNodes) throws IOException {
        List<MetricFamilySamples> families = new ArrayList<>();
        for (FleetSeries.Family family : FleetSeries.of(fleet.view(), topNodes)) {
            FleetSeries.Metric metric = family.metric();
            List<MetricFamilySamples.Sample> samples = family.samples().stream()
                    .map(s -> new MetricFamilySamples.Sample(metric.name(), metric.labelNames(), s.labelValues(),
                            s.value())).toList();
            families.add(new MetricFamilySamples(metric.name(), Collector.Type.GAUGE, metric.help(), samples));
        }
        StringWriter out = new StringWriter();
        TextFormat.write004(out, Collections.enumeration(families));
        return out.toString();
    }

    /** Series per family name, as a scrape lists them. */
    private static Map<String, Integer> seriesByFamily(Fleet<?> fleet, int topNodes) {
        Map<String, Integer> counts = new TreeMap<>();
        Exposition.parse(render(fleet, topNodes)).series.forEach(s -> counts.merge(s.name(), 1, Integer::sum));
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void theSeriesAndValuesAreThoseThePrometheusClientWouldWrite() throws IOException {
        Fleet<Void> fleet = SyntheticFleet.of(12, 30, 2);
        SyntheticFleet.add(fleet, "quote\"back\\slash\nnewline", 3, 5, 1);

        Exposition ours = Exposition.parse(render(fleet, 20));
        Exposition theirs = Exposition.parse(reference(fleet, 20));

        assertEquals(theirs.byKey(), ours.byKey());
        assertEquals(theirs.comments, ours.comments, "HELP and TYPE lines, family by family in the same order");
        assertTrue(ours.series.size() > 12 * 60, "a real fleet was rendered: " + ours.series.size());
    }

    @Test
    void countsAreWrittenAsIntegersAndRatiosInFull() {
        String text = render(SyntheticFleet.of(1, 3, 1), 20);
        assertTrue(text.contains("aks_headroom_snat_outbound_ips{cluster=\"cluster-0000\"} 4\n"), text);
        assertTrue(text.lines().filter(line -> line.startsWith("aks_headroom_node_snat_utilization_ratio{"))
                .allMatch(line -> line.matches(".* (0|0\\.[0-9]+)")), text);
        assertTrue(text.contains("aks_headroom_node_snat_utilization_ratio{cluster=\"cluster-0000\",pool=\"pool1\","
                + "node=\"aks-pool1-00000000-vmss000002\",protocol=\"TCP\"} 0.759765625\n"), text);
    }

    @Test
    void onlyTheIncludedFamiliesAreRendered() {
        Fleet<Void> fleet = SyntheticFleet.of(3, 5, 1);
        StringBuilder out = new StringBuilder();
        new FleetExposition(fleet, 20).writeTo(out, FleetSeries.OUTBOUND_IPS.name()::equals);

        Exposition only = Exposition.parse(out.toString());
        assertEquals(Set.of(FleetSeries.OUTBOUND_IPS.name()),
                Set.copyOf(only.series.stream().map(Exposition.Series::name).toList()));
        assertEquals(3, only.series.size());

        StringBuilder none = new StringBuilder();
        new FleetExposition(fleet, 20).writeTo(none, name -> false);
        assertEquals("", none.toString());
    }

    /** With the lines of every cluster kept from the scrape before: the gone clusters' lines are released too. */
    @Test
    void aForgottenClusterHasNoSeriesAtTheNextScrape() {
        Fleet<Void> fleet = SyntheticFleet.of(0, 0, 1);
        SyntheticFleet.add(fleet, "stays", 0, 10, 1);
        SyntheticFleet.add(fleet, "tombstoned", 1, 10, 1);
        SyntheticFleet.add(fleet, "moved-away", 2, 10, 1);
        UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(false);
        FleetExposition exposition = new FleetExposition(fleet, 20, memory);
        String before = text(exposition);
        for (String cluster : Set.of("stays", "tombstoned", "moved-away")) {
            assertTrue(before.contains("aks_headroom_node_snat_used_ports{cluster=\"" + cluster + "\""), cluster);
            assertTrue(before.contains("aks_headroom_cluster_planned_nodes{cluster=\"" + cluster + "\""), cluster);
        }
        assertEquals(3, exposition.cachedClusters());
        long threeClusters = memory.metric().usedHeapMemory();

        fleet.forget("tombstoned", SyntheticFleet.AT.plusSeconds(120));
        fleet.release(Set.of(2));
        String after = text(exposition);

        assertFalse(after.contains("cluster=\"tombstoned\""), "a tombstone removes every series of the cluster");
        assertFalse(after.contains("cluster=\"moved-away\""), "so does a partition moving to another instance");
        assertTrue(after.contains("aks_headroom_node_snat_used_ports{cluster=\"stays\""));
        assertEquals(1, exposition.cachedClusters());
        assertEquals(exposition.cachedBytes(), memory.metric().usedHeapMemory());
        assertTrue(memory.metric().usedHeapMemory() < threeClusters / 2, "the gone clusters' lines are released");

        fleet.forget("stays", SyntheticFleet.AT.plusSeconds(180));
        assertEquals("", text(exposition));
        assertEquals(0, exposition.cachedClusters());
        assertEquals(0, memory.metric().usedHeapMemory(), "an empty fleet holds no memory");
    }

    static String text(FleetExposition exposition) {
        StringBuilder out = new StringBuilder();
        exposition.writeTo(out, name -> true);
        return out.toString();
    }

    @Test
    void theSeriesCountIsBoundedByTopNodesNotByTheNodeCount() {
        int clusters = 20;
        Map<String, Integer> small = seriesByFamily(SyntheticFleet.of(clusters, 40, 2), 20);
        Map<String, Integer> large = seriesByFamily(SyntheticFleet.of(clusters, 200, 2), 20);

        assertEquals(small, large, "five times the nodes, the same series");
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_UTILIZATION.name()));
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_USED.name()));
        assertEquals(clusters * 20, large.get(FleetSeries.NODE_ALLOCATED.name()));
        assertEquals(clusters * 2, large.get(FleetSeries.POOL_UTILIZATION_P95.name()));
        // Per cluster: 14 cluster figures (manual allocation, so max nodes too), 3 findings (SNAT-7 critical: the
        // busiest node is at 99.9%; SNAT-11 info; SURGE-1 info, the pools leave maxSurge out), 5 subnet figures, 10
        // per pool (the autoscaler ceiling among them) x 2 pools, 3 x 20 busiest backends.
        assertEquals(clusters * (14 + 3 + 5 + 10 * 2 + 3 * 20), total(large), large.toString());
    }

    @Test
    void fewerBackendsThanTopNodesAreAllExported() {
        Map<String, Integer> counts = seriesByFamily(SyntheticFleet.of(3, 7, 1), 20);
        assertEquals(3 * 7, counts.get(FleetSeries.NODE_UTILIZATION.name()));
    }

    /**
     * Buffers from pooled memory are not collected: every one is handed over, kept by the cache (one per cluster), or
     * released when rendering fails.
     */
    @Test
    void everyBufferIsHandedOverKeptOrReleased() {
        List<ByteBuf> made = new ArrayList<>();
        ByteBufAllocator tracking = new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buffer = Unpooled.buffer(initialCapacity, maxCapacity);
                made.add(buffer);
                return buffer;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                return newHeapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        Fleet<Void> fleet = SyntheticFleet.of(3, 5, 1);
        handsOverOrReleases(FleetExposition.uncached(fleet, 20, tracking), made, 0);
        made.clear();
        handsOverOrReleases(new FleetExposition(fleet, 20, tracking), made, 3);
    }

    private static void handsOverOrReleases(FleetExposition exposition, List<ByteBuf> made, int kept) {
        List<ByteBuf> handed = new ArrayList<>();
        exposition.writeTo(name -> true, handed::add);
        assertTrue(handed.size() > 10, "families handed over: " + handed.size());
        handed.forEach(ByteBuf::release);
        assertEquals(kept, made.stream().filter(buffer -> buffer.refCnt() > 0).count(),
                "once the families handed over are released, each cluster's lines alone are kept");

        made.clear();
        RuntimeException closed = new IllegalStateException("connection closed");
        int[] accepted = {0};
        assertThrows(IllegalStateException.class, () -> exposition.writeTo(name -> true, buffer -> {
            if (++accepted[0] == 3) {
                throw closed;
            }
            buffer.release();
        }));
        // The one whose hand-over failed belongs to the consumer (it was handed over); every other is released.
        assertEquals(1, made.stream().filter(buffer -> buffer.refCnt() > 0).count());
        made.stream().filter(buffer -> buffer.refCnt() > 0).forEach(ByteBuf::release);
        exposition.close();
    }

    @Test
    void aNegativeTopIsRefusedAtStartup() {
        Fleet<Void> fleet = SyntheticFleet.of(0, 0, 1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new FleetExposition(fleet, -1));
        assertTrue(refused.getMessage().contains("aks-headroom.metrics.top-nodes"), refused.getMessage());
    }
}
