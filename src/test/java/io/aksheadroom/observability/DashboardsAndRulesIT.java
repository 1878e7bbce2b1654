package io.aksheadroom.observability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Profiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules against a real Prometheus scraping the packaged service: {@code java -jar} with its
 * embedded broker and demo feed (cluster {@code demo-westeurope} scaling 3 -> 60 nodes), Debian's {@code prometheus}
 * scraping it every second with the rule file loaded. Every query of every panel, with the template variables
 * filled in, must return data through {@code /api/v1/query}; so must every alert expression, or, while its condition
 * does not hold, each operand of its comparisons (the expression without its threshold), so that the rule can fire.
 *
 * <p>The demo covers the SNAT and subnet figures; two clusters from the public vectors are published onto the
 * profiles topic for what it never shows: an overlay pod CIDR too small for the plan (PodCidrExhausted, and its
 * autoscaling pool's maxCount above the ceiling: AutoscalerCeilingExceeded) and a DNS service IP that breaks NET-2
 * (NetworkPlanInvalid), and two more that break IP-11 and NET-5, whose alert is NetworkPlanInvalid too. One malformed
 * record gives the dead-letter panel its series.
 * The demo's phases (default allocation, tier drop, exhaustion, the fix) change every few seconds, so each query is
 * asked again until it has returned data once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardsAndRulesIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path LOGS = Path.of("target/it-logs");
    private static final String DEMO_CLUSTER = "demo-westeurope";
    private static final String DEMO_POOL = "nodepool1";
    /** Grafana's variables as the check fills them in: the demo's cluster and pool, a rate window of many scrapes. */
    private static final Map<String, String> VARIABLES = Map.of("cluster", DEMO_CLUSTER, "pool", DEMO_POOL,
            "__rate_interval", "30s", "__interval", "5s", "__range", "5m", "datasource", "prometheus");
    private static final Duration STARTUP = Duration.ofSeconds(120);
    /** The demo loops through its story in 12.5 s at the tick set below; every figure shows within two loops. */
    private static final Duration DATA = Duration.ofSeconds(60);
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*([A-Za-z_]\\w*)\\)\\s*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process service;
    private Process prometheus;
    private Path workDirectory;
    private int servicePort;
    private int prometheusPort;

    @BeforeAll
    void startTheServiceAndPrometheus() throws IOException {
        Path prometheusBinary = PrometheusBinaries.require("prometheus");
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: this test runs in 'verify', after 'package'");
        Files.createDirectories(LOGS);
        workDirectory = Files.createTempDirectory("aks-headroom-prometheus-");
        servicePort = freePort();
        int brokerPort = freePort();
        prometheusPort = freePort();

        service = new ProcessBuilder(javaBinary(), "-Xmx512m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + servicePort, "-Daks-headroom.embedded-broker.port=" + brokerPort,
                "-Daks-headroom.demo.tick=0.25s",
                // Prometheus asks for gzip on every scrape: every panel below then reads the compressed exposition.
                "-Daks-headroom.metrics.gzip-level=1", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("aks-headroom.log").toFile()).start();

        Path config = workDirectory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                - %s
                scrape_configs:
                - job_name: aks-headroom
                  metrics_path: /q/metrics
                  static_configs:
                  - targets: ['127.0.0.1:%d']
                """.formatted(AlertRules.FILE.toAbsolutePath(), servicePort));
        prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + workDirectory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("prometheus.log").toFile()).start();

        await("the service's fleet series on /q/metrics (log: " + LOGS.resolve("aks-headroom.log") + ")")
                .atMost(STARTUP).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get("http://127.0.0.1:" + servicePort + "/q/metrics").contains("aks_headroom_cluster_info{"));

        try (KafkaTestClient kafka = new KafkaTestClient("localhost:" + brokerPort)) {
            kafka.send("aks.cluster-profiles", "it-overlay-small-podcidr",
                    Profiles.vector("overlay-podcidr-slash22", "it-overlay-small-podcidr").toString());
            kafka.send("aks.cluster-profiles", "it-dns-first-address",
                    Profiles.vector("dns-ip-first-address", "it-dns-first-address").toString());
            for (String vector : List.of("v2-maxpods-under-30", "v2-reserved-pod-cidr")) {
                kafka.send("aks.cluster-profiles", "it-" + vector, Profiles.vector(vector, "it-" + vector).toString());
            }
            kafka.send("aks.lb-metrics", "it-garbage", "this is not JSON");
        }

        await("Prometheus scraping the service (log: " + LOGS.resolve("prometheus.log") + ")").atMost(STARTUP)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> hasData("up{job=\"aks-headroom\"} == 1"));
    }

    @AfterAll
    void stop() throws IOException {
        stop(prometheus);
        stop(service);
        if (workDirectory != null) {
            try (var files = Files.walk(workDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void prometheusLoadsEveryRuleAndEvaluatesItWithoutError() {
        await().atMost(DATA).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            JsonNode groups = api("/api/v1/rules").path("data").path("groups");
            List<String> rules = new ArrayList<>();
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    assertEquals("ok", rule.path("health").asText(), rule.toString());
                    assertTrue(rule.path("lastEvaluation").asText().compareTo("2000") > 0, "evaluated: " + rule);
                    rules.add(rule.path("name").asText());
                }
            }
            // Prometheus lists the groups by name, not in file order.
            assertEquals(AlertRules.all().stream().map(AlertRules.Rule::alert).sorted().toList(),
                    rules.stream().sorted().toList());
        });
    }

    @Test
    void everyPanelOfTheFleetOverviewReturnsData() {
        everyQueryReturnsData(Dashboards.DIRECTORY.resolve("aks-headroom-fleet.json"));
        System.out.println("Scrape of the demo: " + api("/api/v1/query?query="
                + encode("{__name__=~\"scrape_duration_seconds|scrape_samples_scraped\", job=\"aks-headroom\"}"))
                .path("data").path("result"));
    }

    @Test
    void theServiceAnswersPrometheusWithGzip() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort
                + "/q/metrics")).header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse("none"));
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(text.contains("aks_headroom_cluster_info{cluster=\"" + DEMO_CLUSTER + "\""), text);
        assertTrue(hasData("up{job=\"aks-headroom\"} == 1"), "Prometheus reads the compressed scrape");
    }

    @Test
    void everyPanelOfTheClusterDetailReturnsData() {
        everyQueryReturnsData(Dashboards.DIRECTORY.resolve("aks-headroom-cluster.json"));
    }

    @Test
    void theTemplateVariablesOfferTheDemoClusterAndPool() {
        Map<String, String> expected = Map.of("cluster", DEMO_CLUSTER, "pool", DEMO_POOL);
        List<String> pending = new ArrayList<>();
        for (Path file : Dashboards.files()) {
            for (JsonNode variable : Dashboards.variables(Dashboards.read(file))) {
                if (variable.path("type").asText().equals("query")) {
                    pending.add(variable.path("name").asText() + "=" + variable.path("query").asText());
                }
            }
        }
        assertTrue(pending.size() >= 2, "the cluster detail has cluster and pool variables: " + pending);
        eventually("template variables", pending, entry -> {
            String name = entry.substring(0, entry.indexOf('='));
            Matcher call = LABEL_VALUES.matcher(entry.substring(entry.indexOf('=') + 1));
            assertTrue(call.matches(), "label_values(selector, label): " + entry);
            String selector = PromQl.substitute(call.group(1), VARIABLES);
            JsonNode values = api("/api/v1/label/" + call.group(2) + "/values?match[]=" + encode(selector));
            return values.path("data").toString().contains("\"" + expected.get(name) + "\"");
        });
    }

    @Test
    void everyAlertExpressionReturnsDataOrItsOperandsDo() {
        Set<String> firing = new LinkedHashSet<>();
        // Conditions the demo and the published clusters really meet: these rules must be seen to fire. The demo's
        // phases come and go, so each of them is asked again until it fires, not only until its operands exist.
        Set<String> mustFire = Set.of("PodCidrExhausted/critical", "NetworkPlanInvalid/critical",
                "SnatExhaustionProjected/critical", "AutoscalerCeilingExceeded/warning");
        List<AlertRules.Rule> rules = AlertRules.all();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            pending.add(i + " " + rules.get(i).alert() + "/" + rules.get(i).severity());
        }
        eventually("alert expressions", pending, index -> {
            AlertRules.Rule rule = rules.get(Integer.parseInt(index.substring(0, index.indexOf(' '))));
            if (hasData(rule.expr())) {
                firing.add(rule.alert() + "/" + rule.severity());
                return true;
            }
            if (mustFire.contains(rule.alert() + "/" + rule.severity())) {
                return false;
            }
            // The condition does not hold now: then the figures it compares must exist, or it never could.
            List<String> operands = PromQl.operands(rule.expr());
            assertTrue(operands.size() >= 1, rule.expr());
            return operands.stream().allMatch(this::hasData);
        });
        System.out.println("Alert expressions seen firing: " + firing + "; the others returned data for each operand");
        assertTrue(firing.containsAll(mustFire), "firing: " + firing);
    }

    /**
     * The rules of capacity model v2 that raise NetworkPlanInvalid, each under its own rule label, and a pool's CAP-1
     * ceiling as its public vector states it, from the profile on Kafka to a query of Prometheus.
     */
    @Test
    void capacityV2FindingsAndTheCeilingReachPrometheus() {
        String alert = "ALERTS{alertname=\"NetworkPlanInvalid\", alertstate=\"firing\", cluster=\"%s\", rule=\"%s\"}";
        eventually("capacity v2 in Prometheus", new ArrayList<>(List.of(
                alert.formatted("it-v2-maxpods-under-30", "IP-11"),
                alert.formatted("it-v2-reserved-pod-cidr", "NET-5"),
                "aks_headroom_pool_max_count_ceiling{cluster=\"it-v2-maxpods-under-30\", pool=\"nodepool1\"} == 20")),
                this::hasData);
    }

    /** The overlay vector's pool may autoscale to 4 where its pod CIDR holds 3 and a surge node: the alert names it. */
    @Test
    void anAutoscalerPastItsCeilingFiresForItsPool() {
        eventually("AutoscalerCeilingExceeded in Prometheus", new ArrayList<>(List.of(
                "ALERTS{alertname=\"AutoscalerCeilingExceeded\", alertstate=\"firing\", severity=\"warning\", "
                        + "cluster=\"it-overlay-small-podcidr\", pool=\"nodepool1\"}",
                "aks_headroom_pool_max_count{cluster=\"it-overlay-small-podcidr\", pool=\"nodepool1\"} == 4")),
                this::hasData);
    }

    private void everyQueryReturnsData(Path dashboard) {
        List<Dashboards.Query> queries = Dashboards.queries(Dashboards.read(dashboard));
        Map<String, Dashboards.Query> byKey = new LinkedHashMap<>();
        queries.forEach(query -> byKey.put(query.toString(), query));
        eventually(dashboard.getFileName().toString(), new ArrayList<>(byKey.keySet()),
                key -> hasData(PromQl.substitute(byKey.get(key).expr(), VARIABLES)));
    }

    /** Asks each pending item until it answers true once; fails naming those that never did. */
    private void eventually(String what, List<String> pending, Predicate<String> answered) {
        List<String> left = new ArrayList<>(pending);
        try {
            await(what).atMost(DATA).pollInterval(Duration.ofSeconds(1)).until(() -> {
                left.removeIf(answered);
                return left.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            fail(what + ": " + left.size() + " of " + pending.size() + " never returned data within " + DATA
                    + ":\n  " + String.join("\n  ", left));
        }
    }

    private boolean hasData(String expr) {
        JsonNode answer = api("/api/v1/query?query=" + encode(expr));
        assertEquals("success", answer.path("status").asText(), expr + ": " + answer);
        JsonNode result = answer.path("data").path("result");
        return switch (answer.path("data").path("resultType").asText()) {
            case "vector", "matrix" -> !result.isEmpty();
            default -> !result.isMissingNode();
        };
    }

    private JsonNode api(String pathAndQuery) {
        String body = get("http://127.0.0.1:" + prometheusPort + pathAndQuery);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
