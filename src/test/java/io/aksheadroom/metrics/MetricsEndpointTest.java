package io.aksheadroom.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.KafkaBrokerResource;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Profiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} of the running service: a cluster sent through Kafka shows up beside Micrometer's meters in one
 * well-formed exposition, and {@code name[]} narrows a scrape to the named families.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class MetricsEndpointTest {

    private static final String CLUSTER = "metrics-endpoint";
    private static final String CONSUMED = "aks_headroom_records_consumed_total";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static Response scrape(String query) {
        return given().get("/q/metrics" + query).then().statusCode(200).extract().response();
    }

    private static Set<String> families(String text) {
        return Exposition.parse(text).series.stream().map(Exposition.Series::name).collect(Collectors.toSet());
    }

    @BeforeEach
    void aClusterIsMonitored() {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            kafka.send("aks.cluster-profiles", CLUSTER, Profiles.vector("default-tier-drop-on-scale", CLUSTER)
                    .toString());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape("").asString()
                .contains("aks_headroom_cluster_info{cluster=\"" + CLUSTER + "\""));
    }

    @Test
    void oneExpositionHoldsTheServicesMetersAndTheFleet() {
        Response response = scrape("");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
        Exposition all = Exposition.parse(response.asString());
        all.byKey(); // no series twice
        Set<String> names = families(response.asString());
        assertTrue(names.contains(CONSUMED), "a pipeline counter");
        assertTrue(names.contains("jvm_memory_used_bytes"), "a JVM meter");
        assertTrue(names.contains(FleetSeries.PLANNED_NODES.name()), "a fleet family");
        assertTrue(all.series.stream().anyMatch(s -> s.name().equals(FleetSeries.PLANNED_NODES.name())
                && s.labels().get("cluster").equals(CLUSTER) && s.value() == 53), "the vector's 53 planned nodes");
    }

    @Test
    void aScrapeByNameHasOnlyThoseFamilies() {
        assertEquals(Set.of(CONSUMED), families(scrape("?name[]=" + CONSUMED).asString()));
        assertEquals(Set.of(CONSUMED, FleetSeries.OUTBOUND_IPS.name()),
                families(scrape("?name[]=" + CONSUMED + "&name[]=" + FleetSeries.OUTBOUND_IPS.name()).asString()));
        assertEquals(Set.of(), families(scrape("?name[]=no_such_family").asString()));
    }

    @Test
    void quarkusOwnEndpointStillServesTheMetersWithoutTheFleet() {
        Set<String> names = families(given().get("/q/metrics/service").then().statusCode(200).extract().asString());
        assertTrue(names.contains(CONSUMED));
        assertFalse(names.stream().anyMatch(name -> FleetSeries.METRICS.stream().anyMatch(m -> m.name().equals(name))),
                names.toString());
    }
}
