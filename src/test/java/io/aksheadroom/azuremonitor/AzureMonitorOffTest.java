package io.aksheadroom.azuremonitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Without targets the poller is off: no Azure client, no calls, and the health data says so. */
@QuarkusTest
class AzureMonitorOffTest {

    @Inject
    AzureMonitorPoller poller;

    @Test
    void noTargetsNoPolling() {
        assertFalse(poller.enabled());
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'azure-monitor' }.status", is("UP"))
                .body("checks.find { it.name == 'azure-monitor' }.data.enabled", is(false));
    }
}
