package io.aksheadroom.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators the property tests share, on QuickTheories' {@link Gen}. Every draw comes from the randomness source
 * QuickTheories hands in, so a run is replayed by its seed and a counterexample shrinks without code of our own.
 *
 * <p>Ranges draw their edges often: QuickTheories draws uniformly and tries only the all-lowest and all-highest
 * example on its own, while off-by-one faults live at the ends of a range, at 0 and at a domain's own boundaries
 * (the 1,000-node end of the SNAT table, the /32 of a CIDR, a power of ten in a grouped number).
 */
public final class Generators {

    /** Percent of draws that take an edge instead of a uniform value. */
    public static final int EDGE_PERCENT = 15;

    private Generators() {
    }

    @SafeVarargs
    public static <T> Gen<T> of(T... values) {
        return Generate.pick(List.of(values));
    }

    public static <T> Gen<T> of(List<T> values) {
        return Generate.pick(List.copyOf(values));
    }

    /** A value of {@code first} or {@code second}, chosen in the proportion of their weights. */
    public static <T> Gen<T> weighted(int firstWeight, Gen<T> first, int secondWeight, Gen<T> second) {
        return Generate.frequency(Pair.of(firstWeight, first), Pair.of(secondWeight, second));
    }

    /** {@code gen}'s value, or null {@code percentNull} times in a hundred. */
    public static <T> Gen<T> orNull(Gen<T> gen, int percentNull) {
        return gen.mix(Generate.constant((T) null), percentNull);
    }

    /** An int in [min, max]; {@link #EDGE_PERCENT} draws in 100 are an edge of the range or of a boundary. */
    public static Gen<Integer> ints(int min, int max, int... boundaries) {
        List<Integer> edges = edges(min, max, Arrays.stream(boundaries).asLongStream().toArray()).stream()
                .map(Long::intValue).toList();
        return Generate.range(min, max).mix(Generate.pick(edges), EDGE_PERCENT);
    }

    /** A long in [min, max]; {@link #EDGE_PERCENT} draws in 100 are an edge of the range or of a boundary. */
    public static Gen<Long> longs(long min, long max, long... boundaries) {
        return Generate.longRange(min, max).mix(Generate.pick(edges(min, max, boundaries)), EDGE_PERCENT);
    }

