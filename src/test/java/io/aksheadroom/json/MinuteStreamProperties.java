package io.aksheadroom.json;

import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.of;
import static io.aksheadroom.support.Generators.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.LoadBalancerMinute;
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
 * An {@code aks.lb-metrics} record in either form: the token-by-token read of a load balancer's minute accepts what
 * the tree read accepts, reads the same values and refuses what it refuses with the same error naming the field; the
 * tree ({@code EventJson.parseLbMetrics(mapper.readTree(value))}) is the oracle.
 */
class MinuteStreamProperties {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");
    private static final String LB = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/loadBalancers/k";
    private static final LoadBalancerMinute MINUTE = new LoadBalancerMinute("c-1", AT, LB, List.of(
            new SnatSample("c-1", AT, "10.240.0.4", Protocol.TCP, 1024, 700, 3L),
            new SnatSample("c-1", AT, "10.240.0.5", Protocol.UDP, 1024, 12, null)));
    private static final String CANONICAL = WireJson.write(MINUTE);

    private static void assertSameAsTree(ObjectMapper mapper, String value) {
        assertEquals(outcome(() -> EventJson.parseLbMetrics(mapper.readTree(value))),
                outcome(() -> EventJson.parseLbMetrics(mapper, value)), value);
    }

    private static String outcome(Callable<ClusterEvent> parse) {
        try {
            return "accepted " + parse.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String refusal(String value) {
        try {
            EventJson.parseLbMetrics(PLAIN, value);
        } catch (InvalidInputException e) {
            return e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
        throw new AssertionError("accepted: " + value);
    }

    @Test
    void theWireFormCarriesTheClusterAndMinuteOnceAndReadsBackAsWritten() throws Exception {
        assertEquals("{\"clusterId\":\"c-1\",\"at\":\"2026-11-26T08:00:00Z\",\"loadBalancer\":\"" + LB + "\","
                + "\"samples\":[{\"backendIp\":\"10.240.0.4\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":1024,"
                + "\"usedSnatPorts\":700,\"failedConnections\":3},{\"backendIp\":\"10.240.0.5\",\"protocol\":\"UDP\","
                + "\"allocatedSnatPorts\":1024,\"usedSnatPorts\":12}]}", CANONICAL);
        assertEquals(MINUTE, MinuteStream.read(PLAIN, CANONICAL));
        assertNotNull(MinuteStream.read(PLAIN, CANONICAL.replace(",\"loadBalancer\":\"" + LB + "\"", "")));
        assertNotNull(MinuteStream.read(PLAIN, CANONICAL.replace("\"" + LB + "\"", "null")));
        assertNotNull(MinuteStream.read(PLAIN, " " + CANONICAL.replace(",", " ,\n ") + "\n"));
        // The samples before the cluster and minute they belong to.
        assertNotNull(MinuteStream.read(PLAIN, "{\"samples\":[{\"backendIp\":\"10.0.0.1\",\"allocatedSnatPorts\":1,"
                + "\"usedSnatPorts\":0}],\"at\":\"2026-11-26T08:00:00Z\",\"clusterId\":\"c-1\"}"));
        // Both forms on one topic: the one-sample form still reads as a sample.
        String one = WireJson.write(MINUTE.samples().get(0));
        assertEquals(MINUTE.samples().get(0), EventJson.parseLbMetrics(PLAIN, one));
        assertNull(MinuteStream.read(PLAIN, one));
    }

    /** A bad minute is refused with the field that is wrong, down to the sample and its field. */
    @Test
    void aBadMinuteIsRefusedNamingTheField() {
        assertTrue(refusal(CANONICAL.replace("700", "-5")).startsWith("samples[0].usedSnatPorts"),
                refusal(CANONICAL.replace("700", "-5")));
        assertTrue(refusal(CANONICAL.replace("\"10.240.0.5\"", "\"10.240.0.999\"")).startsWith("samples[1].backendIp"));
        assertTrue(refusal(CANONICAL.replace("\"UDP\"", "\"ICMP\"")).startsWith("samples[1].protocol"));
        assertTrue(refusal(CANONICAL.replace(",\"usedSnatPorts\":12", "")).startsWith("samples[1].usedSnatPorts"));
        assertTrue(refusal(CANONICAL.replace("[{", "[7,{")).startsWith("samples[0]"));
        assertTrue(refusal(CANONICAL.replace("\"10.240.0.5\"", "\"10.240.0.4\"").replace("\"UDP\"", "\"TCP\""))
                .startsWith("samples[1]"));
        assertTrue(refusal(CANONICAL.replace("\"2026-11-26T08:00:00Z\"", "\"soon\"")).startsWith("at"));
        assertTrue(refusal(CANONICAL.replace("\"c-1\"", "\" \"")).startsWith("clusterId"));
        assertTrue(refusal(CANONICAL.replace("\"" + LB + "\"", "\"\"")).startsWith("loadBalancer"));
        assertTrue(refusal("{\"clusterId\":\"c-1\",\"at\":\"2026-11-26T08:00:00Z\",\"samples\":{}}")
                .startsWith("samples"));
    }

    @Test
    void leavesEverythingElseToTheTree() {
        String[] cases = {
            "", "null", "[]", "{}", "{", CANONICAL + " x", CANONICAL + "{",
            CANONICAL.replace("{\"clusterId\"", "{\"extra\":1,\"clusterId\""),
            CANONICAL.replace("{\"backendIp\":\"10.240.0.4\"", "{\"extra\":1,\"backendIp\":\"10.240.0.4\""),
            CANONICAL.replace("\"samples\"", "\"Samples\""), CANONICAL.replace("\"clusterId\"", "\"ClusterID\""),
            CANONICAL.replace("{\"clusterId\"", "{\"at\":\"2026-11-26T08:01:00Z\",\"clusterId\""),
            CANONICAL.replace("\"samples\":[", "\"samples\":null,\"x\":["),
            CANONICAL.replace("\"samples\":[", "\"samples\":[],\"samples\":["),
            CANONICAL.replace("[{", "[null,{"), CANONICAL.replace("[{", "[[],{"), CANONICAL.replace("700", "700.0"),
            CANONICAL.replace("700", "99999999999999999999"), CANONICAL.replace("700", "\"700\""),
            CANONICAL.replace("3}", "null}"), CANONICAL.replace("\"TCP\"", "null"), CANONICAL.replace("\"TCP\"", "\"tcp\""),
            CANONICAL.replace("\"" + LB + "\"", "1"), CANONICAL.replace("\"" + LB + "\"", "\" \""),
            CANONICAL.replace("08:00:00Z", "09:00:00+01:00"), CANONICAL.replace("08:00:00Z", "08:00:00.5Z"),
            CANONICAL.replace("\"samples\":[", "\"backendIp\":\"10.0.0.1\",\"samples\":["),
            CANONICAL.replace("\"usedSnatPorts\":700", "\"usedSnatPorts\":700,\"usedSnatPorts\":9"),
        };
        for (String value : cases) {
            for (ObjectMapper mapper : List.of(PLAIN, STRICT)) {
                assertSameAsTree(mapper, value);
            }
        }
        assertNull(MinuteStream.read(PLAIN, CANONICAL.replace("\"samples\"", "\"Samples\"")));
        assertNull(MinuteStream.read(PLAIN, CANONICAL + " x"));
        assertNull(MinuteStream.read(PLAIN, CANONICAL.replace("\"usedSnatPorts\":700",
                "\"usedSnatPorts\":700,\"usedSnatPorts\":9")), "a field twice in a sample");
    }

    @Test
    void generatedMinutesReadAsTheTreeReadsThem() {
        Coverage streamed = Coverage.ofOneRun();
        qt().withFixedSeed(streamed.seed()).withExamples(2000).forAll(minutes().describedAs(Generators::quoted))
                .checkAssert(value -> {
                    streamed.count(MinuteStream.read(PLAIN, value) != null);
                    assertSameAsTree(PLAIN, value);
                    assertSameAsTree(STRICT, value);
                });
        streamed.assertShareAbove(true, 10).assertShareAbove(false, 10);
    }

    /** The canonical minute with one character deleted, replaced or inserted. */
    @Test
    void mutatedMinutesReadAsTheTreeReadsThem() {
        qt().withExamples(3000).forAll(mutations().describedAs(Generators::quoted)).checkAssert(value -> {
            assertSameAsTree(PLAIN, value);
            assertSameAsTree(STRICT, value);
        });
    }

    private static Gen<String> minutes() {
        Gen<String> clusterId = mostly(List.of("\"c-1\"", "\"c-2\""), "\" \"", "null", "1");
        Gen<String> at = mostly(List.of("\"2026-11-26T08:00:00Z\"", "\"2026-11-26T08:01:00.250Z\""), "\"later\"",
                "\"2026-11-26T08:00:00+01:00\"");
        Gen<String> balancer = mostly(List.of("", "\"" + LB + "\"", "null"), "\"\"", "3");
        Gen<String> backendIp = mostly(List.of("\"10.240.0.4\"", "\"10.240.0.5\"", "\"192.168.1.255\""),
                "\"10.240.0.04\"", "\" \"");
        Gen<String> protocol = mostly(List.of("\"TCP\"", "\"UDP\"", "null", ""), "\"SCTP\"", "1");
        Gen<String> allocated = mostly(List.of("1024", "0", "64000"), "-3", "\"1024\"", "1024.0");
        Gen<String> used = mostly(List.of("700", "0", "2000"), "7.0", "6400001", "");
        Gen<String> failed = mostly(List.of("", "0", "12", "null"), "-1", "\"2\"");
        Gen<String> extraField = weighted(9, Generate.constant(""), 1, of("\"extra\":1", "\"BackendIp\":\"x\""));
        Gen<String> backend = in -> {
            List<String> fields = new ArrayList<>();
            fields.add("\"backendIp\":" + backendIp.generate(in));
            add(fields, "protocol", protocol.generate(in));
            fields.add("\"allocatedSnatPorts\":" + allocated.generate(in));
            add(fields, "usedSnatPorts", used.generate(in));
            add(fields, "failedConnections", failed.generate(in));
            String extra = extraField.generate(in);
            if (!extra.isEmpty()) {
                fields.add(extra);
            }
            return "{" + String.join(",", fields) + "}";
        };
        Gen<String> element = weighted(20, backend, 1, of("null", "1", "[]"));
        Gen<List<String>> elements = Generators.listsOf(element, 0, 4);
        Gen<String> samples = weighted(12, elements.map(list -> "[" + String.join(",", list) + "]"), 1,
                of("null", "{}", "\"x\""));
        Gen<String> tail = weighted(8, of("", " \n"), 1, of(" x", "{}"));
        return in -> {
            List<String> fields = new ArrayList<>();
            add(fields, "clusterId", clusterId.generate(in));
            add(fields, "at", at.generate(in));
            add(fields, "loadBalancer", balancer.generate(in));
            fields.add("\"samples\":" + samples.generate(in));
            fields.add(extraField.generate(in));
            fields.removeIf(String::isEmpty);
            if (ints(0, 3).generate(in) == 0) {
                Collections.shuffle(fields, new Random(fields.hashCode()));
            }
            return "{" + String.join(",", fields) + "}" + tail.generate(in);
        };
    }

    private static void add(List<String> fields, String name, String value) {
        if (!value.isEmpty()) {
            fields.add("\"" + name + "\":" + value);
        }
    }

    /** One of {@code valid} four times in five, else one of {@code invalid}. */
    private static Gen<String> mostly(List<String> valid, String... invalid) {
        return weighted(4, Generators.of(valid), 1, of(invalid));
    }

    private static Gen<String> mutations() {
        return ints(0, CANONICAL.length() - 1).zip(of('"', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', ' ', 'n'),
                of(0, 1, 2), (at, c, how) -> switch (how) {
                    case 0 -> CANONICAL.substring(0, at) + CANONICAL.substring(at + 1);
                    case 1 -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at + 1);
                    default -> CANONICAL.substring(0, at) + c + CANONICAL.substring(at);
                });
    }
}
