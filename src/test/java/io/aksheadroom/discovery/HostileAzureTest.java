package io.aksheadroom.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.aksheadroom.azure.AzureConnection;
import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.config.AzureConfig;
import io.aksheadroom.discovery.LocalArm.Cluster;
import io.aksheadroom.discovery.LocalArm.Vnet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Azure at its worst: the token endpoint down, storms of 429, answers that are not what ARM documents. Each time the
 * listing fails without throwing, deletes nothing, the wellness check names the subscription and the cause, and the
 * next listing after Azure comes back recovers by itself.
 */
@QuarkusTest
@TestProfile(LocalFleet.class)
class HostileAzureTest extends LocalDiscovery {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Inject
    Vertx vertx;
    @Inject
    AzureConfig azureConfig;

    /** One cluster in a VNet of its own subscription, served; returns its clusterId. */
    String serveOneCluster(String sub, String name) {
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 31);
        vnet.serve(azure);
        LocalArm.serveClusters(azure, sub, List.of(new Cluster(sub, "rg", name, "westeurope")
                .pool("system", 1, 30, vnet.subnet("aks"))));
        return name;
    }

    static void assertWellnessNames(String... fragments) {
        var body = given().get("/q/health/well").then();
        for (String fragment : fragments) {
            body.body("checks.find { it.name == 'discovery' }.data.failing", containsString(fragment));
        }
    }

    static void assertWellnessDoesNotName(String subscription) {
        given().get("/q/health/well").then().body("checks.find { it.name == 'discovery' }.data.failing",
                org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(), not(containsString(subscription))));
    }

    @Test
    void aTokenEndpointThatIsDownFailsTheListingAsAnAuthErrorAndTheNextOneRecovers() {
        String sub = "b0570001-0000-4000-8000-000000000001";
        serveOneCluster(sub, "aks-tokenless");
        // A service that starts while the token endpoint is down: a connection with no token cached yet (a
        // running one keeps using its token until it expires, which is what azure-core's token cache is for).
        AzureResourceManager fresh = new AzureResourceManager(new AzureConnection(vertx, azureConfig), config,
                registry, mapper);
        @SuppressWarnings("unchecked")
        Instance<AzureResourceManager> freshOnly = (Instance<AzureResourceManager>) java.lang.reflect.Proxy
                .newProxyInstance(Instance.class.getClassLoader(), new Class<?>[] {Instance.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("get")) {
                                return fresh;
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
        FleetDiscovery discovery = discovery(freshOnly, sub);
        StubMapping down = azure.stubFor(post(urlPathMatching("/[^/]+/oauth2/v2.0/token")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        FleetDiscovery.ListingReport failed = discovery.discoverOnce(NOW);

        assertTrue(failed.subscriptions().get(sub).startsWith("failed: auth_error"), failed.toString());
        azure.verify(0, LocalArm.clusterListRequested(sub));
        assertWellnessNames(sub + ": auth_error");

        azure.removeStub(down);
        FleetDiscovery.ListingReport recovered = discovery.discoverOnce(NOW.plusSeconds(300));
        assertEquals("listed 1", recovered.subscriptions().get(sub));
        assertEquals(1, recovered.added());
        assertWellnessDoesNotName(sub);
        // The token it got is for the configured Resource Manager, not the public cloud's.
        azure.verify(postRequestedFor(urlPathEqualTo(AzureMonitorServer.TOKEN_PATH))
                .withRequestBody(containing("https%3A%2F%2Flocalhost%3A" + azure.httpsPort() + "%2F.default")));
    }

    @Test
    void aStormOf429sDefersTheSubscriptionAsLongAsRetryAfterSaysAndDeletesNothing() {
        String sub = "b0570002-0000-4000-8000-000000000002";
        String clusterId = serveOneCluster(sub, "aks-stormy");
        FleetDiscovery discovery = discovery(sub);
        assertEquals(1, discovery.discoverOnce(NOW).added());
        // Every read of the subscription throttled, for longer than a listing waits (max-retry-after 5s).
        StubMapping storm = azure.stubFor(get(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "600").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Rate limit exceeded\"}}")));

        FleetDiscovery.ListingReport throttled = discovery.discoverOnce(NOW.plusSeconds(300));
        int asked = azure.findAll(LocalArm.clusterListRequested(sub)).size();
        FleetDiscovery.ListingReport waiting = discovery.discoverOnce(NOW.plusSeconds(600));
        FleetDiscovery.ListingReport stillWaiting = discovery.discoverOnce(NOW.plusSeconds(850));

        assertTrue(throttled.subscriptions().get(sub).startsWith("failed: throttled HTTP 429"), throttled.toString());
        assertWellnessNames(sub + ": throttled");
        assertTrue(waiting.subscriptions().get(sub).startsWith("deferred:"), waiting.toString());
        assertTrue(stillWaiting.subscriptions().get(sub).startsWith("deferred:"), stillWaiting.toString());
        assertEquals(asked, azure.findAll(LocalArm.clusterListRequested(sub)).size(),
                "nothing asked before Retry-After has passed");

        azure.removeStub(storm);
        FleetDiscovery.ListingReport after = discovery.discoverOnce(NOW.plusSeconds(900 + 1));
        assertEquals("listed 1", after.subscriptions().get(sub));
        assertEquals(0, throttled.removed() + waiting.removed() + stillWaiting.removed() + after.removed());
        assertEquals(0, after.added() + after.changed(), "unchanged through the storm");
        assertOnlyItsProfile(byKey(profiles.records()).get(clusterId), "never tombstoned");
        assertWellnessDoesNotName(sub);
    }

    @Test
    void answersThatAreNotArmsShapeFailTheListingOrTheClusterNeverTheServiceAndDeleteNothing() {
        String sub = "b0570003-0000-4000-8000-000000000003";
        String clusterId = serveOneCluster(sub, "aks-garbled");
        FleetDiscovery discovery = discovery(sub);
        assertEquals(1, discovery.discoverOnce(NOW).added());
        List<String> garbage = List.of(
                "<html><body>502 Bad Gateway</body></html>",
                "{\"value\": [{\"id\": 42, \"name\": [], \"properties\": \"none\"}]",
                "{\"value\": [{\"id\": \"/subscriptions/" + sub + "/resourceGroups/rg\", \"name\": \"half\"}]}",
                "{\"value\": [{\"name\": \"no-id\", \"properties\": {}}]}");

        int listing = 1;
        for (String answer : garbage) {
            StubMapping garbled = azure.stubFor(LocalArm.clusterList(sub).atPriority(1).willReturn(okJson(answer)));
            FleetDiscovery.ListingReport report = discovery.discoverOnce(NOW.plusSeconds(300L * listing++));
            assertTrue(report.subscriptions().get(sub).startsWith("failed: error"), answer + ": " + report);
            assertEquals(0, report.removed(), answer);
            assertWellnessNames(sub + ": error");
            azure.removeStub(garbled);
        }

        // A subnet answer of the wrong shape fails that cluster alone, and the wellness check says which and why.
        String vnetPath = LocalArm.vnetId(sub, "net", "vnet");
        StubMapping garbledVnet = azure.stubFor(get(urlPathEqualTo(vnetPath)).atPriority(1)
                .willReturn(okJson("{\"id\": \"" + vnetPath + "\", \"properties\": {\"subnets\": [{\"name\": \"aks\","
                        + " \"properties\": {\"addressPrefix\": \"not-a-cidr\"}}]}}")));
        FleetDiscovery.ListingReport oneCluster = discovery.discoverOnce(NOW.plusSeconds(300L * listing++));
        assertEquals("listed 1", oneCluster.subscriptions().get(sub));
        assertEquals(1, oneCluster.unresolved());
        given().get("/q/health/well").then().body("checks.find { it.name == 'discovery' }.data.notProfiled",
                containsString(clusterId + ": "));
        azure.removeStub(garbledVnet);

        FleetDiscovery.ListingReport recovered = discovery.discoverOnce(NOW.plusSeconds(300L * listing));
        assertEquals("listed 1", recovered.subscriptions().get(sub));
        assertEquals(0, recovered.unresolved() + recovered.added() + recovered.changed() + recovered.removed());
        assertOnlyItsProfile(byKey(profiles.records()).get(clusterId), "never tombstoned nor garbled");
        assertWellnessDoesNotName(sub);
        azure.verify(getRequestedFor(urlPathEqualTo(vnetPath)));
    }

    /**
     * Every record the topic holds for a cluster is its first profile: none a tombstone, none garbled. An unchanged
     * profile is published again every republish-after, so there may be more than one.
     */
    private static void assertOnlyItsProfile(List<JsonNode> records, String message) {
        assertTrue(records != null && !records.isEmpty() && records.get(0) != null, message + ": " + records);
        records.forEach(record -> assertEquals(records.get(0), record, message));
    }
}
