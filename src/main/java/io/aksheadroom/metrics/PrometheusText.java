package io.aksheadroom.metrics;

import java.util.List;

/**
 * Prometheus' text exposition format 0.0.4, written straight into a {@link StringBuilder}. The Prometheus client's
 * own writer goes through a {@code StringWriter} (a lock per write, some twenty writes per series) and formats every
 * value as a double; for the fleet's 100,000 series that was most of a scrape's time.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    /** {@code # HELP} and {@code # TYPE} lines of a gauge family. */
    static void gaugeHeader(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append("\n# TYPE ").append(name).append(" gauge\n");
    }

    /** One series line: {@code name{label="value",...} value}. */
    static void sample(StringBuilder out, String name, List<String> labelNames, List<String> labelValues,
            double value) {
        out.append(name);
        if (!labelNames.isEmpty()) {
            out.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labelNames.get(i)).append("=\"");
                labelValue(out, labelValues.get(i));
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
        value(out, value);
        out.append('\n');
    }

    static void labelValue(StringBuilder out, String value) {
        if (!needsEscape(value)) {
            // Nearly always: one array copy instead of a bounds and capacity check per character.
            out.append(value);
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * Most fleet figures are counts: written as integers ({@code 1024}, not {@code 1024.0}), which Prometheus reads
     * as the same float and which is faster to format and shorter to send. Others in Java's shortest round-trip
     * form, which Go's {@code ParseFloat} reads back exactly; the specials in Prometheus' spelling.
     */
    static void value(StringBuilder out, double value) {
        if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15 && !isNegativeZero(value)) {
            out.append((long) value);
        } else {
            out.append(value);
        }
    }

    private static boolean isNegativeZero(double value) {
        return value == 0 && Double.doubleToRawLongBits(value) != 0;
    }
}
