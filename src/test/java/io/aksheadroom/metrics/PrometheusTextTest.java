package io.aksheadroom.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.Generators;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Any label value and any value, written by {@link PrometheusText}, reads back as what the Prometheus Java client's
 * writer gives for them; and the text itself for the cases a reader sees most.
 */
class PrometheusTextTest {

    private static final List<String> LABELS = List.of("cluster", "pool");

    private static List<?> ours(String help, String first, String second, double value) {
        ByteBuf out = Unpooled.buffer();
        PrometheusText.gaugeHeader(out, "m", help);
        PrometheusText.sample(out, "m", LABELS, List.of(first, second), value);
        return linesOf(Exposition.parse(out.toString(StandardCharsets.UTF_8)));
    }

    private static List<?> theirs(String help, String first, String second, double value) throws IOException {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, Collections.enumeration(List.of(new MetricFamilySamples("m", Collector.Type.GAUGE,
                help, List.of(new MetricFamilySamples.Sample("m", LABELS, List.of(first, second), value))))));
        return linesOf(Exposition.parse(out.toString()));
    }

    /** The HELP and TYPE lines as written (escapes and all), and the series as read. */
    private static List<?> linesOf(Exposition exposition) {
        return List.of(exposition.comments, exposition.series);
    }

    /**
     * Any well-formed string, and often one made of the characters the format has to escape or that end a label.
     * A lone surrogate is left out: the client writes to a Java string, so the two texts cannot be compared for it.
     */
    private static Gen<String> texts() {
        return Generate.oneOf(Generators.anyText(255), Generators.strings("\"\\\n{},= aün", 12))
                .describedAs(Generators::quoted);
    }

    @Test
    void readsBackAsThePrometheusClientsOwnWriting() {
        qt().withExamples(500).forAll(texts(), texts(), Generators.anyDoubles(), texts())
                .checkAssert((first, second, value, help) -> {
                    try {
                        assertEquals(theirs(help, first, second, value), ours(help, first, second, value));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Test
    void specialValuesAndSeparators() throws IOException {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0,
                1e15, 1e16, -3, 0.5, Double.MIN_VALUE, Double.MAX_VALUE, 7, 10, 100, 1024, -10,
                999_999_999_999_999.0, -999_999_999_999_999.0}) {
            for (String text : List.of("", "\\", "\"", "\n", "a\"},b=\"c", "ünïcødé ✓", "\\n")) {
                assertEquals(theirs(text, text, "x", value), ours(text, text, "x", value), text + " " + value);
            }
        }
    }

    @Test
    void theTextOfCommonLines() {
        ByteBuf out = Unpooled.buffer();
        PrometheusText.gaugeHeader(out, "aks_x", "Help with a \\ and\na newline");
        PrometheusText.sample(out, "aks_x", LABELS, List.of("c\"1", "p\\1"), 1024);
        PrometheusText.sample(out, "aks_x", LABELS, List.of("c", "p"), 0.25);
        PrometheusText.sample(out, "aks_x", List.of(), List.of(), Double.NEGATIVE_INFINITY);
        assertEquals("""
                # HELP aks_x Help with a \\\\ and\\na newline
                # TYPE aks_x gauge
                aks_x{cluster="c\\"1",pool="p\\\\1"} 1024
                aks_x{cluster="c",pool="p"} 0.25
                aks_x -Inf
                """, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A lone high surrogate followed by U+010A or U+0122: Netty's UTF-8 writer would emit the low byte of the second
     * unit raw, a newline that starts a series of the sender's choosing, or a quote that closes the label.
     */
    @Test
    void aLoneSurrogateCannotEndTheLineOrTheLabel() {
        ByteBuf out = Unpooled.buffer();
        PrometheusText.sample(out, "m", LABELS, List.of("a\ud800\u010aevil_total 1", "b\ud800\u0122,x=\"y"), 1);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals("m{cluster=\"a\ufffd\u010aevil_total 1\",pool=\"b\ufffd\u0122,x=\\\"y\"} 1\n", text);
    }

    /**
     * Any label values at all, lone surrogates included: the text is valid UTF-8 and one series line whose values read
     * back as written, each lone surrogate as U+FFFD.
     */
    @Test
    void anyLabelValueStaysInsideItsLabel() {
        qt().withExamples(1000).forAll(Generators.anyStrings(64), Generators.anyStrings(64))
                .checkAssert((first, second) -> {
                    ByteBuf out = Unpooled.buffer();
                    PrometheusText.sample(out, "m", LABELS, List.of(first, second), 7);
                    byte[] bytes = new byte[out.readableBytes()];
                    out.readBytes(bytes);
                    String text;
                    try {
                        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
                    } catch (CharacterCodingException e) {
                        throw new AssertionError("not UTF-8: " + Arrays.toString(bytes), e);
                    }
                    Exposition exposition = Exposition.parse(text);
                    assertEquals(1, exposition.series.size(), text);
                    assertEquals(Map.of("cluster", wellFormed(first), "pool", wellFormed(second)),
                            exposition.series.get(0).labels(), text);
                });
    }

    /** {@code text} with each lone surrogate replaced by U+FFFD. */
    private static String wellFormed(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(point -> out.appendCodePoint(
                point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE ? 0xFFFD : point));
        return out.toString();
    }
}
