package io.aksheadroom.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader of Prometheus text exposition (0.0.4) for tests: series with their labels unescaped and their values as
 * doubles, and the HELP/TYPE lines. Strict where a writer can go wrong (escapes, quotes, a family declared twice,
 * a series under another family's TYPE line); it accepts the trailing comma the Prometheus Java client writes after
 * the last label.
 */
public final class Exposition {

    /** One series: family name, labels in their order, value. */
    public record Series(String name, Map<String, String> labels, double value) {
        /** {@code name{a="x",b="y"}} with raw (unescaped) values: a key for comparing two expositions. */
        public String key() {
            StringBuilder key = new StringBuilder(name).append('{');
            labels.forEach((label, value) -> key.append(label).append('=').append(value).append('\u0000'));
            return key.append('}').toString();
        }
    }

    public final List<Series> series = new ArrayList<>();
    /** {@code # HELP} and {@code # TYPE} lines, in order. */
    public final List<String> comments = new ArrayList<>();

    public static Exposition parse(String text) {
        Exposition exposition = new Exposition();
        Set<String> declared = new HashSet<>();
        String family = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                exposition.comments.add(line);
                if (line.startsWith("# TYPE ")) {
                    family = line.split(" ")[2];
                    if (!declared.add(family)) {
                        throw new IllegalArgumentException("the lines of " + family + " are not one group: " + line);
                    }
                }
                continue;
            }
            Series series = series(line);
            if (family != null && !series.name().startsWith(family)) {
                throw new IllegalArgumentException("a series of " + series.name() + " under # TYPE " + family);
            }
            exposition.series.add(series);
        }
        return exposition;
    }

    /** Series by {@link Series#key()}; a key seen twice is an error. */
    public Map<String, Double> byKey() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Series one : series) {
            if (values.put(one.key(), one.value()) != null) {
                throw new IllegalArgumentException("duplicate series " + one.key());
            }
        }
        return values;
    }

    private static Series series(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int at;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            at = brace + 1;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf("=\"", at);
                String label = line.substring(at, equals);
                StringBuilder value = new StringBuilder();
                int i = equals + 2;
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(switch (next) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + next + " in " + line);
                        });
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        } else {
            name = line.substring(0, space);
            at = space;
        }
        if (line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value: " + line);
        }
        return new Series(name, labels, value(line.substring(at + 1)));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
