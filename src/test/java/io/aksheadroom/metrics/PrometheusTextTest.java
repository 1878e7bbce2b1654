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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

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
}
