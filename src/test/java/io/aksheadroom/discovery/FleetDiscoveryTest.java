package io.aksheadroom.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.aksheadroom.discovery.LocalArm.JSON;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.aksheadroom.discovery.LocalArm.Cluster;
import io.aksheadroom.discovery.LocalArm.Vnet;
import io.aksheadroom.json.ProfileJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The real Resource Manager SDKs against a local Azure speaking ARM's REST shapes over HTTPS, and the profiles they
 * make on a real broker. Each test lists subscriptions of its own, from a discovery with no history unless it says
 * it restarts one.
 */
@QuarkusTest
@TestProfile(LocalFleet.class)
class FleetDiscoveryTest extends LocalDiscovery {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void everyClusterOfAPagedListBecomesTheProfileThePlanApiTakes() {
        String sub = "d15c0001-0000-4000-8000-000000000001";
        Vnet vnet = new Vnet(sub, "net", "vnet-a", "10.240.0.0/12")
                // 3 nodes x (1 + 30) of aks-a, 2 of aks-b (pod subnet: 1 each), 5 private endpoints and ILB frontends
                .subnet("nodes", "10.240.0.0/22", 3 * 31 + 2 + 5)
                // aks-b's pods: 2 nodes holding two batches of 16 each
                .subnet("pods", "10.241.0.0/20", 2 * 32);
        vnet.serve(azure);
        Cluster a = new Cluster(sub, "rg-a", "aks-a", "westeurope").pool("system", 3, 30, vnet.subnet("nodes"))
                .managedOutboundIps(2).manualPorts(8000);
        String p1 = LocalArm.prefixId(sub, "egress", "p1");
        String p2 = LocalArm.prefixId(sub, "egress", "p2");
        Cluster b = new Cluster(sub, "rg-b", "aks-b", "westeurope").pool("user", 2, 50, vnet.subnet("nodes"))
                .podSubnet("user", vnet.subnet("pods")).outboundPrefixes(p1, p2);
        Cluster c = new Cluster(sub, "rg-c", "aks-c", "northeurope").pool("system", 1, 30, vnet.subnet("nodes"))
                .outboundPrefixes(p1);
        LocalArm.serveClusters(azure, sub, List.of(a), List.of(b, c));
        LocalArm.servePrefix(azure, p1, 30, "20.1.2.0/30");
        LocalArm.servePrefix(azure, p2, 31, "20.1.3.0/31");
        LocalArm.serveLoadBalancer(azure, sub, a.nodeResourceGroup(), 2);
        LocalArm.serveLoadBalancer(azure, sub, b.nodeResourceGroup(), 2);

        FleetDiscovery.ListingReport report = discovery(sub).discoverOnce(NOW);

        assertEquals(Map.of(sub, "listed 3"), report.subscriptions());
        assertEquals(3, report.added());
        Map<String, List<JsonNode>> published = byKey(profiles.records());
        assertEquals(List.of("aks-a", "aks-b", "aks-c"), published.keySet().stream().sorted().toList());
        JsonNode profileA = only(published, "aks-a");
        assertEquals(LocalArm.clusterId(sub, "rg-a", "aks-a"), profileA.path("id").asText(), "the ARM id, as id");
        assertEquals("rg-a", profileA.path("resourceGroup").asText());
        assertEquals(JSON.createObjectNode().put(vnet.subnet("nodes"), "10.240.0.0/22"), profileA.path("subnets"));
        assertEquals("[\"10.240.0.0/12\"]", profileA.path("vnetAddressSpace").toString());
        // 100 IP configurations less the 93 the model says aks-a's nodes hold (IP-2): 7 belong to others.
        assertEquals(JSON.createObjectNode().put(vnet.subnet("nodes"), 7), profileA.path("subnetConsumers"));
        assertEquals(2, profileA.at("/networkProfile/loadBalancerProfile/managedOutboundIPs/count").asInt());
        assertEquals(8000, profileA.at("/networkProfile/loadBalancerProfile/allocatedOutboundPorts").asInt());

