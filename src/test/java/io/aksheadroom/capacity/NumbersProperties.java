package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The hand-written grouping prints what the JDK's formatter prints. */
class NumbersProperties {

    @Property(tries = 2000)
    void groupsLikeTheFormatter(@ForAll long value) {
        assertEquals(String.format(Locale.ROOT, "%,d", value), Numbers.grouped(value));
    }

    @Example
    void groupsAtEveryLengthAndAtTheEdges() {
        for (long value : new long[] {0, 7, -7, 999, 1000, -1000, 12_345, 123_456, -123_456, 1_234_567,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", value), Numbers.grouped(value), "for " + value);
        }
    }
}
