package io.aksheadroom.kubernetes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aksheadroom.support.NodeEventsInMemory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import org.junit.jupiter.api.Test;

/**
 * The default: no watcher, and no Kubernetes at all. This machine has no kubeconfig, no service account and no Docker
 * engine, as a laptop often has not, and the app must start all the same.
 */
@QuarkusTest
@WithTestResource(NodeEventsInMemory.class)
class NodeWatcherOffTest {

    @Test
    void theAppStartsWithoutAClusterAndNeverBuildsAKubernetesClient() {
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);

        BeanManager beans = Arc.container().beanManager();
        Bean<?> client = beans.resolve(beans.getBeans(KubernetesClient.class));
        assertEquals(ApplicationScoped.class, client.getScope(), "a lazily created client, behind a proxy");
        assertNull(beans.getContext(ApplicationScoped.class).get(client),
                "with the watcher off nothing creates the client, so no kubeconfig is read and no API server dialled");
    }
}
