package io.aksheadroom.azuremonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.LB_NEU;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.LB_WEU1;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.LB_WEU2;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.NAT_GATEWAY;
import static io.aksheadroom.azuremonitor.LocalAzureTargets.SUB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.aksheadroom.azuremonitor.model.NatGatewayAggregation;
import io.aksheadroom.azuremonitor.model.SnatAggregation;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.json.OutgoingRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.discovery.DiscoveredTargets;
import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.KafkaTestClient;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The real Azure Monitor query SDK against a local Azure speaking the batch metrics and token REST shapes. */
@QuarkusTest
@TestProfile(LocalAzureTargets.class)
class AzureMonitorPollerTest {

    static final String LB = "Microsoft.Network/loadBalancers";
    static final String NAT = "Microsoft.Network/natGateways";
    static final String PORTS = "AllocatedSnatPorts,UsedSnatPorts";
    static final String START = "2026-11-26T10:00:00Z";
    static final String BATCH_PATH = "/subscriptions/" + SUB + "/metrics:getBatch";
    /** Settle 2m, lookback 5m: this poll asks for [10:00, 10:05) and publishes minutes 10:00 to 10:04. */
    static final Instant NOW = Instant.parse("2026-11-26T10:07:30Z");
    static final Instant T3 = Instant.parse("2026-11-26T10:03:00Z");
    /** The poller reads its clock only when scheduled; these tests call pollOnce with their own instants. */
    static final java.time.Clock PINNED = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);

    @AzureMonitorServer.Injected
    WireMockServer azure;

    @Inject
    AzureMonitorConfig config;
    @Inject
    Instance<AzureMonitorMetrics> monitor;
    @Inject
    SamplePublisher publisher;
    @Inject
    PublishedMinutes published;
    @Inject
    MeterRegistry registry;
    @Inject
    AzureMonitorHealth health;
    @Inject
    TopicsConfig topics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TopicTail lbMetrics;
    TopicTail natgwMetrics;

    @BeforeEach
    void reset() {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        lbMetrics = new TopicTail(bootstrapServers, topics.lbMetrics());
        natgwMetrics = new TopicTail(bootstrapServers, topics.natgwMetrics());
    }

    @AfterEach
    void close() {
        lbMetrics.close();
        natgwMetrics.close();
    }

    /** A poller with no history: each test starts from a fresh start of the service. */
    AzureMonitorPoller poller() {
        return new AzureMonitorPoller(config, monitor, publisher, published, registry, health, PINNED);
    }

    static MappingBuilder batch(String metricNames, String resourceId) {
        return post(urlPathEqualTo(BATCH_PATH)).withQueryParam("metricnames", equalTo(metricNames))
                .withRequestBody(containing(resourceId));
    }

    static Map<String, String> ports(String backend, String frontend, String protocol, boolean awaitingRemoval) {
        return Map.of(SnatAggregation.BACKEND, backend, SnatAggregation.FRONTEND, frontend, SnatAggregation.PROTOCOL,
                protocol, SnatAggregation.AWAITING_REMOVAL, awaitingRemoval ? "True" : "False");
    }

    /** What this test put on the topic, as {@code key value}, sorted. */
    static List<String> published(TopicTail topic) {
        return topic.records().stream().map(r -> r.key() + " " + r.value()).sorted().toList();
    }

    /** One TCP backend of one load balancer, 1024 ports allocated and {@code used} per minute from 10:00. */
    static String oneBackend(String resourceId, String backend, Double... used) {
        BatchAnswer.Metric allocated = BatchAnswer.window(Instant.parse(START), NOW).resource(resourceId, LB)
                .metric(SnatAggregation.ALLOCATED);
        Double[] ports = new Double[used.length];
        java.util.Arrays.fill(ports, 1024.0);
        return allocated.series(ports(backend, "20.1.1.1", "TCP", false), "average", ports)
                .and().metric(SnatAggregation.USED).series(ports(backend, "20.1.1.1", "TCP", false), "average", used)
                .done().json();
    }

    List<LoggedRequest> calls(String metricNames, String resourceId) {
        List<LoggedRequest> calls = new java.util.ArrayList<>(azure.findAll(postRequestedFor(urlPathEqualTo(BATCH_PATH))
                .withQueryParam("metricnames", equalTo(metricNames)).withRequestBody(containing(resourceId))));
        calls.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return calls;
    }

    double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aMultiBackendAnswerBecomesOneSamplePerBackendProtocolAndMinute() {
        String portsAnswer = BatchAnswer.window(T3, T3.plusSeconds(180))
                .resource(LB_WEU1, LB)
                .metric(SnatAggregation.ALLOCATED)
                .series(ports("10.224.0.4", "20.1.1.1", "TCP", false), "average", 1024.0, 1024.0, 1024.0)
                .series(ports("10.224.0.4", "20.1.1.2", "TCP", false), "average", 1024.0, 1024.0, 1024.0)
                .series(ports("10.224.0.4", "20.1.1.1", "UDP", false), "average", 1024.0, 1024.0, 1024.0)
                .series(ports("10.224.0.5", "20.1.1.1", "TCP", false), "average", 1024.0, null, 1024.0)
                .series(ports("10.224.0.9", "20.1.1.1", "TCP", true), "average", 1024.0, 1024.0, 1024.0)
                .and().metric(SnatAggregation.USED)
                .series(ports("10.224.0.4", "20.1.1.1", "TCP", false), "average", 1500.0, 1900.0, 10.0)
                .series(ports("10.224.0.4", "20.1.1.2", "TCP", false), "average", 0.0, 40.0, 0.0)
                .series(ports("10.224.0.4", "20.1.1.1", "UDP", false), "average", 3.0, 3.0, 3.0)
                .series(ports("10.224.0.5", "20.1.1.1", "TCP", false), "average", 12.0, null, 12.0)
                .series(ports("10.224.0.9", "20.1.1.1", "TCP", true), "average", 1024.0, 1024.0, 1024.0)
                .done()
                .resource(LB_WEU2.toLowerCase(), LB)
                .metric(SnatAggregation.ALLOCATED).series(ports("10.225.0.4", "20.2.2.2", "TCP", false), "average", 64.0)
                .and().metric(SnatAggregation.USED).series(ports("10.225.0.4", "20.2.2.2", "TCP", false), "average", 60.4)
                .done().json();
        String failedAnswer = BatchAnswer.window(T3, T3.plusSeconds(180))
                .resource(LB_WEU1, LB).metric(SnatAggregation.CONNECTIONS)
                .series(Map.of(SnatAggregation.BACKEND, "10.224.0.4", SnatAggregation.CONNECTION_STATE, "Failed"),
                        "total", 0.0, 3.0, null)
                .done().resource(LB_WEU2, LB).metric(SnatAggregation.CONNECTIONS).done().json();
        azure.stubFor(batch("AllocatedSnatPorts,UsedSnatPorts", LB_WEU1).willReturn(okJson(portsAnswer)));
        azure.stubFor(batch("SnatConnectionCount", LB_WEU1).willReturn(okJson(failedAnswer)));

        AzureMonitorPoller.PollReport report = poller().pollOnce(NOW);

        // One record per load balancer and minute, its backends in the order Azure gave them, failures where known.
        String weu1 = "\"loadBalancer\":\"" + LB_WEU1 + "\",\"samples\":[";
        String weu2 = "\"loadBalancer\":\"" + LB_WEU2 + "\",\"samples\":[";
        assertEquals(List.of(
                "weu-1 {\"clusterId\":\"weu-1\",\"at\":\"2026-11-26T10:03:00Z\"," + weu1
                        + "{\"backendIp\":\"10.224.0.4\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":2048,\"usedSnatPorts\":1500,\"failedConnections\":0},"
                        + "{\"backendIp\":\"10.224.0.4\",\"protocol\":\"UDP\",\"allocatedSnatPorts\":1024,\"usedSnatPorts\":3},"
                        + "{\"backendIp\":\"10.224.0.5\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":1024,\"usedSnatPorts\":12,\"failedConnections\":0}]}",
                "weu-1 {\"clusterId\":\"weu-1\",\"at\":\"2026-11-26T10:04:00Z\"," + weu1
                        + "{\"backendIp\":\"10.224.0.4\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":2048,\"usedSnatPorts\":1940,\"failedConnections\":3},"
                        + "{\"backendIp\":\"10.224.0.4\",\"protocol\":\"UDP\",\"allocatedSnatPorts\":1024,\"usedSnatPorts\":3}]}",
                "weu-2 {\"clusterId\":\"weu-2\",\"at\":\"2026-11-26T10:03:00Z\"," + weu2
                        + "{\"backendIp\":\"10.225.0.4\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":64,\"usedSnatPorts\":60,\"failedConnections\":0}]}"),
                published(lbMetrics));
        assertEquals(6, report.snatPublished(), "counted in samples, not records");
        for (ConsumerRecord<String, String> record : lbMetrics.records()) {
            assertEquals("aks-headroom.lb-metrics.v1", KafkaTestClient.header(record, "ce_type"));
            // Named by its load balancer, minute and content, so one sent again after a failed acknowledgement is
            // known for the same.
            LoadBalancerMinute minute = EventJson.parseMinute(read(record.value()));
            assertEquals(minute.clusterId() + "/" + minute.loadBalancer() + "/" + minute.at() + "/"
                    + OutgoingRecords.digest(record.value()), KafkaTestClient.header(record, "ce_id"));
            assertEquals(minute.at().toString(), KafkaTestClient.header(record, "ce_time"), "event time");
            assertEquals(minute.clusterId(), KafkaTestClient.header(record, "ce_subject"));
        }
        // The other calls (North Europe, the NAT gateway) got the local Azure's empty default answer.
        assertEquals(Map.of("awaiting_removal", 2, "resource_missing", 4), report.skipped());

        // The request Azure would see: one call for both West Europe load balancers, every series asked for.
        List<LoggedRequest> calls = azure.findAll(postRequestedFor(urlPathEqualTo(BATCH_PATH))
                .withQueryParam("metricnames", equalTo("AllocatedSnatPorts,UsedSnatPorts"))
                .withRequestBody(containing(LB_WEU1)));
        assertEquals(1, calls.size());
        LoggedRequest call = calls.get(0);
        assertEquals("Bearer token-from-local-azure-ad", call.getHeader("Authorization"));
        assertEquals(LB, call.queryParameter("metricnamespace").firstValue());
        assertEquals("PT1M", call.queryParameter("interval").firstValue());
        assertEquals("80", call.queryParameter("top").firstValue(), "10 backends x 2 frontends x 4");
        assertEquals(AzureMonitorPoller.PORTS_FILTER, call.queryParameter("filter").firstValue());
        assertEquals("2026-11-26T10:00Z", call.queryParameter("starttime").firstValue());
        assertEquals("2026-11-26T10:05Z", call.queryParameter("endtime").firstValue());
        azure.verify(postRequestedFor(urlPathEqualTo(BATCH_PATH)).withQueryParam("metricnames",
                equalTo("AllocatedSnatPorts,UsedSnatPorts")).withRequestBody(equalToJson(
                        "{\"resourceids\":[\"" + LB_WEU1 + "\",\"" + LB_WEU2 + "\"]}")));
        // ... with a token the SDK acquired from the token endpoint with the client secret.
        azure.verify(postRequestedFor(urlPathEqualTo(AzureMonitorServer.TOKEN_PATH))
                .withRequestBody(containing("client_secret=local-secret"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("https%3A%2F%2Fmetrics.monitor.azure.com%2F.default")));
        // North Europe is its own call pair (ports, then failed connections): regions are never mixed.
        azure.verify(2, postRequestedFor(urlPathEqualTo(BATCH_PATH)).withRequestBody(containing(LB_NEU)));
        azure.verify(0, postRequestedFor(urlPathEqualTo(BATCH_PATH)).withRequestBody(containing(LB_NEU))
                .withRequestBody(containing(LB_WEU1)));
    }

    @Test
    void throttledThenAnsweredWaitsAsLongAsRetryAfterSays() {
        azure.stubFor(batch(PORTS, LB_WEU1).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"throttled\"}}"))
                .willSetStateTo("answered"));
        azure.stubFor(batch(PORTS, LB_WEU1).inScenario("throttle").whenScenarioStateIs("answered")
                .willReturn(okJson(oneBackend(LB_WEU1, "10.224.0.4", 1.0, 2.0, 3.0, 4.0, 5.0))));
        double throttled = count("aks_headroom_azure_monitor_requests", "status", "429");
        double succeeded = count("aks_headroom_azure_monitor_calls", "outcome", "success", "namespace", LB);

        AzureMonitorPoller.PollReport report = poller().pollOnce(NOW);

        List<LoggedRequest> calls = calls(PORTS, LB_WEU1);
        assertEquals(2, calls.size());
        long waited = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(waited >= 950, "Retry-After: 1 honoured, waited " + waited + " ms");
        assertEquals(5, report.snatPublished());
        assertEquals(0, report.failedCalls());
        assertEquals(throttled + 1, count("aks_headroom_azure_monitor_requests", "status", "429"));
        assertTrue(count("aks_headroom_azure_monitor_calls", "outcome", "success", "namespace", LB) >= succeeded + 2);
        List<Exposition.Series> scraped = Exposition.parse(given().get("/q/metrics").then().statusCode(200)
                .extract().asString()).series;
        assertTrue(scraped.stream().anyMatch(s -> s.name().equals("aks_headroom_azure_monitor_requests_total")
                && s.labels().equals(Map.of("status", "429"))), "the throttled requests on /q/metrics");
        assertTrue(scraped.stream().anyMatch(s -> s.name().equals("aks_headroom_azure_monitor_calls_total")
                && s.labels().equals(Map.of("namespace", LB, "outcome", "success"))), "the calls on /q/metrics");
        assertTrue(scraped.stream().anyMatch(s -> s.name().equals("aks_headroom_azure_monitor_call_duration_seconds_count")),
                "the call duration on /q/metrics");
    }

    @Test
    void aLongRetryAfterIsNotWaitedForButKeepsThoseResourcesAloneUntilThen() {
        azure.stubFor(batch(PORTS, LB_WEU1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        azure.stubFor(batch(PORTS, LB_NEU).willReturn(okJson(oneBackend(LB_NEU, "10.226.0.4", 7.0, 7.0, 7.0, 7.0,
                7.0, 7.0, 7.0))));
        AzureMonitorPoller poller = poller();
        double throttled = count("aks_headroom_azure_monitor_calls", "outcome", "throttled", "namespace", LB);

        AzureMonitorPoller.PollReport first = poller.pollOnce(NOW);
        AzureMonitorPoller.PollReport minuteLater = poller.pollOnce(NOW.plusSeconds(60));
        assertEquals(1, calls(PORTS, LB_WEU1).size(), "not retried inside the poll, not asked again before 120 s");
        AzureMonitorPoller.PollReport afterRetryAfter = poller.pollOnce(NOW.plusSeconds(121));

        assertEquals(2, calls(PORTS, LB_WEU1).size());
        assertEquals(1, first.failedCalls());
        assertEquals(1, minuteLater.skippedBatches());
        assertEquals(0, afterRetryAfter.skippedBatches());
        assertEquals(throttled + 2, count("aks_headroom_azure_monitor_calls", "outcome", "throttled", "namespace", LB));
        // North Europe kept going: 10:00-10:04, then 10:05, then 10:06 (event time, each minute once).
        assertEquals(List.of(5, 1, 1), List.of(first.snatPublished(), minuteLater.snatPublished(),
                afterRetryAfter.snatPublished()));
        assertEquals(3, calls(PORTS, LB_NEU).size());
    }

    @Test
    void discoveredClustersArePolledButAConfiguredClusterIdWinsOverWhatDiscoveryFound() {
        String foundLb = LocalAzureTargets.lb("MC_rg_found_westeurope");
        String shadowedLb = LocalAzureTargets.lb("MC_rg_shadowed_westeurope");
        DiscoveredTargets discovered = new DiscoveredTargets();
        discovered.replace(Map.of(
                "found-1", new DiscoveredTargets.Target("found-1", List.of(foundLb), "westeurope", 3, 1),
                "weu-1", new DiscoveredTargets.Target("weu-1", List.of(shadowedLb), "westeurope", 3, 1)));
        azure.stubFor(batch(PORTS, foundLb).willReturn(okJson(oneBackend(foundLb, "10.227.0.4", 1.0, 2.0, 3.0, 4.0,
                5.0))));

        AzureMonitorPoller.PollReport report = new AzureMonitorPoller(config, monitor, publisher, published, registry,
                health, PINNED, discovered).pollOnce(NOW);

        assertEquals(1, calls(PORTS, foundLb).size(), report.toString());
        assertEquals(1, calls(PORTS, LB_WEU1).size(), "the configured target of weu-1 is polled");
        assertEquals(0, calls(PORTS, shadowedLb).size(), "not what discovery found for weu-1");
        List<String> found = published(lbMetrics).stream().filter(r -> r.startsWith("found-1 ")).toList();
        assertEquals(5, found.size(), published(lbMetrics).toString());
    }

    @Test
    void serverErrorsAreRetriedThenBackedOffWhileOtherTargetsKeepPolling() {
        azure.stubFor(batch(PORTS, LB_WEU1).willReturn(aResponse().withStatus(503)));
        azure.stubFor(batch(PORTS, LB_NEU).willReturn(okJson(oneBackend(LB_NEU, "10.226.0.4", 1.0, 1.0, 1.0, 1.0,
                1.0, 1.0, 1.0, 1.0))));
        AzureMonitorPoller poller = poller();

        List<AzureMonitorPoller.PollReport> reports = new java.util.ArrayList<>();
        List<Integer> weuCalls = new java.util.ArrayList<>();
        for (int minute = 0; minute < 4; minute++) {
            reports.add(poller.pollOnce(NOW.plusSeconds(60L * minute)));
            weuCalls.add(calls(PORTS, LB_WEU1).size());
        }

        // Each failing call: 1 + 2 retries. Failures in a row: 1 -> next poll, 2 -> skip 1 poll, 3 -> skip 3 polls.
        assertEquals(List.of(3, 6, 6, 9), weuCalls);
        assertEquals(List.of(0, 0, 1, 0), reports.stream().map(AzureMonitorPoller.PollReport::skippedBatches).toList());
        assertEquals(List.of(5, 1, 1, 1), reports.stream().map(AzureMonitorPoller.PollReport::snatPublished).toList());
        // Exponential backoff between the retries of one call (100 ms, then about 200 ms).
        List<LoggedRequest> calls = calls(PORTS, LB_WEU1);
        long firstRetries = calls.get(2).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(firstRetries >= 250, "retries were spaced, took " + firstRetries + " ms");
    }

    @Test
    void emptySeriesNullPointsMissingDimensionsAndMetricErrorsAreNoSamplesAndNoFailure() {
        Instant start = Instant.parse(START);
        String portsAnswer = BatchAnswer.window(start, NOW)
                .resource(LB_WEU1, LB)
                .metric(SnatAggregation.ALLOCATED)
                .series(ports("10.224.0.4", "20.1.1.1", "TCP", false), "average", null, null, null, null, 1024.0)
                .series(Map.of(SnatAggregation.PROTOCOL, "TCP"), "average", 1024.0)
                .and().metric(SnatAggregation.USED)
                .series(ports("10.224.0.4", "20.1.1.1", "TCP", false), "average", null, null, null, null, 9.0)
                .done()
                .resource(LB_WEU2, LB).metric(SnatAggregation.ALLOCATED).and().metric(SnatAggregation.USED)
                .done().json();
        String failedAnswer = BatchAnswer.window(start, NOW).resource(LB_WEU1, LB).metric(SnatAggregation.CONNECTIONS)
                .error("InternalServerError", "could not read SnatConnectionCount").done()
                .resource(LB_WEU2, LB).metric(SnatAggregation.CONNECTIONS).done().json();
        azure.stubFor(batch(PORTS, LB_WEU1).willReturn(okJson(portsAnswer)));
        azure.stubFor(batch(SnatAggregation.CONNECTIONS, LB_WEU1).willReturn(okJson(failedAnswer)));

        AzureMonitorPoller.PollReport report = poller().pollOnce(NOW);

        // One minute with data; its failures are unknown (that metric failed), so the field is left out, not 0.
        assertEquals(List.of("weu-1 {\"clusterId\":\"weu-1\",\"at\":\"2026-11-26T10:04:00Z\",\"loadBalancer\":\""
                + LB_WEU1 + "\",\"samples\":[{\"backendIp\":\"10.224.0.4\",\"protocol\":\"TCP\","
                + "\"allocatedSnatPorts\":1024,\"usedSnatPorts\":9}]}"),
                published(lbMetrics));
        assertEquals(0, report.failedCalls());
        assertEquals(1, report.skipped().get("metric_error"));
        assertEquals(1, report.skipped().get("no_backend"));
    }

    @Test
    void aSlowAnswerTimesOutWithoutHoldingUpTheOtherCalls() {
        azure.stubFor(batch(PORTS, LB_WEU1).willReturn(okJson("{\"values\":[]}").withFixedDelay(6_000)));
        azure.stubFor(batch(PORTS, LB_NEU).willReturn(okJson(oneBackend(LB_NEU, "10.226.0.4", 1.0, 1.0, 1.0, 1.0,
                1.0))));
        double timeouts = count("aks_headroom_azure_monitor_calls", "outcome", "timeout", "namespace", LB);

        long started = System.nanoTime();
        AzureMonitorPoller.PollReport report = poller().pollOnce(NOW);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(timeouts + 1, count("aks_headroom_azure_monitor_calls", "outcome", "timeout", "namespace", LB));
        assertEquals(1, calls(PORTS, LB_WEU1).size(), "a timeout is left to the next poll, not retried at once");
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the call-timeout of 2 s cut it short: " + took);
        assertEquals(5, report.snatPublished(), "North Europe was still asked");
    }

    @Test
    void natGatewayMinutesArePerGatewayAndKeyedByCluster() {
        Instant start = Instant.parse("2026-11-26T10:03:00Z");
        String failedAnswer = BatchAnswer.window(start, NOW).resource(NAT_GATEWAY, NAT)
                .metric(NatGatewayAggregation.SNAT_CONNECTIONS)
                .series(Map.of("Protocol", "TCP", "ConnectionState", "Failed"), "total", 0.0, 12.0)
                .series(Map.of("Protocol", "UDP", "ConnectionState", "Failed"), "total", 0.0, 1.0).done().json();
        String totalsAnswer = BatchAnswer.window(start, NOW).resource(NAT_GATEWAY, NAT)
                .metric(NatGatewayAggregation.TOTAL_CONNECTIONS)
                .series(Map.of("Protocol", "TCP"), "total", 51000.0, 64000.0)
                .and().metric(NatGatewayAggregation.PACKET_DROPS).series(Map.of(), "total", 0.0, 40.0).done().json();
        azure.stubFor(batch(NatGatewayAggregation.SNAT_CONNECTIONS, NAT_GATEWAY)
                .withQueryParam("filter", equalTo("ConnectionState eq 'Failed'")).willReturn(okJson(failedAnswer)));
        azure.stubFor(batch("TotalConnectionCount,PacketDropCount", NAT_GATEWAY)
                .withQueryParam("aggregation", matching("(?i)total")).willReturn(okJson(totalsAnswer)));

        AzureMonitorPoller.PollReport report = poller().pollOnce(NOW);

        assertEquals(List.of(
                "nat-1 {\"clusterId\":\"nat-1\",\"at\":\"2026-11-26T10:03:00Z\",\"resourceId\":\"" + NAT_GATEWAY
                        + "\",\"failedConnections\":0,\"totalConnections\":51000,\"packetDrops\":0}",
                "nat-1 {\"clusterId\":\"nat-1\",\"at\":\"2026-11-26T10:04:00Z\",\"resourceId\":\"" + NAT_GATEWAY
                        + "\",\"failedConnections\":13,\"totalConnections\":64000,\"packetDrops\":40}"),
                published(natgwMetrics));
        assertEquals(2, report.natGatewayPublished());
    }

    @Test
    void aRestartedPollerReadsTheTopicBackAndPublishesNoMinuteTwice() {
        // Real time here: the restart finds what was published by broker timestamp.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(30);
        Instant first = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(7 * 60);
        BatchAnswer.Metric allocated = BatchAnswer.window(first, now).resource(LB_WEU1, LB)
                .metric(SnatAggregation.ALLOCATED);
        // A backend no other test uses, so their records on the shared topic cannot stand in for these.
        Map<String, String> backend = ports("10.224.9.9", "20.1.1.1", "TCP", false);
        azure.stubFor(batch(PORTS, LB_WEU1).willReturn(okJson(allocated
                .series(backend, "average", 1024.0, 1024.0, 1024.0, 1024.0, 1024.0, 1024.0)
                .and().metric(SnatAggregation.USED).series(backend, "average", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
                .done().json())));
        assertEquals(5, poller().pollOnce(now).snatPublished(), "the five settled minutes");

        AzureMonitorPoller restarted = new AzureMonitorPoller(resumingFromTopics(config), monitor, publisher,
                published, registry, health, PINNED);
        AzureMonitorPoller.PollReport sameMinute = restarted.pollOnce(now);
        AzureMonitorPoller.PollReport nextMinute = restarted.pollOnce(now.plusSeconds(60));

        assertTrue(sameMinute.resumed());
        assertEquals(0, sameMinute.snatPublished());
        assertEquals(1, nextMinute.snatPublished());
        List<String> minutes = lbMetrics.records().stream().filter(r -> r.value().contains("10.224.9.9"))
                .map(r -> EventJson.parseMinute(read(r.value())).at().toString()).toList();
        assertEquals(6, minutes.size(), "each minute once: " + minutes);
        assertEquals(6, minutes.stream().distinct().count(), "each minute once: " + minutes);
    }

    /** The service's default: read back what the topics hold before publishing. */
    static AzureMonitorConfig resumingFromTopics(AzureMonitorConfig config) {
        return overriding(config, "resumeFromTopics", Boolean.TRUE);
    }

    /** The profile's configuration with one setting answered differently. */
    static AzureMonitorConfig overriding(AzureMonitorConfig config, String setting, Object value) {
        return (AzureMonitorConfig) java.lang.reflect.Proxy.newProxyInstance(AzureMonitorConfig.class.getClassLoader(),
                new Class<?>[] {AzureMonitorConfig.class},
                (proxy, method, args) -> setting.equals(method.getName()) ? value : method.invoke(config, args));
    }

    @Test
    void aResourceUnderTwoClustersIsRefusedAtStart() {
        AzureMonitorConfig.Target weu1 = config.targets().get("weu-1");
        AzureMonitorConfig twice = overriding(config, "targets", Map.of("weu-1", weu1, "weu-1-copy", weu1));

        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AzureMonitorPoller(twice, monitor, publisher, published, registry, health, PINNED));
        assertTrue(refused.getMessage().contains("published twice"), refused.getMessage());
    }

    @Test
    void azureMonitorDownShowsInWellnessNotInReadinessOrLiveness() {
        azure.stubFor(post(urlPathEqualTo(BATCH_PATH)).atPriority(1).willReturn(aResponse().withStatus(500)));
        AzureMonitorPoller poller = poller();
        poller.pollOnce(NOW);
        poller.pollOnce(NOW.plusSeconds(60));

        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'azure-monitor' }.status", is("DOWN"))
                .body("checks.find { it.name == 'azure-monitor' }.data.lastError",
                        org.hamcrest.Matchers.containsString("server_error"));
        given().get("/q/health/ready").then().body("checks.name", org.hamcrest.Matchers.not(hasItem("azure-monitor")));
        given().get("/q/health/live").then().statusCode(200);

        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        poller.pollOnce(NOW.plusSeconds(180 + 3600));
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'azure-monitor' }.status", is("UP"));
    }

    /** Answers a proxy or a broken Azure Monitor may send with a 200: each is a failed call, never a crash. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"<html><body>502 Bad Gateway</body></html>",
        "{\"values\": [{\"value\": \"not a list\"", "{\"values\": 42}",
        "{\"values\": [{\"resourceid\": 7, \"value\": [{\"timeseries\": {}}]}]}"})
    void garbageFromAzureMonitorIsAFailedCallNamedInWellnessAndTheNextGoodAnswerRecovers(String garbage) {
        azure.stubFor(post(urlPathEqualTo(BATCH_PATH)).atPriority(1).willReturn(okJson(garbage)));
        AzureMonitorPoller poller = poller();
        AzureMonitorPoller.PollReport first = poller.pollOnce(NOW);
        poller.pollOnce(NOW.plusSeconds(60 + 3600));

        assertEquals(0, first.snatPublished(), first.toString());
        assertTrue(first.failedCalls() > 0, first.toString());
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'azure-monitor' }.status", is("DOWN"))
                .body("checks.find { it.name == 'azure-monitor' }.data.lastError",
                        org.hamcrest.Matchers.containsString(": error "));

        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
        azure.stubFor(batch(PORTS, LB_NEU).willReturn(okJson(oneBackend(LB_NEU, "10.226.0.4", 1.0, 1.0, 1.0, 1.0,
                1.0))));
        AzureMonitorPoller.PollReport recovered = poller.pollOnce(NOW.plusSeconds(2 * 3600));
        assertEquals(0, recovered.failedCalls(), recovered.toString());
        given().get("/q/health/well").then().body("checks.find { it.name == 'azure-monitor' }.status", is("UP"));
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
