package io.aksheadroom.pipeline;

import io.aksheadroom.dev.EmbeddedKafkaBroker;

import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class BrokerOutageReadinessTest {

    EmbeddedKafkaBroker broker;

    @Test
    void readinessFollowsTheBrokerWhileLivenessStaysUp() {
        await("ready with the broker up").atMost(Duration.ofSeconds(30))
                .until(() -> get("/q/health/ready").statusCode() == 200);

        broker.stop();
        try {
            await("not ready with the broker down").atMost(Duration.ofSeconds(30))
                    .until(() -> get("/q/health/ready").statusCode() == 503);
            get("/q/health/live").then().statusCode(200);
        } finally {
            broker.restart();
        }

        await("ready again once the broker is back").atMost(Duration.ofSeconds(60))
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }
}