        JsonNode profileB = only(published, "aks-b");
        assertEquals("[{\"prefixLength\":30},{\"prefixLength\":31}]",
                profileB.at("/networkProfile/loadBalancerProfile/outboundIPPrefixes/publicIPPrefixes").toString());
        assertEquals("10.241.0.0/20", profileB.path("subnets").path(vnet.subnet("pods")).asText());
        // Node subnet: 100 less aks-b's own 2 nodes. Pod subnet: 64 in use is what aks-b's 2 nodes may hold at
        // most (64 each at maxPods 50), so nobody else is counted there.
        assertEquals(JSON.createObjectNode().put(vnet.subnet("nodes"), 98), profileB.path("subnetConsumers"));

        // Exactly what the plan API takes: each profile parses back to itself.
        for (String key : published.keySet()) {
            JsonNode profile = only(published, key);
            assertEquals(profile, read(records.write(ProfileJson.parse(profile))), key);
        }
        // One read per distinct resource, not per pool or cluster; both pages of the list.
        azure.verify(1, getRequestedFor(urlPathEqualTo(vnet.id())));
        azure.verify(1, getRequestedFor(urlPathEqualTo(p1)));
        azure.verify(1, getRequestedFor(urlPathEqualTo(p2)));
        azure.verify(2, LocalArm.clusterListRequested(sub));
        LoggedRequest list = azure.findAll(LocalArm.clusterListRequested(sub)).get(0);
        assertEquals("Bearer token-from-local-azure-ad", list.getHeader("Authorization"));
        assertEquals("2025-09-01", list.queryParameter("api-version").firstValue());

        // The poller's targets: the kubernetes load balancer of each node resource group, in the cluster's region.
        DiscoveredTargets.Target targetA = targets.targets().get("aks-a");
        assertEquals(List.of(LocalArm.loadBalancerId(sub, a.nodeResourceGroup())), targetA.resourceIds());
        assertEquals("westeurope", targetA.region());
        assertEquals(4, targetA.maxBackends(), "3 nodes and a surge of 1");
        assertEquals(2, targetA.frontendIps());
        assertEquals(6, targets.targets().get("aks-b").frontendIps(), "a /30 and a /31 prefix: 6 addresses");
        assertNull(targets.targets().get("aks-c"), "no load balancer in its node resource group: nothing to poll");
    }

    @Test
    void aPoolWithoutSubnetUsesTheAksManagedVnetOfItsNodeResourceGroup() {
        String sub = "d15c0002-0000-4000-8000-000000000002";
        Cluster cluster = new Cluster(sub, "rg-m", "aks-managed", "westeurope").pool("system", 3, 110, null)
                .outboundType("managedNATGateway");
        cluster.network.put("networkPlugin", "kubenet");
        cluster.network.put("podCidr", "10.244.0.0/16");
        String nodeGroup = cluster.nodeResourceGroup();
        // 3 nodes take one address each under kubenet; 2 internal load balancer frontends.
        Vnet managed = new Vnet(sub, nodeGroup, "aks-vnet-31415926", "10.224.0.0/12").subnet("aks-subnet",
                "10.224.0.0/16", 3 + 2);
        LocalArm.serveClusters(azure, sub, List.of(cluster));
        LocalArm.serveVnetsOf(azure, sub, nodeGroup, managed);
        LocalArm.serveNatGateways(azure, sub, nodeGroup, "aks-natgw");

        discovery(sub).discoverOnce(NOW);

        JsonNode profile = only(byKey(profiles.records()), "aks-managed");
        assertEquals("{\"default\":\"10.224.0.0/16\"}", profile.path("subnets").toString());
        assertEquals("[\"10.224.0.0/12\"]", profile.path("vnetAddressSpace").toString());
        assertEquals("{\"default\":2}", profile.path("subnetConsumers").toString());
        DiscoveredTargets.Target target = targets.targets().get("aks-managed");
        assertEquals(List.of(LocalArm.natGatewayId(sub, nodeGroup, "aks-natgw")), target.resourceIds());
    }

    @Test
    void aUserAssignedNatGatewayIsWatchedAsTheOneOnItsPoolsSubnet() {
        String sub = "d15c0011-0000-4000-8000-000000000011";
        String gateway = LocalArm.natGatewayId(sub, "egress", "natgw-1");
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 31, gateway);
        vnet.serve(azure);
        Cluster cluster = new Cluster(sub, "rg", "aks-own-nat", "swedencentral")
                .pool("system", 1, 30, vnet.subnet("aks")).outboundType("userAssignedNATGateway");
        LocalArm.serveClusters(azure, sub, List.of(cluster));

