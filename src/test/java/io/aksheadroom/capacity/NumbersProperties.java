package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.support.Generators;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The hand-written grouping prints what the JDK's formatter prints. */
class NumbersProperties {

    @Test
    void groupsLikeTheFormatter() {
        qt().withExamples(2000).forAll(Generators.longsOfEveryLength())
                .checkAssert(value -> assertEquals(String.format(Locale.ROOT, "%,d", value), Numbers.grouped(value)));
    }

    @Test
    void groupsAtEveryLengthAndAtTheEdges() {
        for (long value : new long[] {0, 7, -7, 999, 1000, -1000, 12_345, 123_456, -123_456, 1_234_567,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", value), Numbers.grouped(value), "for " + value);
        }
    }
}