    /**
     * The edges of [min, max]: both ends and their inner neighbours, 0, 1 and -1, and each boundary with its two
     * neighbours, as far as they lie inside; the simplest (nearest 0) first, which is where a shrink ends.
     */
    public static List<Long> edges(long min, long max, long... boundaries) {
        List<Long> candidates = new ArrayList<>(List.of(min, max, 0L, 1L, -1L));
        if (min < max) {
            candidates.add(min + 1);
            candidates.add(max - 1);
        }
        for (long boundary : boundaries) {
            candidates.add(boundary);
            candidates.add(boundary - 1);
            candidates.add(boundary + 1);
        }
        return candidates.stream().filter(v -> v >= min && v <= max).distinct()
                .sorted(Comparator.comparing((Long v) -> v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v))
                        .thenComparing(v -> v))
                .toList();
    }

    /**
     * Any long, of every decimal length alike (a uniform long has 19 digits nineteen times in twenty), and the
     * edges: 0, ±1, the extremes and both sides of every power of ten.
     */
    public static Gen<Long> longsOfEveryLength() {
        Gen<Long> byLength = Generate.range(1, 19).flatMap(digits -> {
            long low = digits == 1 ? 0 : pow10(digits - 1);
            long high = digits == 19 ? Long.MAX_VALUE : pow10(digits) - 1;
            return Generate.longRange(low, high);
        }).zip(Generate.booleans(), (magnitude, negative) -> negative ? -magnitude : magnitude);
        List<Long> edges = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
                Long.MIN_VALUE + 1));
        for (int digits = 1; digits <= 18; digits++) {
            for (long value : new long[] {pow10(digits) - 1, pow10(digits)}) {
                edges.add(value);
                edges.add(-value);
            }
        }
        return byLength.mix(Generate.pick(edges), EDGE_PERCENT);
    }

    private static long pow10(int digits) {
        long value = 1;
        for (int i = 0; i < digits; i++) {
            value *= 10;
        }
        return value;
    }

    /**
     * Any double: decimals of two places at every magnitude, small integers, any bit pattern (subnormals, NaN
     * payloads, infinities) and the special values a writer has to spell out.
     */
    public static Gen<Double> anyDoubles() {
        Gen<Double> decimals = longsOfEveryLength().map(unscaled -> BigDecimal.valueOf(unscaled, 2).doubleValue());
        Gen<Double> integers = Generate.range(-1_000, 1_000).map(Integer::doubleValue);
        Gen<Double> bits = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE).map(Double::longBitsToDouble);
        Gen<Double> special = of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, 0.5,
                1e15, 1e16, 1e-5, 1e-4, 1e21, 1e22);
        return Generate.frequency(List.of(Pair.of(4, decimals), Pair.of(2, integers), Pair.of(2, bits),
                Pair.of(1, special)));
    }

    /** IPv4 addresses as unsigned 32-bit values; those a mask cuts (octet edges, the top bit, all ones) often. */
    public static Gen<Long> ipv4Addresses() {
        return longs(0, 0xFFFF_FFFFL, 0xFFL, 0xFF00L, 0xFF_FF00L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FF00L);
    }

    /** CIDR prefix lengths from {@code min} to {@code max}, the octet boundaries /8, /16 and /24 among the edges. */
    public static Gen<Integer> prefixLengths(int min, int max) {
        return ints(min, max, 8, 16, 24);
    }

    /** Strings of up to {@code maxLength} of {@code chars}, the short ones (down to "") often. */
    public static Gen<String> strings(String chars, int maxLength) {
        Gen<Character> character = Generate.pick(chars.chars().mapToObj(c -> (char) c).toList());
        return shortOften(maxLength).flatMap(length -> in -> {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(character.generate(in));
            }
            return text.toString();
        });
    }

    /**
     * Strings of up to {@code maxLength} UTF-16 units of any kind: ASCII with its control characters most, then any
     * unit of the Basic Multilingual Plane (lone surrogates included, as a JSON escape can deliver them), then pairs
     * for the supplementary planes.
     */
    public static Gen<String> anyStrings(int maxLength) {
        return unicode(maxLength, Generate.range(0, 0xFFFF));
    }

    /** As {@link #anyStrings}, but well-formed: no lone surrogate, every code point encodable as UTF-8. */
    public static Gen<String> anyText(int maxLength) {
        return unicode(maxLength, Generate.range(0, 0xFFFF - 0x800)
                .map(unit -> unit < Character.MIN_SURROGATE ? unit : unit + 0x800));
    }

    private static Gen<String> unicode(int maxLength, Gen<Integer> basicPlane) {
        Gen<Integer> codePoint = Generate.frequency(List.of(Pair.of(4, Generate.range(0, 0x7F)),
                Pair.of(3, basicPlane), Pair.of(1, Generate.range(0x10000, Character.MAX_CODE_POINT))));
        return shortOften(maxLength).flatMap(length -> in -> {
            StringBuilder text = new StringBuilder(length);
            while (text.length() < length) {
                int point = codePoint.generate(in);
                if (Character.charCount(point) <= length - text.length()) {
                    text.appendCodePoint(point);
                } else {
                    text.append('x');
                }
            }
            return text.toString();
        });
    }

    /** A length up to {@code maxLength}: up to 12 three times in four (where most faults show), the edges often. */
    private static Gen<Integer> shortOften(int maxLength) {
        return weighted(3, ints(0, Math.min(12, maxLength)), 1, ints(0, maxLength));
    }

    /** Describes strings in Java's escapes, so a counterexample with a control character or a newline is readable. */
    public static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("\"");
        text.chars().forEach(c -> {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> quoted.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                        : String.format("\\u%04x", c));
            }
        });
        return quoted.append('"').toString();
    }

    /** Lists of {@code min} to {@code max} values of {@code gen}, in an ArrayList. */
    public static <T> Gen<List<T>> listsOf(Gen<T> gen, int min, int max) {
        return listsOf(gen, ints(min, max));
    }

    public static <T> Gen<List<T>> listsOf(Gen<T> gen, Gen<Integer> sizes) {
        return sizes.flatMap(size -> in -> {
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(gen.generate(in));
            }
            return list;
        });
    }
}
