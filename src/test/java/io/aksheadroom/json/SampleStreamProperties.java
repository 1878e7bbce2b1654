package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.WireJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

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

    @Example
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
    @Example
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
    @Property(tries = 3000)
    void generatedRecordsReadAsTheTreeReadsThem(@ForAll("records") String value) {
        Statistics.label("streamed").collect(SampleStream.read(PLAIN, value) != null);
        // Both ways must be compared often: records the stream reads itself, and records it leaves to the tree.
        Statistics.label("streamed").coverage(checker -> {
            checker.check(true).percentage(share -> share > 2);
            checker.check(false).percentage(share -> share > 50);
        });
        assertSameAsTree(PLAIN, value);
        assertSameAsTree(STRICT, value);
    }

    /** A canonical record with one character deleted, replaced or inserted. */
    @Property(tries = 3000)
    void mutatedRecordsReadAsTheTreeReadsThem(@ForAll("mutations") String value) {
        assertSameAsTree(PLAIN, value);
        assertSameAsTree(STRICT, value);
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("clusterId", "at", "backendIp", "protocol",
                        "allocatedSnatPorts", "usedSnatPorts", "failedConnections")),
                Tuple.of(1, Arbitraries.of("ClusterId", "AT", "backendIP", "extra", "")));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("\"c-1\"", "\"2026-11-26T08:00:00Z\"", "\"2026-11-26T08:00:00.5Z\"",
                        "\"2026-02-30T08:00:00Z\"", "\"10.240.0.4\"", "\"10.240.0.256\"", "\"TCP\"", "\"udp\"", "\"\"",
                        "\" \"", "\"12\""),
                Arbitraries.of("0", "1", "700", "1024", "-1", "6400000", "6400001", "9223372036854775808", "1.0",
                        "1.5", "1e3", "null", "true", "{}", "[]", "[1]", "{\"at\":1}"));
        Arbitrary<String> member = Combinators.combine(name, value).as((n, v) -> "\"" + n + "\":" + v);
        Arbitrary<List<String>> members = member.list().ofMaxSize(10);
        // Mostly complete records of mostly valid values, so values (not only missing fields) are compared, and
        // the streamed read answers often enough to be compared at all.
        Arbitrary<List<String>> complete = Combinators.combine(
                mostly(List.of("\"c-1\"", "\"c-2\""), "\" \"", "\"\""),
                mostly(List.of("\"2026-11-26T08:00:00Z\"", "\"2026-11-26T08:01:00.250Z\""), "\"later\"",
                        "\"2026-11-26T08:00:00+01:00\""),
                mostly(List.of("\"10.240.0.4\"", "\"192.168.1.255\""), "\"10.240.0.04\"", "\"10.240.0\""),
                mostly(List.of("\"TCP\"", "\"Udp\"", "null"), "1", "\"SCTP\""),
                mostly(List.of("1024", "0", "64000"), "-3", "\"1024\"", "1024.0"),
                mostly(List.of("700", "0", "2000"), "7.0", "6400001"),
                mostly(List.of("", "0", "12", "null"), "-1", "\"2\""))
                .as((c, a, ip, p, al, u, f) -> {
                    List<String> fields = new ArrayList<>(List.of("\"clusterId\":" + c, "\"at\":" + a,
                            "\"backendIp\":" + ip, "\"protocol\":" + p, "\"allocatedSnatPorts\":" + al,
                            "\"usedSnatPorts\":" + u));
                    if (!f.isEmpty()) {
                        fields.add("\"failedConnections\":" + f);
                    }
                    return fields;
                });
        Arbitrary<List<String>> extra = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(
                List.<String>of())), Tuple.of(1, members));
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(3, complete),
                Tuple.of(1, Arbitraries.just(List.<String>of()))), extra,
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("", " \n")),
                        Tuple.of(1, Arbitraries.of(" x", "{}"))))
                .as((base, more, tail) -> {
                    List<String> all = new ArrayList<>(base);
                    all.addAll(more);
                    Collections.shuffle(all, new Random(all.hashCode()));
                    return "{" + String.join(",", all) + "}" + tail;
                });
    }

    /** One of {@code valid} four times in five, else one of {@code invalid}. */
    private static Arbitrary<String> mostly(List<String> valid, String... invalid) {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(valid)),
                Tuple.of(1, Arbitraries.of(invalid)));
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, CANONICAL.length() - 1);
        Arbitrary<Character> character = Arbitraries.of('"', '{', '}', ',', ':', '0', '9', '-', '.', 'e', 'x', ' ',
                'n');
        return Combinators.combine(position, character, Arbitraries.of(0, 1, 2)).as((at, c, how) -> switch (how) {
            case 0 -> CANONICAL.substring(0, at) + CANONICAL.substring(at + 1);
            case 1 -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at + 1);
            default -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at);
        });
    }
}
