package io.aksheadroom.domain;

import java.util.Locale;

/** Formatting for messages people read: thousands separated, as Azure's documents print them. */
final class Numbers {

    private Numbers() {
    }

    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
