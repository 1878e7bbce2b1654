package io.aksheadroom.kubernetes;

import static io.aksheadroom.kubernetes.MockCluster.NODE_AT_START;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.support.NodeEventsInMemory;
import io.aksheadroom.support.SeverableTcpProxy;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

/** An API server that cannot be reached while the pod starts must neither stop the app nor the watcher for good. */
@QuarkusTest
@WithTestResource(NodeEventsInMemory.class)
@WithTestResource(value = MockCluster.class, initArgs = @ResourceArg(name = "api-server", value = "down"))
class NodeWatcherApiServerDownAtStartTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    /** Set by {@link MockCluster}: refusing every connection when the application starts. */
    SeverableTcpProxy network;

    @Test
    void theAppStartsAndTheWatcherCatchesUpOnceTheApiServerAnswers() {
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        // The first listing was refused; catching up below is then the proof that a failed start is retried.
        await().atMost(Duration.ofSeconds(30)).until(() -> network.refused() >= 1);
        assertEquals(List.of(), new PublishedNodeEvents(connector).all(), "nothing to publish before the first listing");

        network.accept();

        new PublishedNodeEvents(connector).await(NodeEventType.NODE_INVENTORY, inventory -> inventory.lists(NODE_AT_START));
    }
}
