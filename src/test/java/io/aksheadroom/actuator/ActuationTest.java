package io.aksheadroom.actuator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.aksheadroom.actuator.core.Actuator;
import io.aksheadroom.actuator.core.Change;
import io.aksheadroom.actuator.core.Decision;
import io.aksheadroom.actuator.core.Guardrails;
import io.aksheadroom.actuator.core.Mode;
import io.aksheadroom.actuator.core.Outcome;
import io.aksheadroom.actuator.core.Recommendation;
import io.aksheadroom.actuator.core.Situation;
import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.ProfileBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Every guardrail of the actuator against the real Resource Manager SDK and a local Azure speaking the managed
 * cluster's REST shape (Microsoft.ContainerService managedClusters GET and PUT) over HTTPS.
 */
@QuarkusTest
@TestProfile(LocalActuator.class)
class ActuationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final String SUB = "ac70a7e0-0000-4000-8000-000000000001";

    @AzureMonitorServer.Injected
    WireMockServer azure;
    @Inject
    ManagedClusters clusters;
    @Inject
    ActionPublisher publisher;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void reset() {
        azure.resetAll();
        AzureMonitorServer.stubDefaults(azure);
    }

    static String path(String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/"
                + name;
    }

    /** A managed cluster as GET returns it (2025-09-01 shape): managed outbound IPs on the load balancer. */
    static ObjectNode managedCluster(String name, String state, String etag, int managedIps, int ports) {
        ObjectNode cluster = JSON.createObjectNode();
        cluster.put("id", path(name));
        cluster.put("name", name);
        cluster.put("type", "Microsoft.ContainerService/ManagedClusters");
        cluster.put("location", "westeurope");
        cluster.put("eTag", etag);
        ObjectNode properties = cluster.putObject("properties");
        properties.put("provisioningState", state);
        properties.putObject("powerState").put("code", "Running");
        properties.put("kubernetesVersion", "1.31.2");
        properties.put("dnsPrefix", name);
        ObjectNode pool = properties.putArray("agentPoolProfiles").addObject();
        pool.put("name", "p").put("count", 199).put("maxPods", 30).put("mode", "System").put("vmSize", "Standard_D4s_v5");
        ObjectNode network = properties.putObject("networkProfile");
        network.put("networkPlugin", "azure").put("outboundType", "loadBalancer").put("loadBalancerSku", "standard");
        ObjectNode lb = network.putObject("loadBalancerProfile");
        lb.putObject("managedOutboundIPs").put("count", managedIps);
        lb.put("allocatedOutboundPorts", ports);
        lb.putArray("effectiveOutboundIPs").addObject().put("id", "/subscriptions/" + SUB
                + "/resourceGroups/MC_rg/providers/Microsoft.Network/publicIPAddresses/ip1");
        return cluster;
    }

    void serve(String name, ObjectNode cluster) {
        serve(azure, name, cluster);
    }

    static void serve(WireMockServer azure, String name, ObjectNode cluster) {
        azure.stubFor(get(urlPathEqualTo(path(name))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", cluster.path("eTag").asText())
                .withBody(cluster.toString())));
    }

    void acceptPuts(String name) {
        acceptPuts(azure, name);
    }

    static void acceptPuts(WireMockServer azure, String name) {
        azure.stubFor(put(urlPathEqualTo(path(name))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"properties\":{\"provisioningState\":"
                        + "\"Updating\"}}")));
    }

    static ClusterProfile profile(String name, int managedIps, int ports) {
        return ProfileBuilder.cluster().armId(path(name)).pool("p", 199, 30, "1").managedIps(managedIps, ports)
                .build();
    }

    static Situation fresh(ClusterProfile profile, int ips, Integer ports, Instant lastAction, Instant now) {
        return new Situation(new Recommendation(profile.clusterId(), ips, ports), profile, now.minusSeconds(60),
                now.minusSeconds(60), lastAction, now);
    }

    Actuation actuation(Mode mode, String... allowed) {
        return new Actuation(new Actuator(new Guardrails(mode, Set.of(allowed), 2, Duration.ofMinutes(30),
                Guardrails.MAX_INPUT_AGE), new CapacityPlanner()), clusters, publisher);
    }

    List<LoggedRequest> puts(String name) {
        return azure.findAll(putRequestedFor(urlPathEqualTo(path(name))));
    }

    int gets(String name) {
        return azure.findAll(getRequestedFor(urlPathEqualTo(path(name)))).size();
    }

    double counted(Outcome outcome) {
        return registry.counter("aks_headroom_actuator_decisions", "outcome", outcome.wireName()).count();
    }

    @Test
    void applyWritesOneStepWithTheETagJustRead() throws Exception {
        serve("c1", managedCluster("c1", "Succeeded", "\"etag-7\"", 2, 0));
        acceptPuts("c1");
        double before = counted(Outcome.APPLIED);

        Decision decision = actuation(Mode.APPLY, "c1").act(fresh(profile("c1", 2, 0), 9, null, null, NOW));

        assertEquals(Outcome.APPLIED, decision.outcome(), decision.toString());
        List<LoggedRequest> puts = puts("c1");
        assertEquals(1, puts.size());
        assertEquals("\"etag-7\"", puts.get(0).getHeader("If-Match"));
        JsonNode body = JSON.readTree(puts.get(0).getBodyAsString());
        assertEquals(4, body.at("/properties/networkProfile/loadBalancerProfile/managedOutboundIPs/count").asInt(),
                "2 IPs plus the step of 2, not the 9 recommended");
        assertEquals("loadBalancer", body.at("/properties/networkProfile/outboundType").asText());
        assertEquals(1, counted(Outcome.APPLIED) - before);
    }

    @Test
    void dryRunReadsAndRecordsButWritesNothing() {
        serve("c2", managedCluster("c2", "Succeeded", "\"e\"", 2, 0));
        acceptPuts("c2");
        Decision decision = actuation(Mode.DRY_RUN, "c1").act(fresh(profile("c2", 2, 0), 4, null, null, NOW));
        assertEquals(Outcome.DRY_RUN, decision.outcome());
        assertEquals(List.of(new Change(Change.LB_MANAGED_IPS, 2, 4)), decision.changes());
        assertEquals(0, puts("c2").size());
    }

    @Test
    void aClusterOffTheAllowlistIsNeitherReadNorWritten() {
        serve("c3", managedCluster("c3", "Succeeded", "\"e\"", 2, 0));
        acceptPuts("c3");
        assertEquals("not-allowed", actuation(Mode.APPLY, "other").act(fresh(profile("c3", 2, 0), 4, null, null, NOW))
                .reason());
        assertEquals("not-allowed", actuation(Mode.APPLY).act(fresh(profile("c3", 2, 0), 4, null, null, NOW))
                .reason());
        assertEquals(0, azure.findAll(anyRequestedFor(urlPathEqualTo(path("c3")))).size());
    }

    @Test
    void aDecreaseIsNeverWritten() {
        serve("c4", managedCluster("c4", "Succeeded", "\"e\"", 6, 1024));
        acceptPuts("c4");
        Decision decision = actuation(Mode.APPLY, "c1").act(fresh(profile("c4", 6, 1024), 2, 512, null, NOW));
        assertEquals(Outcome.UP_TO_DATE, decision.outcome());
        assertEquals(0, puts("c4").size());
    }

    @Test
    void aConcurrentChangeIsReReadAndNotWritten() {
        serve("c5", managedCluster("c5", "Succeeded", "\"before\"", 2, 0));
        azure.stubFor(put(urlPathEqualTo(path("c5"))).willReturn(aResponse().withStatus(412)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"PreconditionFailed\","
                        + "\"message\":\"Operation is not allowed: the eTag does not match.\"}}")));
        Actuation actuation = actuation(Mode.APPLY, "c1");
        Decision decision = actuation.act(fresh(profile("c5", 2, 0), 4, null, null, NOW));
        assertEquals(Outcome.REFUSED, decision.outcome());
        assertEquals("concurrent-change", decision.reason());
        assertEquals(1, puts("c5").size(), "412 is not retried");
        assertEquals(2, gets("c5"), "read, then re-read after the 412");
        assertNull(actuation.lastAction("c1"), "no write, so no cooldown");
    }

    @Test
    void anOperationInProgressIsNotWrittenAndWaits() {
        serve("c6", managedCluster("c6", "Succeeded", "\"e\"", 2, 0));
        azure.stubFor(put(urlPathEqualTo(path("c6"))).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":"
                        + "\"OperationNotAllowed\",\"message\":\"Operation is not allowed because there's an in "
                        + "progress update managed cluster operation\"}}")));
        Actuation actuation = actuation(Mode.APPLY, "c1");
        Decision decision = actuation.act(fresh(profile("c6", 2, 0), 4, null, null, NOW));
        assertEquals("operation-in-progress", decision.reason());
        assertEquals(1, puts("c6").size());
        assertNull(actuation.lastAction("c1"));
    }

    @Test
    void aClusterUpdatingIsNotWritten() {
        serve("c7", managedCluster("c7", "Updating", "\"e\"", 2, 0));
        acceptPuts("c7");
        assertEquals("not-quiet", actuation(Mode.APPLY, "c1").act(fresh(profile("c7", 2, 0), 4, null, null, NOW))
                .reason());
        assertEquals(0, puts("c7").size());
    }

    @Test
    void throttlingIsWaitedOutAndTheRetryCarriesTheSameETag() {
        serve("c8", managedCluster("c8", "Succeeded", "\"e8\"", 2, 0));
        azure.stubFor(put(urlPathEqualTo(path("c8"))).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("answered"));
        azure.stubFor(put(urlPathEqualTo(path("c8"))).inScenario("throttled").whenScenarioStateIs("answered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{}")));
        Decision decision = actuation(Mode.APPLY, "c1").act(fresh(profile("c8", 2, 0), 4, null, null, NOW));
        assertEquals(Outcome.APPLIED, decision.outcome(), decision.toString());
        List<LoggedRequest> puts = puts("c8");
        assertEquals(2, puts.size());
        assertTrue(puts.stream().allMatch(put -> "\"e8\"".equals(put.getHeader("If-Match"))));
    }

    @Test
    void aServerErrorThatPersistsIsAFailureAndNoCooldown() {
        serve("c9", managedCluster("c9", "Succeeded", "\"e\"", 2, 0));
        azure.stubFor(put(urlPathEqualTo(path("c9"))).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"try later\"}}")));
        Actuation actuation = actuation(Mode.APPLY, "c1");
        double before = counted(Outcome.FAILED);
        Decision decision = actuation.act(fresh(profile("c9", 2, 0), 4, null, null, NOW));
        assertEquals(Outcome.FAILED, decision.outcome());
        assertEquals(3, puts("c9").size(), "the first attempt and 2 retries");
        assertTrue(puts("c9").stream().allMatch(put -> "\"e\"".equals(put.getHeader("If-Match"))));
        assertNull(actuation.lastAction("c1"));
        assertEquals(1, counted(Outcome.FAILED) - before);
    }

    @Test
    void aReadThatFailsWritesNothing() {
        azure.stubFor(get(urlPathEqualTo(path("c10"))).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"InternalServerError\",\"message\":\"boom\"}}")));
        acceptPuts("c10");
        Decision decision = actuation(Mode.APPLY, "c1").act(fresh(profile("c10", 2, 0), 4, null, null, NOW));
        assertEquals("azure-unreadable", decision.reason());
        assertEquals(0, puts("c10").size());
    }

    @Test
    void theCooldownHoldsAfterAWrite() {
        serve("c11", managedCluster("c11", "Succeeded", "\"e\"", 2, 0));
        acceptPuts("c11");
        Actuation actuation = actuation(Mode.APPLY, "c1");
        ClusterProfile profile = profile("c11", 2, 0);
        assertEquals(Outcome.APPLIED, actuation.act(fresh(profile, 6, null, null, NOW)).outcome());
        Instant later = NOW.plus(Duration.ofMinutes(10));
        Decision again = actuation.act(fresh(profile, 6, null, actuation.lastAction("c1"), later));
        assertEquals("cooldown", again.reason());
        assertEquals(1, puts("c11").size());
        assertEquals(1, gets("c11"), "a cluster in cooldown is not even read");
    }

    @Test
    void staleInputsAreRefusedBeforeAzureIsAsked() {
        serve("c12", managedCluster("c12", "Succeeded", "\"e\"", 2, 0));
        acceptPuts("c12");
        ClusterProfile profile = profile("c12", 2, 0);
        Recommendation wanted = new Recommendation("c1", 4, null);
        Actuation actuation = actuation(Mode.APPLY, "c1");
        assertEquals("stale-profile", actuation.act(new Situation(wanted, profile, NOW.minus(Duration.ofMinutes(16)),
                NOW, null, NOW)).reason());
        assertEquals("stale-samples", actuation.act(new Situation(wanted, profile, NOW,
                NOW.minus(Duration.ofMinutes(16)), null, NOW)).reason());
        assertEquals(0, azure.findAll(anyRequestedFor(urlPathEqualTo(path("c12")))).size());
    }

    @Test
    void theUsersOwnIpsGetNeedsAPersonAndNoWrite() {
        ObjectNode cluster = managedCluster("c13", "Succeeded", "\"e\"", 2, 0);
        ObjectNode lb = (ObjectNode) cluster.at("/properties/networkProfile/loadBalancerProfile");
        lb.remove("managedOutboundIPs");
        lb.putObject("outboundIPs").putArray("publicIPs").addObject().put("id", "/subscriptions/" + SUB
                + "/resourceGroups/egress/providers/Microsoft.Network/publicIPAddresses/mine");
        serve("c13", cluster);
        acceptPuts("c13");
        ClusterProfile profile = ProfileBuilder.cluster().armId(path("c13")).pool("p", 199, 30, "1").ownPublicIps(1, 0)
                .build();
        Decision decision = actuation(Mode.APPLY, "c1").act(fresh(profile, 3, null, null, NOW));
        assertEquals(Outcome.NEEDS_A_PERSON, decision.outcome());
        assertTrue(decision.detail().startsWith("Add 2 public IPs"), decision.detail());
        assertEquals(0, puts("c13").size());
    }

    static String poolPath(String cluster, String pool) {
        return path(cluster) + "/agentPools/" + pool;
    }

    /** An agent pool as GET returns it (2025-09-01 shape): autoscaling between min and max, its eTag in properties. */
    void servePool(String cluster, String pool, String state, String etag, int count, int min, int max) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", poolPath(cluster, pool));
        body.put("name", pool);
        body.put("type", "Microsoft.ContainerService/managedClusters/agentPools");
        ObjectNode properties = body.putObject("properties");
        properties.put("eTag", etag).put("count", count).put("vmSize", "Standard_D4s_v5").put("maxPods", 30)
                .put("type", "VirtualMachineScaleSets").put("mode", "User").put("enableAutoScaling", true)
                .put("minCount", min).put("maxCount", max).put("provisioningState", state)
                .put("orchestratorVersion", "1.31.2");
        azure.stubFor(get(urlPathEqualTo(poolPath(cluster, pool))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body.toString())));
    }

    /** Pool "auto" autoscales 10..50 in the profile; the recommendation's ceiling for it is 40. */
    static Situation capping(String cluster, Instant lastAction) {
        ClusterProfile profile = ProfileBuilder.cluster().clusterId(cluster).armId(path(cluster))
                .autoscaledPool("auto", 12, 50, 30, "1").managedIps(2, 0).build();
        return new Situation(new Recommendation(cluster, null, null, NOW.minusSeconds(60), Map.of("auto", 40)),
                profile, NOW.minusSeconds(60), NOW.minusSeconds(60), lastAction, NOW);
    }

    Actuation capper(Mode mode, boolean capMaxCount, String... allowed) {
        return new Actuation(new Actuator(new Guardrails(mode, Set.of(allowed), 2, Duration.ofMinutes(30),
                Guardrails.MAX_INPUT_AGE, capMaxCount), new CapacityPlanner()), clusters, publisher);
    }

    List<LoggedRequest> poolPuts(String cluster) {
        return azure.findAll(putRequestedFor(urlPathEqualTo(poolPath(cluster, "auto"))));
    }

    @Test
    void capMaxCountLowersThePoolsMaxCountWithThePoolsETagAndRecordsIt() throws Exception {
        servePool("cap1", "auto", "Succeeded", "\"pool-7\"", 12, 10, 50);
        azure.stubFor(put(urlPathEqualTo(poolPath("cap1", "auto"))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"properties\":{\"provisioningState\":\"Updating\"}}")));
        Actuation actuation = capper(Mode.APPLY, true, "cap1");

        List<Decision> decisions = actuation.capPools(capping("cap1", null), null);

        assertEquals(1, decisions.size(), decisions.toString());
        assertEquals(Outcome.APPLIED, decisions.get(0).outcome(), decisions.toString());
        assertEquals(List.of(new Change(Change.POOL_MAX_COUNT, 50, 40)), decisions.get(0).changes());
        List<LoggedRequest> puts = poolPuts("cap1");
        assertEquals(1, puts.size());
        assertEquals("\"pool-7\"", puts.get(0).getHeader("If-Match"));
        JsonNode body = JSON.readTree(puts.get(0).getBodyAsString());
        assertEquals(40, body.at("/properties/maxCount").asInt());
        assertEquals(10, body.at("/properties/minCount").asInt(), "minCount as Azure has it");
        assertTrue(body.at("/properties/enableAutoScaling").asBoolean());
        assertEquals(0, azure.findAll(putRequestedFor(urlPathEqualTo(path("cap1")))).size(),
                "the pool is written, not the managed cluster");
        assertEquals(NOW, actuation.lastAction("cap1"), "a pool write starts the cluster's cooldown");

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            JsonNode record = JSON.readTree(kafka.consumeUntil("aks.actions", all -> all.stream()
                    .anyMatch(r -> "cap1".equals(r.key()))).stream().filter(r -> "cap1".equals(r.key()))
                    .findFirst().orElseThrow().value());
            assertEquals("agentPool/auto", record.path("target").asText());
            assertEquals("applied", record.path("outcome").asText());
            assertEquals("maxCount", record.at("/changes/0/field").asText());
            assertEquals(NOW.toString(), record.path("lastAppliedAt").asText());
        }
    }

    @Test
    void capMaxCountNeverGoesBelowMinCountOrTheNodesRunning() {
        servePool("cap2", "auto", "Succeeded", "\"e\"", 12, 45, 50);
        servePool("cap3", "auto", "Succeeded", "\"e\"", 44, 10, 50);
        acceptPuts("cap2");
        acceptPuts("cap3");
        assertEquals("below-min-count", capper(Mode.APPLY, true, "cap2").capPools(capping("cap2", null), null).get(0)
                .reason());
        assertEquals("below-current-count", capper(Mode.APPLY, true, "cap3").capPools(capping("cap3", null), null)
                .get(0).reason());
        assertEquals(0, poolPuts("cap2").size() + poolPuts("cap3").size());
    }

    @Test
    void capMaxCountOnAConcurrentlyChangedPoolReReadsAndDoesNotWrite() {
        servePool("cap4", "auto", "Succeeded", "\"before\"", 12, 10, 50);
        azure.stubFor(put(urlPathEqualTo(poolPath("cap4", "auto"))).willReturn(aResponse().withStatus(412)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"PreconditionFailed\","
                        + "\"message\":\"Operation is not allowed: the eTag does not match.\"}}")));
        Actuation actuation = capper(Mode.APPLY, true, "cap4");
        Decision decision = actuation.capPools(capping("cap4", null), null).get(0);
        assertEquals("concurrent-change", decision.reason());
        assertEquals(1, poolPuts("cap4").size());
        assertEquals(2, azure.findAll(getRequestedFor(urlPathEqualTo(poolPath("cap4", "auto")))).size());
        assertNull(actuation.lastAction("cap4"));
    }

    @Test
    void capMaxCountOffOrInDryRunOrOffTheAllowlistWritesNoPool() {
        servePool("cap5", "auto", "Succeeded", "\"e\"", 12, 10, 50);
        acceptPuts("cap5");
        assertEquals(List.of(), capper(Mode.APPLY, false, "cap5").capPools(capping("cap5", null), null));
        assertEquals(Outcome.DRY_RUN, capper(Mode.DRY_RUN, true, "cap5").capPools(capping("cap5", null), null).get(0)
                .outcome());
        assertEquals("not-allowed", capper(Mode.APPLY, true, "other").capPools(capping("cap5", null), null).get(0)
                .reason());
        assertEquals("cooldown", capper(Mode.APPLY, true, "cap5").capPools(capping("cap5",
                NOW.minus(Duration.ofMinutes(5))), null).get(0).reason());
        assertEquals(0, poolPuts("cap5").size());
        assertEquals(1, azure.findAll(getRequestedFor(urlPathEqualTo(poolPath("cap5", "auto")))).size(),
                "read once, for the dry run");
    }
}
