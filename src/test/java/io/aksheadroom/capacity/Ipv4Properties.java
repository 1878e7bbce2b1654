package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.Callable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** The one-pass read of dotted quads accepts and refuses what the split-based reference does, with its messages. */
class Ipv4Properties {

    private static String outcome(Callable<Long> parse) {
        try {
            return "address " + parse.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void assertSameAsReference(String text) {
        String fast = outcome(() -> Ipv4.parse(text));
        assertEquals(outcome(() -> Ipv4.parseBySplitting(text)), fast, text);
        Statistics.label("accepted").collect(fast.startsWith("address"));
    }

    @Example
    void edgeCases() {
        for (String text : new String[] {null, "", ".", "...", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3",
            "1.2.3.4.", ".1.2.3.4", "1..3.4", "01.2.3.4", "1.2.3.04", "1.2.3.00", "1.2.3.1000", "1.2.3.999", "1.2.3.-4",
            "1.2.3.4 ", "1.2.3.４", "10.240.0.4", "a.b.c.d", "1.2.3.4.5"}) {
            assertSameAsReference(text);
        }
        assertEquals(0x0AF00004L, Ipv4.parse("10.240.0.4"));
        assertEquals(0xFFFFFFFFL, Ipv4.parse("255.255.255.255"));
    }

    @Property(tries = 5000)
    void readsAsTheReferenceDoes(@ForAll("texts") String text) {
        assertSameAsReference(text);
        Statistics.label("accepted").coverage(checker -> {
            checker.check(true).percentage(share -> share > 10);
            checker.check(false).percentage(share -> share > 10);
        });
    }

    /** Octets near every boundary, joined by dots, sometimes with one character changed. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> octet = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(0, 300).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("", "00", "01", "007", "1000", "-1", "+1", "x", " 1")));
        Arbitrary<Integer> count = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(4)),
                Tuple.of(1, Arbitraries.integers().between(1, 6)));
        Arbitrary<String> quad = count.flatMap(n -> octet.list().ofSize(n)).map(parts -> String.join(".", parts));
        return Combinators.combine(quad, Arbitraries.integers().between(0, 20),
                Arbitraries.of('.', '0', '9', 'a', ' ', '-'), Arbitraries.of(0, 0, 1, 2))
                .as((text, at, c, how) -> {
                    int i = Math.min(at, text.length());
                    return switch (how) {
                        case 0 -> text;
                        case 1 -> text.substring(0, i) + c + text.substring(i);
                        default -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
                    };
                });
    }
}
