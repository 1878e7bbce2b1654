package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.Generators;

import static io.aksheadroom.azuremonitor.model.SnatAggregation.ALLOCATED;
import static io.aksheadroom.azuremonitor.model.SnatAggregation.USED;
import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** SNAT-7 restated independently over random answers, and the one-publication-per-minute promise. */
class SnatAggregationProperties {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final MinuteWindow WINDOW = new MinuteWindow(T0, T0.plusSeconds(180));

    /** One random series: which backend, frontend, protocol, awaiting removal, metric; a value per minute. */
    record Cell(int backend, int frontend, String protocol, boolean awaitingRemoval, boolean allocated,
            List<Integer> values) {

        MetricSeries series() {
            MetricSeriesBuilder b = MetricSeriesBuilder.ports(allocated ? ALLOCATED : USED, ip(backend),
                    "20.0.0." + frontend, protocol).dim(SnatAggregation.AWAITING_REMOVAL, String.valueOf(awaitingRemoval));
            for (int minute = 0; minute < values.size(); minute++) {
                b.at(T0.plusSeconds(60L * minute), values.get(minute) < 0 ? null : (double) values.get(minute));
            }
            return b.build();
        }
    }

    /** Up to 24 series over 4 backends and 3 frontends; a value of -1 stands for a minute without a value. */
    private static Gen<List<Cell>> answers() {
        Gen<Integer> backends = ints(1, 4);
        Gen<Integer> frontends = ints(1, 3);
        Gen<String> protocols = of("TCP", "UDP");
        Gen<Boolean> awaitingRemoval = of(true, false, false);
        Gen<Boolean> allocated = Generate.booleans();
        Gen<List<Integer>> values = Generators.listsOf(ints(-1, 4000), 3, 3);
        Gen<Cell> cell = in -> new Cell(backends.generate(in), frontends.generate(in), protocols.generate(in),
                awaitingRemoval.generate(in), allocated.generate(in), values.generate(in));
        return Generators.listsOf(cell, 0, 24);
    }

    @Test
    void eachSampleIsItsOwnProtocolsSumOverFrontends() {
        qt().withExamples(500).forAll(answers()).checkAssert(SnatAggregationProperties::eachSampleIsASum);
    }

    private static void eachSampleIsASum(List<Cell> cells) {
        List<MetricSeries> series = cells.stream().map(Cell::series).toList();
        SnatAggregation.Result result = SnatAggregation.aggregate("c", series, List.of(), WINDOW);

        for (SnatSample sample : result.samples()) {
            int minute = (int) ((sample.at().getEpochSecond() - T0.getEpochSecond()) / 60);
            assertEquals(expected(cells, sample, minute, true), sample.allocatedSnatPorts(), sample.toString());
            assertEquals(expected(cells, sample, minute, false), sample.usedSnatPorts(), sample.toString());
        }
        // Every backend/protocol/minute that has both figures outside removal becomes exactly one sample.
        Set<String> keys = new HashSet<>();
        result.samples().forEach(s -> assertTrue(keys.add(s.backendIp() + s.protocol() + s.at()), "duplicate " + s));
    }

    @Test
    void howUseIsSpreadOverFrontendsDoesNotChangeTheSample() {
        qt().withExamples(300).forAll(answers()).checkAssert(cells -> {
            // Moving every series onto frontend 1 (same values) must give the same per-backend figures.
            List<MetricSeries> spread = cells.stream().map(Cell::series).toList();
            List<MetricSeries> oneFrontend = cells.stream()
                    .map(c -> new Cell(c.backend(), 1, c.protocol(), c.awaitingRemoval(), c.allocated(), c.values()))
                    .map(Cell::series).toList();

            assertEquals(SnatAggregation.aggregate("c", spread, List.of(), WINDOW).samples(),
                    SnatAggregation.aggregate("c", oneFrontend, List.of(), WINDOW).samples());
        });
    }

    @Test
    void overlappingPollsPublishEveryMinuteOnce() {
        qt().withExamples(300).forAll(Generators.listsOf(ints(0, 9), 1, 12), ints(1, 6))
                .checkAssert(SnatAggregationProperties::everyMinuteOnce);
    }

    /** A backend reports every minute; polls come at arbitrary (even repeated or backwards) times. */
    private static void everyMinuteOnce(List<Integer> pollMinutes, int lookback) {
        MinuteWatermarks<String> marks = new MinuteWatermarks<>();
        Map<Instant, Integer> published = new HashMap<>();
        List<Instant> newest = new ArrayList<>();
        for (int pollAt : pollMinutes) {
            MinuteWindow window = MinuteWindow.endingAt(T0.plusSeconds(60L * (pollAt + 1)).plusSeconds(30),
                    java.time.Duration.ofMinutes(0), java.time.Duration.ofMinutes(lookback));
            for (Instant at = window.from(); window.contains(at); at = at.plusSeconds(60)) {
                if (marks.isNew("c/10.0.0.1/TCP", at)) {
                    published.merge(at, 1, Integer::sum);
                    marks.advance("c/10.0.0.1/TCP", at);
                    newest.add(at);
                }
            }
        }
        published.forEach((at, times) -> assertEquals(1, times, "minute " + at));
        for (int i = 1; i < newest.size(); i++) {
            assertTrue(newest.get(i).isAfter(newest.get(i - 1)), "published in event-time order");
        }
    }

    private static long expected(List<Cell> cells, SnatSample sample, int minute, boolean allocated) {
        double sum = 0;
        for (Cell c : cells) {
            if (c.allocated() == allocated && !c.awaitingRemoval() && ip(c.backend()).equals(sample.backendIp())
                    && c.protocol().equals(sample.protocol().name()) && c.values().get(minute) >= 0) {
                sum += c.values().get(minute);
            }
        }
        return Math.round(sum);
    }

    private static String ip(int backend) {
        return "10.240.0." + backend;
    }
}
