package io.aksheadroom.capacity;

/** Formatting for messages people read: thousands separated, as Azure's documents print them. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * {@code String.format(Locale.ROOT, "%,d", value)}, by hand: alert summaries are built on the pipeline's per-record
     * path, where the formatter's parsing of its pattern costs more than the grouping itself.
     */
    public static String grouped(long value) {
        String digits = Long.toString(value);
        int sign = value < 0 ? 1 : 0;
        int length = digits.length() - sign;
        if (length <= 3) {
            return digits;
        }
        StringBuilder out = new StringBuilder(digits.length() + (length - 1) / 3);
        int first = sign + (length % 3 == 0 ? 3 : length % 3);
        out.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            out.append(',').append(digits, i, i + 3);
        }
        return out.toString();
    }
}
