package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast path for canonical UTC instants reads what Instant.parse reads, and nothing Instant.parse would refuse. */
class InstantFieldProperties {

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(YEAR_0, YEAR_10000 - 1);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999)
                .map(ms -> ms * 1_000_000), Arbitraries.integers().between(0, 999_999_999));
        return seconds.flatMap(s -> nanos.map(n -> Instant.ofEpochSecond(s, n)));
    }

    @Property(tries = 3000)
    void readsWhatInstantToStringWrites(@ForAll("instants") Instant instant) {
        assertEquals(instant, Fields.canonicalUtc(instant.toString()));
    }

    /** One character of a valid instant replaced: the fast path gives Instant.parse's value, or leaves it to it. */
    @Property(tries = 3000)
    void neverAcceptsWhatInstantParseRefusesNorReadsItDifferently(@ForAll("instants") Instant instant,
            @ForAll("positions") int position, @ForAll("characters") char replacement) {
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
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 40);
    }

    @Provide
    Arbitrary<Character> characters() {
        return Arbitraries.of('0', '1', '2', '3', '5', '6', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x');
    }

    @Example
    void leavesTheUnusualFormsToInstantParse() {
        for (String text : new String[] {"2026-11-26T08:00:00+01:00", "2026-11-26t08:00:00z", "2026-11-26T23:59:60Z",
                "+12026-11-26T08:00:00Z", "2026-02-30T08:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T08:00:00.Z",
                "2026-11-26T08:00:00.1234567890Z", "2026-11-26T08:00Z"}) {
            assertNull(Fields.canonicalUtc(text), text);
        }
        assertEquals(Instant.parse("2028-02-29T23:59:59.5Z"), Fields.canonicalUtc("2028-02-29T23:59:59.5Z"));
    }
}
