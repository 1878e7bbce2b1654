package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The demand over the look-back window: the busiest minute's peak, and the newest minute's failures. */
class DemandWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Observed DECLARED = new Observed(700, 9L, 20);

    /** One sample: {@code second} seconds into minute {@code minute} of the run. */
    private record Sample(int minute, int second, long used, long failed) {
    }

    private record Case(String name, List<Sample> samples, int peak, long failedNewest) {
    }

    private static Sample at(int minute, long used, long failed) {
        return new Sample(minute, 0, used, failed);
    }

    private static final List<Case> CASES = List.of(
            new Case("one sample", List.of(at(0, 500, 2)), 500, 2),
            new Case("one minute: the peak is the largest use, the failures add up",
                    List.of(at(0, 500, 2), new Sample(0, 30, 300, 3)), 500, 5),
            new Case("failures count in their minute only", List.of(at(0, 500, 2), at(1, 100, 1)), 500, 1),
            new Case("a minute the window's length back has left it", List.of(at(0, 900, 0), at(60, 100, 0)), 100, 0),
            new Case("a minute less is still in it", List.of(at(0, 900, 0), at(59, 100, 0)), 900, 0),
            new Case("a late sample counts in its own minute",
                    List.of(at(10, 100, 0), at(5, 800, 4)), 800, 0),
            new Case("a late sample older than the window is gone at once",
                    List.of(at(70, 100, 0), at(5, 800, 0)), 100, 0),
            new Case("when the peak's minute leaves, the next largest is the peak",
                    List.of(at(0, 900, 0), at(30, 300, 0), at(45, 200, 0), at(61, 100, 0)), 300, 0),
            new Case("a new peak in the newest minute", List.of(at(0, 300, 0), at(1, 200, 0), at(1, 950, 1)), 950, 1));

    @Test
    void peakAndFailuresOverTheWindow() {
        for (Case c : CASES) {
            DemandWindow window = new DemandWindow(Duration.ofHours(1));
            c.samples().forEach(s -> window.record(T0.plusSeconds(s.minute() * 60L + s.second()), s.used(), s.failed()));
            assertEquals(new Observed(c.peak(), c.failedNewest(), null), window.observed(DECLARED, true), c.name());
        }
    }

    /**
     * Seeded sequences of samples, mostly in the newest minute or the next, some late, some older than the window,
     * with few distinct figures so that several minutes share the peak: after every sample the window says what the
     * samples still in it say, each minute being in it while it is less than the window's length behind the newest.
     */
    @Test
    void agreesWithTheSamplesStillInTheWindowAfterEverySample() {
        java.util.Random random = new java.util.Random(17);
        for (int sequence = 0; sequence < 2_000; sequence++) {
            DemandWindow window = new DemandWindow(Duration.ofMinutes(5));
            List<Sample> seen = new java.util.ArrayList<>();
            int newest = 0;
            for (int i = 0, length = 1 + random.nextInt(60); i < length; i++) {
                int step = random.nextInt(10);
                int minute = step < 5 ? newest : step < 8 ? newest + 1 : newest - random.nextInt(8);
                Sample sample = new Sample(minute, random.nextInt(60), 100L * random.nextInt(4), random.nextInt(3));
                window.record(T0.plusSeconds(sample.minute() * 60L + sample.second()), sample.used(),
                        sample.failed());
                seen.add(sample);
                newest = Math.max(newest, minute);
                int last = seen.stream().mapToInt(Sample::minute).max().orElseThrow();
                long peak = seen.stream().filter(s -> s.minute() > last - 5).mapToLong(Sample::used).max().orElse(0);
                long failedNewest = seen.stream().filter(s -> s.minute() == last).mapToLong(Sample::failed).sum();
                assertEquals(new Observed((int) peak, failedNewest, null), window.observed(DECLARED, true),
                        "sequence " + sequence + " after " + seen);
            }
        }
    }

    @Test
    void whatTheProfileDeclaredStandsWhereTheWindowSawNothing() {
        DemandWindow window = new DemandWindow(Duration.ofHours(1));
        assertSame(DECLARED, window.observed(DECLARED, true), "nothing recorded yet: the profile's figures");
        window.record(T0, 0, 4);
        assertEquals(new Observed(700, 4L, null), window.observed(DECLARED, false),
                "failures but no use per node (NAT gateway minutes): the declared demand stays");
        assertEquals(new Observed(null, 4L, null), window.observed(Observed.NOTHING, false));
    }
}
