package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.dev.EmbeddedKafkaBroker;
import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.FaultWorkload;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.Profiles;
import io.aksheadroom.support.ServiceProcess;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #8: hostile and wrong input against the packaged service with its production settings (a 1 MiB record limit,
 * a 10 s grace for unknown clusters). On Kafka every bad record goes to the dead-letter topic with its reason and the
 * stream keeps flowing: valid records of the same cluster, on the same partitions, sent after them are processed and
 * readiness stays up. On the API every bad body gets a 4xx problem answer (400 naming the field), never a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    private static final String PROFILES = FaultWorkload.PROFILES;
    private static final String NODE_EVENTS = FaultWorkload.NODE_EVENTS;
    private static final String LB_METRICS = FaultWorkload.LB_METRICS;
    private static final String ID = "hostile-ok";
    private static final String CLOUDEVENTS = "application/cloudevents+json";
    /** Ten megabytes: far past the service's 1 MiB input limit, within the broker's 16 MiB. */
    private static final int TEN_MB = 10_000_000;

    private EmbeddedKafkaBroker broker;
    private KafkaTestClient kafka;
    private ServiceProcess service;
    private final String at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10)).toString();

    /** One hostile record: what it is, where it goes, and the reason its dead letter must start with. */
    private record Hostile(String name, String topic, String key, String value, Map<String, String> headers,
            String reason) {
    }

    @BeforeAll
    void start() {
        broker = EmbeddedKafkaBroker.start(0);
        kafka = new KafkaTestClient(broker.bootstrapServers());
        // Production settings but for the resend interval, which the order test needs to keep out of its counts.
        service = ServiceProcess.start("hostile", broker.bootstrapServers(), CleanRun.serviceProperties()).awaitReady();
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        kafka.close();
        broker.close();
    }

    private String sample(String key, long allocated, long used) {
        return Profiles.sample(key, at, "10.240.0.4", allocated, used, 0);
    }

    private static ObjectNode profile() {
        return Profiles.vector("manual-2400-floor", ID);
    }

    private static String withServiceCidr(String cidr) {
        ObjectNode profile = profile();
        profile.with("networkProfile").put("serviceCidr", cidr);
        return profile.toString();
    }

    private List<Hostile> kafkaCases() {
        List<Hostile> cases = new ArrayList<>();
        String valid = profile().toString();
        cases.add(new Hostile("malformed JSON", LB_METRICS, ID, "{\"clusterId\": \"" + ID + "\", ", Map.of(),
                "malformed JSON"));
        cases.add(new Hostile("truncated profile", PROFILES, ID, valid.substring(0, valid.length() / 2), Map.of(),
                "malformed JSON"));
        cases.add(new Hostile("not JSON at all", NODE_EVENTS, ID, "\u0000\u0001\u00ff garbage \uFFFD", Map.of(),
                "malformed JSON"));
        cases.add(new Hostile("wrong type (string count)", LB_METRICS, ID,
                sample(ID, 2400, 5).replace("\"usedSnatPorts\":5", "\"usedSnatPorts\":\"five\""), Map.of(),
                "invalid value: usedSnatPorts"));
        ObjectNode poolsAsText = profile();
        poolsAsText.put("agentPoolProfiles", "nodepool1");
        cases.add(new Hostile("wrong type (pools as a string)", PROFILES, ID, poolsAsText.toString(), Map.of(),
                "invalid value: agentPoolProfiles"));
        cases.add(new Hostile("wrong type (array record)", NODE_EVENTS, ID, "[1, 2, 3]", Map.of(),
                "invalid value"));
        cases.add(new Hostile("NaN", LB_METRICS, ID, sample(ID, 2400, 5).replace("\"usedSnatPorts\":5",
                "\"usedSnatPorts\":NaN"), Map.of(), "malformed JSON"));
        cases.add(new Hostile("negative ports", LB_METRICS, ID, sample(ID, 2400, -5), Map.of(),
                "invalid value: usedSnatPorts"));
        ObjectNode negativeCount = profile();
        Profiles.pool(negativeCount).put("count", -1);
        cases.add(new Hostile("negative node count", PROFILES, ID, negativeCount.toString(), Map.of(),
                "invalid value: agentPoolProfiles[0].count"));
        cases.add(new Hostile("huge number (1e400)", LB_METRICS, ID, sample(ID, 2400, 5).replace(
                "\"allocatedSnatPorts\":2400", "\"allocatedSnatPorts\":1e400"), Map.of(),
                "invalid value: allocatedSnatPorts"));
        ObjectNode hugeCount = profile();
        Profiles.pool(hugeCount).put("count", 2_147_483_648L);
        cases.add(new Hostile("huge node count (2^31)", PROFILES, ID, hugeCount.toString(), Map.of(),
                "invalid value: agentPoolProfiles[0].count"));
        cases.add(new Hostile("a number of 5,000 digits", LB_METRICS, ID, sample(ID, 2400, 5).replace(
                "\"usedSnatPorts\":5", "\"usedSnatPorts\":" + "9".repeat(5_000)), Map.of(), "malformed JSON"));
        cases.add(new Hostile("10 MB profile", PROFILES, ID, padded(profile(), "x", TEN_MB), Map.of(), "oversized"));
        // Under the limit counted in characters, three times over it in bytes: the limit is on what Kafka carries.
        cases.add(new Hostile("1 MB of 3-byte characters", PROFILES, ID, padded(profile(), "€", 1_000_000), Map.of(),
                "oversized"));
        cases.add(new Hostile("JSON nested 100,000 deep", NODE_EVENTS, ID, "{\"clusterId\":\"" + ID + "\",\"x\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}", Map.of(), "malformed JSON"));
        ObjectNode nested = profile();
        nested.set("observed", FaultWorkload.tree("[".repeat(500) + "]".repeat(500)));
        cases.add(new Hostile("JSON nested 500 deep where an object belongs", PROFILES, ID, nested.toString(), Map.of(),
                "invalid value: observed"));
        cases.add(new Hostile("unknown cluster", LB_METRICS, "hostile-nobody", sample("hostile-nobody", 2400, 5),
                Map.of(), "unknown cluster: hostile-nobody"));
        cases.add(new Hostile("missing key", LB_METRICS, null, sample(ID, 2400, 5), Map.of(), "missing key"));
        String longKey = ID + "-" + "k".repeat(1024);
        cases.add(new Hostile("key over 1 KiB", PROFILES, longKey, Profiles.vector("manual-2400-floor", longKey)
                .toString(), Map.of(), "oversized key"));
        // Beside a value near the record limit: the dead letter keeps the key's first 4 KiB, or it would not fit.
        cases.add(new Hostile("100 KiB key, value near the limit", LB_METRICS, "k".repeat(100 * 1024),
                "x".repeat(1_000_000), Map.of(), "oversized key"));
        cases.add(new Hostile("body names another cluster", LB_METRICS, ID, sample("hostile-other", 2400, 5),
                Map.of(), "invalid value: clusterId"));
        cases.add(new Hostile("tombstone on an event topic", NODE_EVENTS, ID, null, Map.of(), "invalid value"));
        for (String cidr : List.of("10.0.0.0", "10.0.0.0/", "/16", "10.0.0.0/33", "10.0.0.1/16", "10.0.0.256/16",
                "010.0.0.0/16", "10.0.0.0/016", "10.0.0/16", "10.0.0.0.0/16", " 10.0.0.0/16", "::1/128",
                "１０.0.0.0/16", "10.0.0.0/16\n", "")) {
            cases.add(new Hostile("malformed CIDR '" + cidr.replace("\n", "\\n") + "'", PROFILES, ID,
                    withServiceCidr(cidr), Map.of(), "invalid value: networkProfile.serviceCidr"));
        }
        cases.add(new Hostile("Unicode backend IP (fullwidth digits)", LB_METRICS, ID, Profiles.sample(ID, at,
                "１０.240.0.4", 2400, 5, 0), Map.of(), "invalid value: backendIp"));
        cases.add(new Hostile("CloudEvents content type, garbage value", LB_METRICS, ID, "\u0007{not json at all",
                Map.of("content-type", CLOUDEVENTS, "ce_specversion", "1.0"), "malformed JSON"));
        cases.add(new Hostile("CloudEvents content type, empty value", NODE_EVENTS, ID, "",
                Map.of("content-type", CLOUDEVENTS), "invalid value"));
        return cases;
    }

    private static String padded(ObjectNode profile, String unit, int units) {
        profile.put("padding", unit.repeat(units));
        return profile.toString();
    }

    /**
     * Production settings name a broker and nothing else: the laptop parts (the in-JVM broker, the demo feed, whose
     * made-up clusters would land on real topics) stay off without a setting of their own.
     */
    @Test
    void theEmbeddedBrokerAndTheDemoFeedStayOffWhenABrokerIsNamed() {
        String log = service.logText();
        assertTrue(log.contains("Kafka clients connect to " + broker.bootstrapServers()), log);
        assertFalse(log.contains("Embedded Kafka broker"), log);
        assertFalse(log.contains("Demo feed on"), log);
    }

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonAndTheStreamFlows() {
        Instant started = Instant.now();
        RecordMetadata first = kafka.send(PROFILES, ID, profile().toString());
        await("the valid profile's recommendation").atMost(Duration.ofSeconds(60))
                .until(() -> service.status("/api/v1/clusters/" + ID) == 200);

        Map<String, Hostile> byOrigin = new LinkedHashMap<>();
        for (Hostile hostile : kafkaCases()) {
            RecordMetadata sent = kafka.send(hostile.topic(), hostile.key(), hostile.value(), hostile.headers());
            byOrigin.put(origin(sent.topic(), sent.partition(), sent.offset()), hostile);
        }
        // After them, on the same partitions: a sample and a node event of the same cluster, and one sent with the
        // CloudEvents content type, which the connector would try (and fail) to parse if its CloudEvents support were on.
        String unicodeId = "hostile-クラスター-ñ-🚀";
        kafka.send(LB_METRICS, ID, Profiles.sample(ID, at, "10.240.0.4", 2400, 700, 0), Map.of("content-type",
                CLOUDEVENTS));
        kafka.send(NODE_EVENTS, ID, Profiles.nodeAdded(ID, at, "node-ok", "nodepool1", "10.240.0.4"));
        ObjectNode unicode = Profiles.vector("manual-2400-floor", unicodeId);
        unicode.put("name", "クラスター «ñ» 🚀 \u202Eevil");
        kafka.send(PROFILES, unicodeId, unicode.toString());

        List<String> missing = new ArrayList<>(byOrigin.keySet());
        List<ConsumerRecord<String, String>> dead;
        try {
            dead = kafka.consumeUntil("aks.dead-letter", all -> {
                missing.clear();
                byOrigin.keySet().stream().filter(key -> all.stream().noneMatch(r -> origin(r).equals(key)))
                        .forEach(missing::add);
                return missing.isEmpty();
            }, Duration.ofSeconds(90));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("never dead-lettered: " + missing.stream().map(key -> byOrigin.get(key).name())
                    .toList(), e);
        }
        List<String> wrong = new ArrayList<>();
        for (ConsumerRecord<String, String> letter : dead) {
            Hostile hostile = byOrigin.get(origin(letter));
            if (hostile == null) {
                continue;
            }
            String reason = KafkaTestClient.header(letter, "dead-letter-reason");
            if (reason == null || !reason.startsWith(hostile.reason())) {
                wrong.add(hostile.name() + ": reason '" + reason + "', expected '" + hostile.reason() + "...'");
            }
            if (hostile.key() != null && hostile.key().length() > 4096) {
                assertEquals("true", KafkaTestClient.header(letter, "dead-letter-key-truncated"), hostile.name());
                assertTrue(hostile.key().startsWith(letter.key()) && letter.value().equals(hostile.value()),
                        hostile.name() + ": the dead letter keeps the key's first bytes and the whole value");
            }
            if (hostile.reason().equals("oversized")) {
                assertEquals("true", KafkaTestClient.header(letter, "dead-letter-truncated"), hostile.name());
                assertTrue(letter.serializedValueSize() <= 1024 * 1024 && hostile.value().startsWith(letter.value())
                        && !letter.value().isEmpty(), hostile.name() + ": the dead letter keeps the first bytes only");
            }
        }
        assertEquals(List.of(), wrong);
        long lettersOfCases = dead.stream().filter(r -> byOrigin.containsKey(origin(r))).count();
        assertEquals(byOrigin.size(), lettersOfCases, "one dead letter per hostile record");

        await("the valid records after them processed").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode cluster = FaultWorkload.tree(service.get("/api/v1/clusters/" + ID).body());
            assertEquals(1, cluster.path("trackedBackends").asInt(), cluster.toString());
            assertEquals(1, cluster.path("trackedNodes").asInt(), cluster.toString());
            assertEquals(700, cluster.path("plan").path("snat").path("demandPortsPerNode").asInt(), cluster.toString());
            assertEquals(200, service.status("/api/v1/clusters/" + URLEncoder.encode(unicodeId, StandardCharsets.UTF_8)
                    .replace("+", "%20")));
        });
        JsonNode unicodePlan = FaultWorkload.tree(service.get("/api/v1/clusters/"
                + URLEncoder.encode(unicodeId, StandardCharsets.UTF_8)).body());
        assertEquals(unicodeId, unicodePlan.path("clusterId").asText());
        assertEquals(200, service.status("/q/health/ready"), "readiness stays up");
        assertEquals(200, service.status("/q/health/live"));

        long valid = 4;
        String line = String.format("RELIABILITY hostile-kafka: sent=%d (hostile %d, valid %d) consumed=%d"
                + " dead-lettered=%d (all with the expected reason) valid-processed=%d lost=0 ready=200 took=%ds",
                byOrigin.size() + valid, byOrigin.size(), valid,
                (long) service.counter("aks_headroom_records_consumed_total"), lettersOfCases, valid,
                Duration.between(started, Instant.now()).toSeconds());
        report(line);
        assertNotNull(first);
    }

    private static String origin(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private static String origin(ConsumerRecord<String, String> letter) {
        return origin(KafkaTestClient.header(letter, "dead-letter-topic"), Integer.parseInt(KafkaTestClient.header(
                letter, "dead-letter-partition")), Long.parseLong(KafkaTestClient.header(letter, "dead-letter-offset")));
    }

    // ---- the API ----

    /** One hostile body and the status it must get; 400s must be problem documents. */
    private record Body(String name, String json, int status) {
    }

    private List<Body> apiCases() {
        List<Body> cases = new ArrayList<>();
        String valid = PlanVectors.valid().get(0).get("profile").toString();
        cases.add(new Body("empty body", "", 400));
        cases.add(new Body("JSON null", "null", 400));
        cases.add(new Body("JSON array", "[]", 400));
        cases.add(new Body("malformed JSON", "{\"name\": ", 400));
        cases.add(new Body("truncated profile", valid.substring(0, valid.length() / 2), 400));
        cases.add(new Body("wrong type", valid.replace("\"count\":48", "\"count\":\"many\""), 400));
        cases.add(new Body("NaN", valid.replace("\"count\":48", "\"count\":NaN"), 400));
        cases.add(new Body("Infinity", valid.replace("\"count\":48", "\"count\":Infinity"), 400));
        cases.add(new Body("negative count", valid.replace("\"count\":48", "\"count\":-48"), 400));
        cases.add(new Body("huge count", valid.replace("\"count\":48", "\"count\":99999999999999999999999"), 400));
        cases.add(new Body("1e400", valid.replace("\"count\":48", "\"count\":1e400"), 400));
        cases.add(new Body("a number of 5,000 digits", valid.replace("\"count\":48", "\"count\":" + "9".repeat(5_000)),
                400));
        cases.add(new Body("nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000), 400));
        cases.add(new Body("10 MB of truncated JSON", "{\"name\":\"" + "x".repeat(TEN_MB), 400));
        cases.add(new Body("10 MB of nesting", "[".repeat(TEN_MB), 400));
        // Past the HTTP layer's 10 MiB body limit: refused before any parsing, as too large.
        cases.add(new Body("11 MB body", "{\"name\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}", 413));
        for (String cidr : List.of("10.0.0.0", "10.0.0.0/33", "10.0.0.1/16", "010.0.0.0/16", "10.0.0.0/016", "::1/128",
                "１０.0.0.0/16", "")) {
            cases.add(new Body("malformed CIDR '" + cidr + "'", valid.replace("\"serviceCidr\":\"10.0.0.0/16\"",
                    "\"serviceCidr\":\"" + cidr + "\""), 400));
        }
        cases.add(new Body("Unicode name", valid.replace("\"name\":\"c1\"", "\"name\":\"クラスター «ñ» 🚀\""), 200));
        return cases;
    }

    @Test
    void everyHostileBodyGetsAProblemAnswerNeverA5xx() {
        List<String> wrong = new ArrayList<>();
        int problems = 0;
        for (Body body : apiCases()) {
            ServiceProcess.Response response = service.post("/api/v1/plan", "application/json", body.json());
            if (response.status() != body.status()) {
                wrong.add(body.name() + ": " + response.status() + " " + abbreviate(response.body()));
                continue;
            }
            if (body.status() == 400) {
                JsonNode problem = FaultWorkload.tree(response.body());
                if (!response.contentType().startsWith("application/problem+json") || !problem.has("field")
                        || problem.path("status").asInt() != 400) {
                    wrong.add(body.name() + ": not a problem naming a field: " + response.contentType() + " "
                            + abbreviate(response.body()));
                }
                problems++;
            }
            if (body.status() == 413 && (!response.contentType().startsWith("application/problem+json")
                    || !FaultWorkload.tree(response.body()).path("detail").asText().contains("10485760 bytes"))) {
                wrong.add(body.name() + ": not a problem naming the limit: " + response.contentType() + " "
                        + abbreviate(response.body()));
            }
        }
        // Beside the plan: odd ids and filters are 404 and 400 problems too.
        for (String path : List.of("/api/v1/clusters/" + URLEncoder.encode("クラスター\u0000'--", StandardCharsets.UTF_8),
                "/api/v1/clusters/" + "x".repeat(4_000), "/api/v1/alerts?severity=%F0%9F%9A%80")) {
            ServiceProcess.Response response = service.get(path);
            if (response.status() >= 500 || response.status() < 400) {
                wrong.add(path.substring(0, Math.min(60, path.length())) + ": " + response.status());
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(200, service.status("/q/health/ready"));
        report(String.format("RELIABILITY hostile-api: requests=%d problem-400s=%d 413s=1 5xx=0",
                apiCases().size() + 3, problems));
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static void report(String line) {
        System.out.println(line);
        FaultHarness.figures(line);
    }
}
