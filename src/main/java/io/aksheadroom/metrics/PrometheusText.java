package io.aksheadroom.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus' text exposition format 0.0.4, written as UTF-8 straight into a Netty {@link ByteBuf}. The Prometheus
 * client's own writer goes through a {@code StringWriter} (a lock per write, some twenty writes per series) and
 * formats every value as a double, which for the fleet's 100,000 series would be most of a scrape's time. Bytes rather
 * than characters so that a scrape's 14 MB can live in pooled buffers off the heap: as strings they would be promoted
 * by the young collections that run while a scrape is written, and fill the old generation.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    /** {@code # HELP} and {@code # TYPE} lines of a gauge family. */
    static void gaugeHeader(ByteBuf out, String name, String help) {
        ByteBufUtil.writeAscii(out, "# HELP ");
        ByteBufUtil.writeUtf8(out, name);
        out.writeByte(' ');
        ByteBufUtil.writeUtf8(out, help.indexOf('\\') < 0 && help.indexOf('\n') < 0 ? help
                : help.replace("\\", "\\\\").replace("\n", "\\n"));
        ByteBufUtil.writeAscii(out, "\n# TYPE ");
        ByteBufUtil.writeUtf8(out, name);
        ByteBufUtil.writeAscii(out, " gauge\n");
    }

    /** One series line: {@code name{label="value",...} value}. */
    static void sample(ByteBuf out, String name, List<String> labelNames, List<String> labelValues, double value) {
        new Line(name, labelNames).write(out, labelValues, value);
    }

    /**
     * The constant bytes of a family's series lines, encoded once: {@code name{first="}, then {@code ",next="} per
     * further label, then {@code "} }. A scrape then encodes only the label values and the value of each series.
     *
     * <p>A label value that is the same string as the previous line's at that position (the cluster of a cluster's
     * series, the pool of a pool's) is copied from where that line wrote it instead of being escaped and encoded again.
     */
    static final class Line {
        private final byte[] head;
        private final byte[][] separators;
        private final byte[] tail;
        private final int labels;
        /** The buffer the previous line went to, and where in it each of its label values was written. */
        private ByteBuf lastOut;
        private final String[] lastValues;
        private final int[] lastOffsets;
        private final int[] lastLengths;

        Line(String name, List<String> labelNames) {
            labels = labelNames.size();
            lastValues = new String[labels];
            lastOffsets = new int[labels];
            lastLengths = new int[labels];
            if (labelNames.isEmpty()) {
                head = utf8(name);
                separators = new byte[0][];
                tail = utf8(" ");
            } else {
                head = utf8(name + "{" + labelNames.get(0) + "=\"");
                separators = new byte[labelNames.size() - 1][];
                for (int i = 1; i < labelNames.size(); i++) {
                    separators[i - 1] = utf8("\"," + labelNames.get(i) + "=\"");
                }
                tail = utf8("\"} ");
            }
        }

        /** Forgets where the previous line wrote its labels: {@code out} is about to be cleared and written again. */
        void reset() {
            Arrays.fill(lastValues, null);
            lastOut = null;
        }

        void write(ByteBuf out, List<String> labelValues, double value) {
            if (labelValues.size() != labels) {
                throw new IllegalArgumentException("label values " + labelValues + " do not fit the label names");
            }
            if (out != lastOut) {
                Arrays.fill(lastValues, null);
                lastOut = out;
            }
            out.writeBytes(head);
            for (int i = 0; i < labels; i++) {
                if (i > 0) {
                    out.writeBytes(separators[i - 1]);
                }
                String label = labelValues.get(i);
                int at = out.writerIndex();
                if (label == lastValues[i]) {
                    out.writeBytes(out, lastOffsets[i], lastLengths[i]);
                } else {
                    labelValue(out, label);
                    lastValues[i] = label;
                }
                lastOffsets[i] = at;
                lastLengths[i] = out.writerIndex() - at;
            }
            out.writeBytes(tail);
            value(out, value);
            out.writeByte('\n');
        }

        private static byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A label value, escaped, with every lone surrogate (a JSON escape can put one in a cluster id) written as U+FFFD.
     * Netty's UTF-8 writer must never see one: it writes the unit after a lone high surrogate as a single byte, its
     * low eight bits, so U+D800 followed by U+010A would end the line with a raw newline, and followed by U+0122 close
     * the label with a quote.
     */
    static void labelValue(ByteBuf out, String value) {
        if (!needsRewriting(value)) {
            ByteBufUtil.writeUtf8(out, value);
            return;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                default -> {
                    if (!Character.isSurrogate(c)) {
                        escaped.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        escaped.append(c).append(value.charAt(++i));
                    } else {
                        escaped.append('\uFFFD');
                    }
                }
            }
        }
        ByteBufUtil.writeUtf8(out, escaped);
    }

    private static boolean needsRewriting(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '\n' || Character.isSurrogate(c)) {
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
    static void value(ByteBuf out, double value) {
        if (Double.isNaN(value)) {
            ByteBufUtil.writeAscii(out, "NaN");
        } else if (Double.isInfinite(value)) {
            ByteBufUtil.writeAscii(out, value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15 && !isNegativeZero(value)) {
            integer(out, (long) value);
        } else {
            ByteBufUtil.writeAscii(out, Double.toString(value));
        }
    }

    /**
     * Digits without a String per series, last digit first into their place: division by the constant 10 compiles to
     * a multiplication, where division by a running power of ten is a hardware divide per digit, twice. {@code value}
     * is below 10^15 in magnitude.
     */
    private static void integer(ByteBuf out, long value) {
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        int at = end;
        do {
            out.setByte(--at, (int) ('0' + value % 10));
            value /= 10;
        } while (value > 0);
        out.writerIndex(end);
    }

    private static boolean isNegativeZero(double value) {
        return value == 0 && Double.doubleToRawLongBits(value) != 0;
    }
}
