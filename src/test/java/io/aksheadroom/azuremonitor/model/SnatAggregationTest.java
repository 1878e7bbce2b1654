package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.monitor.SnatSample;

import static io.aksheadroom.azuremonitor.model.MetricSeriesBuilder.failed;
import static io.aksheadroom.azuremonitor.model.MetricSeriesBuilder.ports;
import static io.aksheadroom.azuremonitor.model.MetricSeriesBuilder.series;
import static io.aksheadroom.azuremonitor.model.SnatAggregation.ALLOCATED;
import static io.aksheadroom.azuremonitor.model.SnatAggregation.USED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aksheadroom.azuremonitor.model.SnatAggregation.Skipped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SNAT-7 as a table: Azure Monitor series in, one line per sample out ({@code minute ip protocol alloc/used f=}). */
class SnatAggregationTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    /** Minutes 10:00 and 10:01 are complete; 10:02 is not yet. */
    private static final MinuteWindow WINDOW = new MinuteWindow(T0, T0.plusSeconds(120));
    private static final String A = "10.240.0.4";
    private static final String B = "10.240.0.5";
    private static final String F1 = "20.1.1.1";
    private static final String F2 = "20.1.1.2";

    static Stream<Arguments> cases() {
        return Stream.of(
                row("one backend, one frontend, TCP", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 700.0).build()), List.of(),
                        List.of("0 10.240.0.4 TCP 1024/700 f=0"), Map.of()),
                row("summed over frontend IPs: one frontend may carry all the use", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(ALLOCATED, A, F2, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F2, "TCP").at(T0, 12.0).build()), List.of(),
                        List.of("0 10.240.0.4 TCP 2048/1036 f=0"), Map.of()),
                row("TCP and UDP stay apart; failures ride on TCP only", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 10.0).build(),
                        ports(ALLOCATED, A, F1, "UDP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "UDP").at(T0, 1000.0).build()), List.of(failed(A).at(T0, 7.0).build()),
                        List.of("0 10.240.0.4 TCP 1024/10 f=7", "0 10.240.0.4 UDP 1024/1000 f=null"), Map.of()),
                row("a UDP-only backend carries its own failures", List.of(
                        ports(ALLOCATED, A, F1, "UDP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "UDP").at(T0, 1000.0).build()), List.of(failed(A).at(T0, 2.0).build()),
                        List.of("0 10.240.0.4 UDP 1024/1000 f=2"), Map.of()),
                row("failures unknown (query failed) stay null, not 0", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 1.0).build()), null,
                        List.of("0 10.240.0.4 TCP 1024/1 f=null"), Map.of()),
                row("failures summed over frontends, per minute", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 64.0).at(T1, 64.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 64.0).at(T1, 60.0).build()), List.of(
                        failed(A).dim(SnatAggregation.FRONTEND, F1).at(T0, 3.0).at(T1, null).build(),
                        failed(A).dim(SnatAggregation.FRONTEND, F2).at(T0, 4.0).build()),
                        List.of("0 10.240.0.4 TCP 64/64 f=7", "1 10.240.0.4 TCP 64/60 f=0"), Map.of()),
                row("awaiting removal is left out", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, 5.0).build(),
                        ports(ALLOCATED, A, F2, "TCP").dim("IsAwaitingRemoval", "True").at(T0, 1024.0).build(),
                        ports(USED, A, F2, "TCP").dim("IsAwaitingRemoval", "True").at(T0, 900.0).build()), List.of(),
                        List.of("0 10.240.0.4 TCP 1024/5 f=0"), Map.of(Skipped.AWAITING_REMOVAL, 2)),
                row("Azure's lower-cased dimension names are read too", List.of(
                        series(ALLOCATED).dim("backendipaddress", B).dim("protocoltype", "Tcp")
                                .dim("isawaitingremoval", "false").at(T0, 512.0).build(),
                        series(USED).dim("backendipaddress", B).dim("protocoltype", "tcp").at(T0, 256.0).build()),
                        List.of(), List.of("0 10.240.0.5 TCP 512/256 f=0"), Map.of()),
                row("null points (no data) and minutes outside the window are no samples", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, null).at(T0.plusSeconds(120), 1024.0)
                                .at(T0.minusSeconds(60), 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, null).at(T0.plusSeconds(120), 3.0)
                                .at(T0.minusSeconds(60), 3.0).build()), List.of(), List.of(), Map.of()),
                row("allocated without used is an incomplete minute, not used = 0", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1024.0).at(T1, 1024.0).build(),
                        ports(USED, A, F1, "TCP").at(T0, null).at(T1, 2.0).build()), List.of(),
                        List.of("1 10.240.0.4 TCP 1024/2 f=0"), Map.of(Skipped.INCOMPLETE_MINUTE, 1)),
                row("missing backend or protocol dimension: not attributable, not guessed", List.of(
                        series(ALLOCATED).dim(SnatAggregation.PROTOCOL, "TCP").at(T0, 1024.0).build(),
                        series(USED).dim(SnatAggregation.BACKEND, A).at(T0, 3.0).build(),
                        series(USED).dim(SnatAggregation.BACKEND, A).dim(SnatAggregation.PROTOCOL, "ICMP")
                                .at(T0, 3.0).build()), List.of(failed("").at(T0, 1.0).build()), List.of(),
                        Map.of(Skipped.NO_BACKEND, 2, Skipped.NO_PROTOCOL, 2)),
                row("IPv6 backends (dual-stack) are refused by the IPv4 sample record", List.of(
                        ports(ALLOCATED, "fd00::4", F1, "TCP").at(T0, 1024.0).build(),
                        ports(USED, "fd00::4", F1, "TCP").at(T0, 3.0).build()), List.of(), List.of(),
                        Map.of(Skipped.INVALID, 1)),
                row("failures of a backend with no port figures are counted, not dropped silently", List.of(),
                        List.of(failed(A).at(T0, 9.0).at(T1, 0.0).build()), List.of(),
                        Map.of(Skipped.FAILURES_WITHOUT_PORTS, 1)),
                row("averages are rounded to whole ports", List.of(
                        ports(ALLOCATED, A, F1, "TCP").at(T0, 1023.6).build(),
                        ports(USED, A, F1, "TCP").at(T0, 1.4).build(),
                        ports(USED, A, F2, "TCP").at(T0, 0.2).build()), List.of(),
                        List.of("0 10.240.0.4 TCP 1024/2 f=0"), Map.of()),
                row("other metrics in the answer are ignored", List.of(
                        series("ByteCount").dim(SnatAggregation.BACKEND, A).at(T0, 1.0).build()), List.of(),
                        List.of(), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aggregates(String name, List<MetricSeries> ports, List<MetricSeries> failures, List<String> expected,
            Map<Skipped, Integer> skipped) {
        SnatAggregation.Result result = SnatAggregation.aggregate("c1", ports, failures, WINDOW);

        assertEquals(expected, result.samples().stream().map(SnatAggregationTest::line).toList());
        assertEquals(skipped, result.skipped());
        result.samples().forEach(s -> assertEquals("c1", s.clusterId()));
    }

    private static Arguments row(String name, List<MetricSeries> ports, List<MetricSeries> failures,
            List<String> expected, Map<Skipped, Integer> skipped) {
        return Arguments.of(name, ports, failures, expected, skipped);
    }

    private static String line(SnatSample s) {
        long minute = (s.at().getEpochSecond() - T0.getEpochSecond()) / 60;
        return minute + " " + s.backendIp() + " " + s.protocol() + " " + s.allocatedSnatPorts() + "/"
                + s.usedSnatPorts() + " f=" + s.failedConnections();
    }
}
