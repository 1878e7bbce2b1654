package io.aksheadroom.json;

import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.longs;
import static io.aksheadroom.support.Generators.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The fast path for canonical UTC instants reads what Instant.parse reads, and nothing Instant.parse would refuse. */
class InstantFieldProperties {

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    /** Seconds where a calendar turns: a leap day, a year's last second, the epoch. */
    private static final long[] TURNS = {Instant.parse("2028-02-29T00:00:00Z").getEpochSecond(),
        Instant.parse("2026-12-31T23:59:59Z").getEpochSecond(), Instant.parse("1999-12-31T23:59:59Z").getEpochSecond(),
        Instant.parse("2000-02-29T23:59:59Z").getEpochSecond()};

    /** Instants of the years 0 to 9999, in whole seconds and in milli-, micro- and nanoseconds (each prints apart). */
    private static Gen<Instant> instants() {
        Gen<Long> seconds = longs(YEAR_0, YEAR_10000 - 1, TURNS);
        Gen<Integer> nanos = Generate.oneOf(Generate.constant(0), ints(0, 999).map(ms -> ms * 1_000_000),
                ints(0, 999_999).map(us -> us * 1_000), ints(0, 999_999_999, 1, 1_000, 1_000_000, 100_000_000));
        return seconds.zip(nanos, Instant::ofEpochSecond);
    }

    @Test
    void readsWhatInstantToStringWrites() {
        qt().withExamples(3000).forAll(instants())
                .checkAssert(instant -> assertEquals(instant, Fields.canonicalUtc(instant.toString())));
    }

    /** One character of a valid instant replaced: the fast path gives Instant.parse's value, or leaves it to it. */
    @Test
    void neverAcceptsWhatInstantParseRefusesNorReadsItDifferently() {
        qt().withExamples(3000).forAll(instants(), ints(0, 40),
                of('0', '1', '2', '3', '5', '6', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x'))
                .checkAssert((instant, position, replacement) -> {
                    String text = instant.toString();
                    String mutated = text.substring(0, position % text.length()) + replacement
                            + text.substring(position % text.length() + 1);
                    Instant fast = Fields.canonicalUtc(mutated);
                    Instant slow;
                    try {
                        slow = Instant.parse(mutated);
                    } catch (DateTimeParseException e) {
                        assertNull(fast, mutated + " is refused by Instant.parse");
                        return;
                    }
                    if (fast != null) {
                        assertEquals(slow, fast, mutated);
                    }
                });
    }

    @Test
    void leavesTheUnusualFormsToInstantParse() {
        for (String text : new String[] {"2026-11-26T08:00:00+01:00", "2026-11-26t08:00:00z", "2026-11-26T23:59:60Z",
                "+12026-11-26T08:00:00Z", "2026-02-30T08:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T08:00:00.Z",
                "2026-11-26T08:00:00.1234567890Z", "2026-11-26T08:00Z"}) {
            assertNull(Fields.canonicalUtc(text), text);
        }
        assertEquals(Instant.parse("2028-02-29T23:59:59.5Z"), Fields.canonicalUtc("2028-02-29T23:59:59.5Z"));
    }
}
