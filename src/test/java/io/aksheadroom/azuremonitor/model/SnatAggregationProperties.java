package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.monitor.SnatSample;

import static io.aksheadroom.azuremonitor.model.SnatAggregation.ALLOCATED;
import static io.aksheadroom.azuremonitor.model.SnatAggregation.USED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

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

    @Provide
    Arbitrary<List<Cell>> answers() {
        Arbitrary<Cell> cell = Combinators.combine(Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 3), Arbitraries.of("TCP", "UDP"), Arbitraries.of(true, false, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(-1, 4000).list().ofSize(3))
                .as(Cell::new);
        return cell.list().ofMaxSize(24);
    }

    @Property(tries = 500)
    void eachSampleIsItsOwnProtocolsSumOverFrontends(@ForAll("answers") List<Cell> cells) {
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

    @Property(tries = 300)
    void howUseIsSpreadOverFrontendsDoesNotChangeTheSample(@ForAll("answers") List<Cell> cells) {
        // Moving every series onto frontend 1 (same values) must give the same per-backend figures.
        List<MetricSeries> spread = cells.stream().map(Cell::series).toList();
        List<MetricSeries> oneFrontend = cells.stream()
                .map(c -> new Cell(c.backend(), 1, c.protocol(), c.awaitingRemoval(), c.allocated(), c.values()))
                .map(Cell::series).toList();

        assertEquals(SnatAggregation.aggregate("c", spread, List.of(), WINDOW).samples(),
                SnatAggregation.aggregate("c", oneFrontend, List.of(), WINDOW).samples());
    }

    @Property(tries = 300)
    void overlappingPollsPublishEveryMinuteOnce(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 9) Integer> pollMinutes,
            @ForAll @IntRange(min = 1, max = 6) int lookback) {
        // A backend reports every minute; polls come at arbitrary (even repeated or backwards) times.
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
