package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.monitor.NatGatewaySample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which calls a poll makes, over which minutes: batching, {@code top}, resource ids and the window. */
class MetricsPlanningTest {

    private static String lb(String sub, int i) {
        return "/subscriptions/" + sub + "/resourceGroups/MC_rg" + i + "/providers/Microsoft.Network/loadBalancers/kubernetes";
    }

    private static MetricsTarget target(String cluster, String id, String region) {
        return new MetricsTarget(cluster, AzureResourceId.parse(id), region, 300, 1);
    }

    @Test
    void sixtyResourcesOfOneSubscriptionAndRegionAreTwoCalls() {
        List<MetricsTarget> targets = IntStream.range(0, 60).mapToObj(i -> target("c" + i, lb("s1", i), "westeurope"))
                .toList();

        List<MetricsBatch> batches = MetricsBatch.plan(targets, MetricsBatch.MAX_RESOURCES);

        assertEquals(List.of(50, 10), batches.stream().map(b -> b.targets().size()).toList());
        assertEquals(List.of("s1/westeurope/Microsoft.Network/loadBalancers#1",
                "s1/westeurope/Microsoft.Network/loadBalancers#2"), batches.stream().map(MetricsBatch::name).toList());
        assertEquals(60, batches.stream().flatMap(b -> b.resourceIds().stream()).distinct().count());
    }

    @Test
    void callsNeverMixSubscriptionsRegionsOrKinds() {
        List<MetricsTarget> targets = new ArrayList<>();
        targets.add(target("a", lb("s1", 1), "westeurope"));
        targets.add(target("b", lb("s2", 2), "westeurope"));
        targets.add(target("c", lb("s1", 3), "West Europe"));
        targets.add(target("d", lb("s1", 4), "northeurope"));
        targets.add(target("e", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng",
                "westeurope"));

        List<MetricsBatch> batches = MetricsBatch.plan(targets, 50);

        assertEquals(List.of("s1/northeurope/Microsoft.Network/loadBalancers#1",
                "s1/westeurope/Microsoft.Network/loadBalancers#1", "s1/westeurope/Microsoft.Network/natGateways#1",
                "s2/westeurope/Microsoft.Network/loadBalancers#1"), batches.stream().map(MetricsBatch::name).toList());
        assertEquals(2, batches.get(1).targets().size(), "'West Europe' is westeurope");
    }

    @ParameterizedTest(name = "{0} backends x {1} frontend IPs -> top {2}")
    @CsvSource({"300, 1, 1200", "10, 1, 40", "1000, 2, 8000", "5000, 4, 80000"})
    void topAsksForEverySeriesNotTheDefaultTen(int backends, int frontends, int top) {
        MetricsTarget target = new MetricsTarget("c", AzureResourceId.parse(lb("s1", 1)), "westeurope", backends,
                frontends);
        assertEquals(top, target.seriesTop());
        // One top serves a whole call, so it is the largest any resource needs.
        MetricsTarget small = new MetricsTarget("d", AzureResourceId.parse(lb("s1", 2)), "westeurope", 3, 1);
        assertEquals(top, MetricsBatch.plan(List.of(small, target), 50).get(0).seriesTop());
    }

    @Test
    void resourceIdsAreReadCaseInsensitively() {
        AzureResourceId id = AzureResourceId.parse(
                " /subscriptions/ABC/resourcegroups/MC_x/providers/microsoft.network/LOADBALANCERS/kubernetes ");
        assertEquals(OutboundResourceKind.LOAD_BALANCER, id.kind());
        assertEquals("abc", id.subscription());
        assertEquals(AzureResourceId.key(
                "/subscriptions/abc/resourceGroups/mc_x/providers/Microsoft.Network/loadBalancers/Kubernetes"), id.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "kubernetes", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers",
        "/subscriptions//resourceGroups/rg/providers/Microsoft.Network/loadBalancers/x"})
    void notALoadBalancerOrNatGatewayIsRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> AzureResourceId.parse(id));
    }

    @ParameterizedTest(name = "now {0}, settle {1}, lookback {2} -> [{3}, {4})")
    @CsvSource({"10:07:30, PT3M, PT10M, 09:54, 10:04", "10:07:00, PT3M, PT5M, 09:59, 10:04",
        "10:07:59, PT0S, PT1M, 10:06, 10:07"})
    void theWindowHoldsOnlyMinutesAzureHasHadTimeToComplete(String now, Duration settle, Duration lookback,
            String from, String to) {
        MinuteWindow window = MinuteWindow.endingAt(Instant.parse("2026-11-26T" + now + "Z"), settle, lookback);
        assertEquals(Instant.parse("2026-11-26T" + from + ":00Z"), window.from());
        assertEquals(Instant.parse("2026-11-26T" + to + ":00Z"), window.to());
        assertTrue(window.contains(window.to().minusSeconds(60)));
        assertFalse(window.contains(window.to()), "the minute still being written");
        assertFalse(window.contains(window.from().minusSeconds(60)));
    }

    @Test
    void natGatewayFiguresArePerGatewayAndMinuteSummedOverProtocols() {
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        String ng = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng";
        List<MetricSeries> series = List.of(
                MetricSeriesBuilder.series(NatGatewayAggregation.SNAT_CONNECTIONS).resource(ng)
                        .dim("protocol", "TCP").dim("connectionstate", "Failed").at(t0, 4.0).build(),
                MetricSeriesBuilder.series(NatGatewayAggregation.SNAT_CONNECTIONS).resource(ng)
                        .dim("protocol", "UDP").dim("connectionstate", "Failed").at(t0, 1.0).build(),
                MetricSeriesBuilder.series(NatGatewayAggregation.SNAT_CONNECTIONS).resource(ng)
                        .dim("protocol", "TCP").dim("connectionstate", "Attempted").at(t0, 900.0).build(),
                MetricSeriesBuilder.series(NatGatewayAggregation.TOTAL_CONNECTIONS).resource(ng)
                        .dim("protocol", "TCP").at(t0, 1000.0).at(t0.plusSeconds(60), 990.0).build(),
                MetricSeriesBuilder.series(NatGatewayAggregation.TOTAL_CONNECTIONS).resource(ng)
                        .dim("protocol", "UDP").at(t0, 20.0).build(),
                MetricSeriesBuilder.series(NatGatewayAggregation.PACKET_DROPS).resource(ng).at(t0, 0.0)
                        .at(t0.plusSeconds(60), null).build());

        List<NatGatewaySample> samples = NatGatewayAggregation.aggregate("c1", series,
                new MinuteWindow(t0, t0.plusSeconds(120)));

        assertEquals(List.of(new NatGatewaySample("c1", t0, ng, 5L, 1020L, 0L),
                new NatGatewaySample("c1", t0.plusSeconds(60), ng, null, 990L, null)), samples);
        assertTrue(samples.get(0).failing());
        assertFalse(samples.get(1).failing());
    }
}
