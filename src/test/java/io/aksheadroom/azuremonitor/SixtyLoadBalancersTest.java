package io.aksheadroom.azuremonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aksheadroom.azuremonitor.SixtyLoadBalancers.CLUSTERS;
import static io.aksheadroom.azuremonitor.SixtyLoadBalancers.NODES;
import static io.aksheadroom.azuremonitor.SixtyLoadBalancers.lb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.aksheadroom.azuremonitor.model.SnatAggregation;
import io.aksheadroom.json.EventJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.aksheadroom.config.TopicsConfig;
import jakarta.inject.Inject;

/** 60 resources of one subscription and region become two calls (50 + 10); 300 backends each all come back. */
@QuarkusTest
@TestProfile(SixtyLoadBalancers.class)
class SixtyLoadBalancersTest {

    private static final Logger LOG = Logger.getLogger(SixtyLoadBalancersTest.class);
    private static final String BATCH_PATH = "/subscriptions/" + SixtyLoadBalancers.SUB + "/metrics:getBatch";
    private static final Instant NOW = Instant.parse("2026-11-26T10:07:30Z");
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final int MINUTES = 5;

    @AzureMonitorServer.Injected
    WireMockServer azure;
    @Inject
    AzureMonitorPoller poller;
    @Inject
    TopicsConfig topics;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    MeterRegistry registry;

    @Test
    void sixtyResourcesAreTwoCallsAndEveryBackendBecomesASample() throws Exception {
        long answerBytes = 0;
        for (int first : new int[] {0, 50}) {
            int last = Math.min(first + 50, CLUSTERS);
            String ports = ports(first, last);
            answerBytes += ports.length();
            azure.stubFor(post(urlPathEqualTo(BATCH_PATH)).withQueryParam("metricnames",
                    equalTo("AllocatedSnatPorts,UsedSnatPorts")).withRequestBody(containing(lb(first)))
                    .willReturn(okJson(ports)));
            azure.stubFor(post(urlPathEqualTo(BATCH_PATH)).withQueryParam("metricnames", equalTo("SnatConnectionCount"))
                    .withRequestBody(containing(lb(first))).willReturn(okJson(failures(first, last))));
        }

        Timer sdkCalls = registry.timer("aks_headroom_azure_monitor_call_duration", "namespace",
                "Microsoft.Network/loadBalancers");
        TopicTail lbMetrics = new TopicTail(bootstrapServers, topics.lbMetrics());
        long started = System.nanoTime();
        AzureMonitorPoller.PollReport first = poller.pollOnce(NOW);
        Duration firstPoll = Duration.ofNanos(System.nanoTime() - started);
        double firstCalls = sdkCalls.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        started = System.nanoTime();
        AzureMonitorPoller.PollReport steady = poller.pollOnce(NOW.plusSeconds(60));
        Duration steadyPoll = Duration.ofNanos(System.nanoTime() - started);
        double steadyCalls = sdkCalls.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - firstCalls;
        LOG.infof("60 resources x %d backends x %d minutes (port answers %d MB): first poll %d ms (SDK calls %.0f ms,"
                + " %d samples published), next poll %d ms (SDK calls %.0f ms, %d new)", NODES, MINUTES,
                answerBytes / 1_000_000, firstPoll.toMillis(), firstCalls, first.snatPublished(), steadyPoll.toMillis(),
                steadyCalls, steady.snatPublished());

        List<LoggedRequest> calls = azure.findAll(postRequestedFor(urlPathEqualTo(BATCH_PATH))
                .withQueryParam("metricnames", equalTo("AllocatedSnatPorts,UsedSnatPorts")));
        ObjectMapper json = new ObjectMapper();
        Set<Integer> sizes = new HashSet<>();
        for (LoggedRequest call : calls) {
            sizes.add(json.readTree(call.getBodyAsString()).get("resourceids").size());
            assertEquals(Integer.toString(NODES * 4), call.queryParameter("top").firstValue(),
                    "all 300 backends' series, not Azure's default top 10");
        }
        assertEquals(4, calls.size(), "two calls per poll, two polls");
        assertEquals(Set.of(50, 10), sizes);
        assertEquals(CLUSTERS * NODES * MINUTES, first.snatPublished());
        assertEquals(0, steady.snatPublished(), "the same answer again: nothing new to publish");
        // One record per load balancer and minute, each with every backend of that minute.
        assertEquals(CLUSTERS * MINUTES, lbMetrics.records().size(), "all acknowledged, all on the topic");
        long samples = 0;
        for (var record : lbMetrics.records()) {
            samples += EventJson.parseMinute(json.readTree(record.value())).samples().size();
        }
        assertEquals(CLUSTERS * NODES * MINUTES, samples, "every backend's every minute");
        lbMetrics.close();
        // Generous bound on two shared cores; the log line above has the measured figure.
        assertTrue(firstPoll.compareTo(Duration.ofSeconds(60)) < 0, "first poll took " + firstPoll);
    }

    /** Each resource: every backend's TCP series on one frontend, allocated 1024, used growing per minute. */
    private static String ports(int first, int last) {
        BatchAnswer answer = BatchAnswer.window(START, START.plusSeconds(60L * MINUTES));
        for (int cluster = first; cluster < last; cluster++) {
            BatchAnswer.Resource resource = answer.resource(lb(cluster), "Microsoft.Network/loadBalancers");
            BatchAnswer.Metric allocated = resource.metric(SnatAggregation.ALLOCATED);
            BatchAnswer.Metric used = resource.metric(SnatAggregation.USED);
            for (int node = 0; node < NODES; node++) {
                Map<String, String> dims = Map.of(SnatAggregation.BACKEND, backend(node), SnatAggregation.FRONTEND,
                        "20.1.1.1", SnatAggregation.PROTOCOL, "TCP", SnatAggregation.AWAITING_REMOVAL, "False");
                allocated.series(dims, "average", 1024.0, 1024.0, 1024.0, 1024.0, 1024.0);
                used.series(dims, "average", 10.0 + node, 11.0 + node, 12.0 + node, 13.0 + node, 14.0 + node);
            }
        }
        return answer.json();
    }

    private static String failures(int first, int last) {
        BatchAnswer answer = BatchAnswer.window(START, START.plusSeconds(60L * MINUTES));
        for (int cluster = first; cluster < last; cluster++) {
            BatchAnswer.Metric failed = answer.resource(lb(cluster), "Microsoft.Network/loadBalancers")
                    .metric(SnatAggregation.CONNECTIONS);
            for (int node = 0; node < NODES; node++) {
                failed.series(Map.of(SnatAggregation.BACKEND, backend(node), SnatAggregation.CONNECTION_STATE,
                        "Failed"), "total", 0.0, 0.0, 0.0, 0.0, node % 100 == 0 ? 2.0 : 0.0);
            }
        }
        return answer.json();
    }

    private static String backend(int node) {
        return "10.224." + (node / 250) + "." + (4 + node % 250);
    }
}
