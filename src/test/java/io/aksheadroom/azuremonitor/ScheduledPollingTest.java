package io.aksheadroom.azuremonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The poller as deployed: started by the scheduler from configuration alone, reading back the topics first
 * (resume-from-topics defaults to true) from the real broker, then asking Azure Monitor every poll interval.
 */
@QuarkusTest
@TestProfile(ScheduledPolling.class)
class ScheduledPollingTest {

    @AzureMonitorServer.Injected
    WireMockServer azure;

    @Test
    void configuredTargetsArePolledEveryIntervalAfterReadingTheTopicsBack() {
        await().atMost(Duration.ofSeconds(30)).until(() -> azure.findAll(postRequestedFor(urlPathEqualTo(
                "/subscriptions/" + LocalAzureTargets.SUB + "/metrics:getBatch"))).size() >= 12);

        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'azure-monitor' }.data.resumed", is(true))
                .body("checks.find { it.name == 'azure-monitor' }.data.lastSuccessAt", notNullValue())
                .body("checks.find { it.name == 'azure-monitor' }.data.batches", is(3));
    }
}