        discovery(sub).discoverOnce(NOW);

        assertEquals("userAssignedNATGateway",
                only(byKey(profiles.records()), "aks-own-nat").at("/networkProfile/outboundType").asText());
        DiscoveredTargets.Target target = targets.targets().get("aks-own-nat");
        assertEquals(List.of(gateway), target.resourceIds());
        assertEquals("swedencentral", target.region());
        azure.verify(0, getRequestedFor(urlPathEqualTo(LocalArm.loadBalancerId(sub, cluster.nodeResourceGroup()))));
    }

    @Test
    void aThrottledListingWaitsAsLongAsRetryAfterSaysThenGoesOn() {
        String sub = "d15c0003-0000-4000-8000-000000000003";
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 31);
        vnet.serve(azure);
        Cluster cluster = new Cluster(sub, "rg", "aks-throttled", "westeurope").pool("system", 1, 30, vnet.subnet("aks"));
        LocalArm.serveClusters(azure, sub, List.of(cluster));
        azure.stubFor(LocalArm.clusterList(sub).atPriority(1).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"too many reads\"}}"))
                .willSetStateTo("answered"));
        double throttled = count("aks_headroom_discovery_requests", "status", "429");

        FleetDiscovery.ListingReport report = discovery(sub).discoverOnce(NOW);

        List<LoggedRequest> calls = sorted(azure.findAll(LocalArm.clusterListRequested(sub)));
        assertEquals(2, calls.size());
        long waited = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(waited >= 950, "Retry-After: 1 honoured, waited " + waited + " ms");
        assertEquals(1, report.added());
        assertEquals(throttled + 1, count("aks_headroom_discovery_requests", "status", "429"));
    }

    @Test
    void fewReadsLeftStopsTheListingWithoutLosingAnythingAndTheNextOneGoesOn() {
        String sub = "d15c0004-0000-4000-8000-000000000004";
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 31);
        vnet.serve(azure);
        Cluster cluster = new Cluster(sub, "rg", "aks-paced", "westeurope").pool("system", 1, 30, vnet.subnet("aks"));
        ObjectNodeList page = new ObjectNodeList(cluster);
        azure.stubFor(LocalArm.clusterList(sub).willReturn(okJson(page.json())
                .withHeader("x-ms-ratelimit-remaining-subscription-reads", "20")));
        FleetDiscovery discovery = discovery(sub);

        FleetDiscovery.ListingReport paced = discovery.discoverOnce(NOW);

        assertEquals(1, paced.unresolved());
        assertEquals(0, paced.added());
        azure.verify(0, getRequestedFor(urlPathEqualTo(vnet.id())));
        given().get("/q/health/well").then()
                .body("checks.find { it.name == 'discovery' }.data.deferred", containsString(sub))
                .body("checks.find { it.name == 'discovery' }.data.deferred", containsString("20 reads left"));

        azure.stubFor(LocalArm.clusterList(sub).willReturn(okJson(page.json())
                .withHeader("x-ms-ratelimit-remaining-subscription-reads", "11999")));
        FleetDiscovery.ListingReport next = discovery.discoverOnce(NOW.plusSeconds(300));
        assertEquals(1, next.added());
        assertEquals(List.of("aks-paced"), byKey(profiles.records()).keySet().stream().toList());
    }

    @Test
    void aForbiddenOrUnknownSubscriptionFailsAloneDeletesNothingAndIsNamedInHealth() {
        String denied = "d15c0005-0000-4000-8000-000000000005";
        String fine = "d15c0006-0000-4000-8000-000000000006";
        Vnet vnet = new Vnet(fine, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 31);
        vnet.serve(azure);
        Vnet deniedVnet = new Vnet(denied, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.241.0.0/16", 31);
        deniedVnet.serve(azure);
        LocalArm.serveClusters(azure, denied, List.of(new Cluster(denied, "rg", "aks-denied", "westeurope")
                .pool("system", 1, 30, deniedVnet.subnet("aks"))));
        LocalArm.serveClusters(azure, fine, List.of(new Cluster(fine, "rg", "aks-fine", "westeurope")
                .pool("system", 1, 30, vnet.subnet("aks"))));
        FleetDiscovery discovery = discovery(denied, fine);
        assertEquals(2, discovery.discoverOnce(NOW).added());

        azure.stubFor(LocalArm.clusterList(denied).atPriority(1).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"AuthorizationFailed\","
                        + "\"message\":\"The client does not have authorization to perform action "
                        + "'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/" + denied
                        + "' or the scope is invalid.\"}}")));
        FleetDiscovery.ListingReport forbidden = discovery.discoverOnce(NOW.plusSeconds(300));
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'discovery' }.status", is("DOWN"))
                .body("checks.find { it.name == 'discovery' }.data.failing", containsString(denied + ": auth_error"))
                .body("checks.find { it.name == 'discovery' }.data.failing", containsString("AuthorizationFailed"));
        given().get("/q/health/ready").then().body("checks.name",
                org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("discovery")));

        azure.stubFor(LocalArm.clusterList(denied).atPriority(1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"SubscriptionNotFound\","
                        + "\"message\":\"The subscription '" + denied + "' could not be found.\"}}")));
        FleetDiscovery.ListingReport unknown = discovery.discoverOnce(NOW.plusSeconds(600));
        FleetDiscovery.ListingReport unknownAgain = discovery.discoverOnce(NOW.plusSeconds(900));

        assertTrue(forbidden.subscriptions().get(denied).startsWith("failed: auth_error HTTP 403"),
                forbidden.subscriptions().toString());
        assertTrue(unknown.subscriptions().get(denied).startsWith("failed: client_error HTTP 404"),
                unknown.subscriptions().toString());
        assertEquals("listed 1", unknownAgain.subscriptions().get(fine));
        assertEquals(0, forbidden.removed() + unknown.removed() + unknownAgain.removed(), "a failed listing deletes nothing");
        Map<String, List<JsonNode>> published = byKey(profiles.records());
        assertEquals(1, published.get("aks-denied").size(), "published once, never tombstoned");

        azure.stubFor(LocalArm.clusterList(denied).atPriority(1).willReturn(okJson(
                new ObjectNodeList(new Cluster(denied, "rg", "aks-denied", "westeurope")
                        .pool("system", 1, 30, deniedVnet.subnet("aks"))).json())));
        FleetDiscovery.ListingReport recovered = discovery.discoverOnce(NOW.plusSeconds(1200));
        assertEquals("listed 1", recovered.subscriptions().get(denied));
        assertEquals(0, recovered.added() + recovered.changed(), "unchanged: nothing to publish");
        given().get("/q/health/well").then().body("checks.find { it.name == 'discovery' }.status", is("UP"));
    }

    @Test
    void aClusterGoneFromTwoListingsInARowIsTombstonedAndAFailedListingCountsForNothing() {
        String sub = "d15c0007-0000-4000-8000-000000000007";
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 62);
        vnet.serve(azure);
        Cluster stays = new Cluster(sub, "rg", "aks-stays", "westeurope").pool("system", 1, 30, vnet.subnet("aks"));
        Cluster goes = new Cluster(sub, "rg", "aks-goes", "westeurope").pool("system", 1, 30, vnet.subnet("aks"));
        LocalArm.serveClusters(azure, sub, List.of(stays, goes));
        FleetDiscovery discovery = discovery(sub);
        assertEquals(2, discovery.discoverOnce(NOW).added());

        LocalArm.serveClusters(azure, sub, List.of(stays));
        FleetDiscovery.ListingReport absentOnce = discovery.discoverOnce(NOW.plusSeconds(300));
        azure.stubFor(LocalArm.clusterList(sub).atPriority(1).willReturn(aResponse().withStatus(500)));
        FleetDiscovery.ListingReport failed = discovery.discoverOnce(NOW.plusSeconds(600));
        azure.removeStub(azure.getStubMappings().stream().filter(m -> m.getPriority() != null
                && m.getPriority() == 1).findFirst().orElseThrow());
        FleetDiscovery.ListingReport absentTwice = discovery.discoverOnce(NOW.plusSeconds(900));

        assertEquals(0, absentOnce.removed());
        assertTrue(failed.subscriptions().get(sub).startsWith("failed: server_error HTTP 500"),
                failed.subscriptions().toString());
        assertEquals(0, failed.removed());
        assertEquals(1, absentTwice.removed());
        Map<String, List<JsonNode>> published = byKey(profiles.records());
        assertEquals(2, published.get("aks-goes").size(), "its profile, then one tombstone");
        assertNull(published.get("aks-goes").get(1), "a tombstone");
        assertEquals(2, published.get("aks-stays").size(),
                "unchanged, published again by the first successful listing 8 minutes after its first write");
        assertEquals(published.get("aks-stays").get(0), published.get("aks-stays").get(1));
        assertEquals(Map.of(), Map.copyOf(targets.targets()).entrySet().stream()
                .filter(e -> e.getKey().equals("aks-goes")).collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue)), "the poller stops watching it");
    }

    @Test
    void anUnchangedFleetIsNotRepublishedAcrossARestartAndAPoolAddedIsPublishedOnce() {
        String sub = "d15c0008-0000-4000-8000-000000000008";
        Vnet vnet = new Vnet(sub, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 93);
        vnet.serve(azure);
        Cluster cluster = new Cluster(sub, "rg", "aks-steady", "westeurope").pool("system", 3, 30, vnet.subnet("aks"));
        LocalArm.serveClusters(azure, sub, List.of(cluster));
        FleetDiscovery first = discovery(sub);
        assertEquals(1, first.discoverOnce(NOW).added());
        FleetDiscovery.ListingReport unchanged = first.discoverOnce(NOW.plusSeconds(300));

        FleetDiscovery restarted = discovery(sub);
        FleetDiscovery.ListingReport afterRestart = restarted.discoverOnce(NOW.plusSeconds(600));

        cluster.pool("gpu", 2, 30, vnet.subnet("aks"));
        LocalArm.serveClusters(azure, sub, List.of(cluster));
        FleetDiscovery.ListingReport poolAdded = restarted.discoverOnce(NOW.plusSeconds(900));
        FleetDiscovery.ListingReport steadyAgain = restarted.discoverOnce(NOW.plusSeconds(1200));

        assertEquals(List.of(0, 0), List.of(unchanged.added() + unchanged.changed(),
                afterRestart.added() + afterRestart.changed()));
        assertTrue(afterRestart.resumed());
        assertEquals(1, poolAdded.changed());
        assertEquals(0, steadyAgain.added() + steadyAgain.changed());
        List<JsonNode> published = byKey(profiles.records()).get("aks-steady");
        assertEquals(2, published.size(), "the first profile and the one with the new pool: " + published);
        assertEquals(2, published.get(1).path("agentPoolProfiles").size());
        // What the log line says changed.
        assertEquals("agentPoolProfiles[gpu] added", ProfileDiff.describe(published.get(0), published.get(1)));
    }

    @Test
    void collidingNamesAreQualifiedByResourceGroupThenSubscription() {
        String one = "d15c0009-0000-4000-8000-000000000009";
        String two = "e15c0010-0000-4000-8000-000000000010";
        Vnet vnet = new Vnet(one, "net", "vnet", "10.0.0.0/8").subnet("aks", "10.240.0.0/16", 0);
        vnet.serve(azure);
        LocalArm.serveClusters(azure, one, List.of(
                new Cluster(one, "rg1", "aks", "westeurope").pool("system", 1, 30, vnet.subnet("aks")),
                new Cluster(one, "rg2", "aks", "westeurope").pool("system", 1, 30, vnet.subnet("aks")),
                new Cluster(one, "rg3", "solo", "westeurope").pool("system", 1, 30, vnet.subnet("aks"))));
        LocalArm.serveClusters(azure, two, List.of(
                new Cluster(two, "rg1", "aks", "westeurope").pool("system", 1, 30, vnet.subnet("aks"))));

        discovery(one, two).discoverOnce(NOW);

        assertEquals(List.of("aks.rg1.d15c0009", "aks.rg1.e15c0010", "aks.rg2", "solo"),
                byKey(profiles.records()).keySet().stream().sorted().toList());
    }

    double count(String name, String... tags) {
        io.micrometer.core.instrument.Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    static List<LoggedRequest> sorted(List<LoggedRequest> requests) {
        List<LoggedRequest> sorted = new java.util.ArrayList<>(requests);
        sorted.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return sorted;
    }

    /** One page of clusters, without nextLink. */
    record ObjectNodeList(Cluster... clusters) {
        String json() {
            com.fasterxml.jackson.databind.node.ObjectNode page = JSON.createObjectNode();
            var value = page.putArray("value");
            for (Cluster cluster : clusters) {
                value.add(cluster.json);
            }
            return page.toString();
        }
    }
}
