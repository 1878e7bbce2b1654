package io.aksheadroom.json;

import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.of;
import static io.aksheadroom.support.Generators.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;
import io.aksheadroom.support.WireJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The token-by-token read of a SNAT sample accepts what the tree read accepts, reads the same values and refuses
 * what it refuses with the same error; the tree ({@code EventJson.parseSample(mapper.readTree(value))}) is the oracle.
 */
class SampleStreamProperties {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Settings that change what the tree accepts: the streamed read must follow them too. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final String CANONICAL = WireJson.write(new SnatSample("c-1", Instant.parse(
            "2026-11-26T08:00:00Z"), "10.240.0.4", Protocol.TCP, 1024, 700, 3L));

    /** The tree's outcome and the streamed one: the same sample, or the same exception with the same message. */
    private static void assertSameAsTree(ObjectMapper mapper, String value) {
        assertEquals(outcome(() -> EventJson.parseSample(mapper.readTree(value))),
                outcome(() -> EventJson.parseSample(mapper, value)), value);
    }

    private static String outcome(Callable<SnatSample> parse) {
        try {
            return "accepted " + parse.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void readsTheFormItsProducersWriteWithoutTheTree() {
        SnatSample streamed = SampleStream.read(PLAIN, CANONICAL);
        assertEquals(new SnatSample("c-1", Instant.parse("2026-11-26T08:00:00Z"), "10.240.0.4", Protocol.TCP, 1024,
                700, 3L), streamed);
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace(",\"failedConnections\":3", "")));
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace("3}", "null}")));
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace("\"TCP\"", "null")));
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace("\"TCP\"", "\"udp\"")));
        assertNotNull(SampleStream.read(PLAIN, " " + CANONICAL.replace(",", " ,\n ") + "\n"));
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace("08:00:00Z", "08:00:00.123456Z")));
        assertNotNull(SampleStream.read(PLAIN, CANONICAL.replace("08:00:00Z", "09:00:00+01:00")));
    }

    /** Each case the streamed read leaves to the tree, and what the tree then says (via EventJson). */
    @Test
    void leavesEverythingElseToTheTree() {
        String[] cases = {
            "", " ", "null", "[]", "42", "\"text\"", "{", "{}", CANONICAL + " x", CANONICAL + " {}", CANONICAL + "{",
            CANONICAL.replace("{", "{\"extra\":1,"),
            CANONICAL.replace("{", "{\"extra\":{\"clusterId\":\"c-2\"},"),
            CANONICAL.replace("\"clusterId\"", "\"ClusterID\""),
            CANONICAL.replace("{", "{\"clusterid\":\"c-2\","),
            CANONICAL.replace("{", "{\"usedSnatPorts\":5,"),
            CANONICAL.replace("}", ",\"usedSnatPorts\":\"5\"}"),
            CANONICAL.replace("}", ",\"clusterId\":null}"),
            CANONICAL.replace("700", "\"700\""), CANONICAL.replace("700", "700.0"), CANONICAL.replace("700", "7e2"),
            CANONICAL.replace("700", "-5"), CANONICAL.replace("700", "99999999999999999999"),
            CANONICAL.replace("700", "9".repeat(5_000)), CANONICAL.replace("700", "NaN"), CANONICAL.replace("700", "null"),
            CANONICAL.replace("700", "true"), CANONICAL.replace("700", "[700]"), CANONICAL.replace("\"c-1\"", "\" \""),
            CANONICAL.replace("\"c-1\"", "null"), CANONICAL.replace("\"c-1\"", "1"),
            CANONICAL.replace("\"10.240.0.4\"", "\"10.240.0.999\""), CANONICAL.replace("\"TCP\"", "\"ICMP\""),
            CANONICAL.replace("\"TCP\"", "\"\""), CANONICAL.replace("\"2026-11-26T08:00:00Z\"", "\"yesterday\""),
            CANONICAL.replace("\"2026-11-26T08:00:00Z\"", "\"\""), CANONICAL.replace("\"2026-11-26T08:00:00Z\"", "0"),
            CANONICAL.replace(",\"at\":\"2026-11-26T08:00:00Z\"", ""), CANONICAL.replace(",\"usedSnatPorts\":700", ""),
            CANONICAL.replace("3}", "-1}"), CANONICAL.replace("3}", "\"3\"}"), CANONICAL.replace("3}", "3.5}"),
        };
        for (String value : cases) {
            for (ObjectMapper mapper : List.of(PLAIN, STRICT)) {
                assertSameAsTree(mapper, value);
            }
        }
        assertNull(SampleStream.read(PLAIN, CANONICAL + " x"));
        assertNull(SampleStream.read(PLAIN, CANONICAL.replace("{", "{\"extra\":1,")));
        assertNull(SampleStream.read(PLAIN, CANONICAL.replace("{", "{\"usedSnatPorts\":5,")));
        assertNull(SampleStream.read(PLAIN, CANONICAL.replace("\"clusterId\"", "\"ClusterID\"")));
    }

    /** Records of the sample's fields, case variants, repeats and strangers, with values of every kind, in any order. */
    @Test
    void generatedRecordsReadAsTheTreeReadsThem() {
        // Both ways must be compared often: records the stream reads itself, and records it leaves to the tree.
        Coverage streamed = Coverage.ofOneRun();
        qt().withFixedSeed(streamed.seed()).withExamples(3000).forAll(records().describedAs(Generators::quoted))
                .checkAssert(value -> {
                    streamed.count(SampleStream.read(PLAIN, value) != null);
                    assertSameAsTree(PLAIN, value);
                    assertSameAsTree(STRICT, value);
                });
        streamed.assertShareAbove(true, 2).assertShareAbove(false, 50);
    }

    /** A canonical record with one character deleted, replaced or inserted. */
    @Test
    void mutatedRecordsReadAsTheTreeReadsThem() {
        qt().withExamples(3000).forAll(mutations().describedAs(Generators::quoted)).checkAssert(value -> {
            assertSameAsTree(PLAIN, value);
            assertSameAsTree(STRICT, value);
        });
    }

    private static Gen<String> records() {
        Gen<String> name = weighted(12, of("clusterId", "at", "backendIp", "protocol", "allocatedSnatPorts",
                "usedSnatPorts", "failedConnections"), 1, of("ClusterId", "AT", "backendIP", "extra", ""));
        Gen<String> value = Generate.oneOf(
                of("\"c-1\"", "\"2026-11-26T08:00:00Z\"", "\"2026-11-26T08:00:00.5Z\"", "\"2026-02-30T08:00:00Z\"",
                        "\"10.240.0.4\"", "\"10.240.0.256\"", "\"TCP\"", "\"udp\"", "\"\"", "\" \"", "\"12\""),
                of("0", "1", "700", "1024", "-1", "6400000", "6400001", "9223372036854775808", "1.0", "1.5", "1e3",
                        "null", "true", "{}", "[]", "[1]", "{\"at\":1}"));
        Gen<String> member = name.zip(value, (n, v) -> "\"" + n + "\":" + v);
        Gen<List<String>> members = Generators.listsOf(member, 0, 10);
        // Mostly complete records of mostly valid values, so values (not only missing fields) are compared, and
        // the streamed read answers often enough to be compared at all.
        Gen<String> clusterId = mostly(List.of("\"c-1\"", "\"c-2\""), "\" \"", "\"\"");
        Gen<String> at = mostly(List.of("\"2026-11-26T08:00:00Z\"", "\"2026-11-26T08:01:00.250Z\""), "\"later\"",
                "\"2026-11-26T08:00:00+01:00\"");
        Gen<String> backendIp = mostly(List.of("\"10.240.0.4\"", "\"192.168.1.255\""), "\"10.240.0.04\"",
                "\"10.240.0\"");
        Gen<String> protocol = mostly(List.of("\"TCP\"", "\"Udp\"", "null"), "1", "\"SCTP\"");
        Gen<String> allocated = mostly(List.of("1024", "0", "64000"), "-3", "\"1024\"", "1024.0");
        Gen<String> used = mostly(List.of("700", "0", "2000"), "7.0", "6400001");
        Gen<String> failed = mostly(List.of("", "0", "12", "null"), "-1", "\"2\"");
        Gen<List<String>> complete = in -> {
            List<String> fields = new ArrayList<>(List.of("\"clusterId\":" + clusterId.generate(in),
                    "\"at\":" + at.generate(in), "\"backendIp\":" + backendIp.generate(in),
                    "\"protocol\":" + protocol.generate(in), "\"allocatedSnatPorts\":" + allocated.generate(in),
                    "\"usedSnatPorts\":" + used.generate(in)));
            String f = failed.generate(in);
            if (!f.isEmpty()) {
                fields.add("\"failedConnections\":" + f);
            }
            return fields;
        };
        Gen<List<String>> base = weighted(3, complete, 1, Generate.constant(List.of()));
        Gen<List<String>> extra = weighted(2, Generate.constant(List.of()), 1, members);
        Gen<String> tail = weighted(3, of("", " \n"), 1, of(" x", "{}"));
        return base.zip(extra, tail, (fields, more, end) -> {
            List<String> all = new ArrayList<>(fields);
            all.addAll(more);
            Collections.shuffle(all, new Random(all.hashCode()));
            return "{" + String.join(",", all) + "}" + end;
        });
    }

    /** One of {@code valid} four times in five, else one of {@code invalid}. */
    private static Gen<String> mostly(List<String> valid, String... invalid) {
        return weighted(4, Generators.of(valid), 1, of(invalid));
    }

    private static Gen<String> mutations() {
        return ints(0, CANONICAL.length() - 1).zip(of('"', '{', '}', ',', ':', '0', '9', '-', '.', 'e', 'x', ' ', 'n'),
                of(0, 1, 2), (at, c, how) -> switch (how) {
                    case 0 -> CANONICAL.substring(0, at) + CANONICAL.substring(at + 1);
                    case 1 -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at + 1);
                    default -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at);
                });
    }
}
