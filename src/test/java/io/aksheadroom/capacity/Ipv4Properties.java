package io.aksheadroom.capacity;

import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.of;
import static io.aksheadroom.support.Generators.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The one-pass read of dotted quads accepts and refuses what the split-based reference does, with its messages. */
class Ipv4Properties {

    private static String outcome(Callable<Long> parse) {
        try {
            return "address " + parse.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** Returns whether the text was accepted. */
    private static boolean assertSameAsReference(String text) {
        String fast = outcome(() -> Ipv4.parse(text));
        assertEquals(outcome(() -> Ipv4.parseBySplitting(text)), fast, text);
        return fast.startsWith("address");
    }

    @Test
    void edgeCases() {
        for (String text : new String[] {null, "", ".", "...", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3",
            "1.2.3.4.", ".1.2.3.4", "1..3.4", "01.2.3.4", "1.2.3.04", "1.2.3.00", "1.2.3.1000", "1.2.3.999", "1.2.3.-4",
            "1.2.3.4 ", "1.2.3.４", "10.240.0.4", "a.b.c.d", "1.2.3.4.5"}) {
            assertSameAsReference(text);
        }
        assertEquals(0x0AF00004L, Ipv4.parse("10.240.0.4"));
        assertEquals(0xFFFFFFFFL, Ipv4.parse("255.255.255.255"));
    }

    @Test
    void readsAsTheReferenceDoes() {
        // Both answers must be compared often, or the generator has drifted to one side and proves half as much.
        Coverage accepted = Coverage.ofOneRun();
        qt().withFixedSeed(accepted.seed()).withExamples(5000).forAll(texts().describedAs(Generators::quoted))
                .checkAssert(text -> accepted.count(assertSameAsReference(text)));
        accepted.assertShareAbove(true, 10).assertShareAbove(false, 10);
    }

    /** Octets near every boundary, joined by dots, sometimes with one character changed. */
    private static Gen<String> texts() {
        Gen<String> octet = weighted(30, ints(0, 300, 9, 10, 99, 100, 255).map(n -> String.valueOf(n)),
                1, of("", "00", "01", "007", "1000", "-1", "+1", "x", " 1"));
        Gen<Integer> count = weighted(8, Generate.constant(4), 1, ints(1, 6));
        Gen<String> quad = Generators.listsOf(octet, count).map(parts -> String.join(".", parts));
        return quad.zip(ints(0, 20), of('.', '0', '9', 'a', ' ', '-'), of(0, 0, 1, 2), (text, at, c, how) -> {
            int i = Math.min(at, text.length());
            return switch (how) {
                case 0 -> text;
                case 1 -> text.substring(0, i) + c + text.substring(i);
                default -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
            };
        });
    }
}
