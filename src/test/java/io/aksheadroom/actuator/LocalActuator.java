package io.aksheadroom.actuator;

import java.util.List;
import java.util.Map;

import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The actuator against the local Azure over HTTPS and a broker of its own; short delays so retries are quick. The
 * service's own actuator applies, to {@link #APPLIED} only: the other tests build actuators of their own.
 */
public class LocalActuator implements QuarkusTestProfile {

    /** The one cluster the service's own actuator may write to. */
    static final String APPLIED = "act-e2e";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.scheduler.enabled", "false",
                "aks-headroom.actuator.mode", "apply",
                "aks-headroom.actuator.clusters", APPLIED,
                "aks-headroom.actuator.max-retries", "2",
                "aks-headroom.actuator.retry-delay", "100ms",
                "aks-headroom.actuator.max-retry-delay", "1s",
                "aks-headroom.actuator.max-retry-after", "5s",
                "aks-headroom.actuator.call-timeout", "3s",
                "aks-headroom.azure.token-timeout", "3s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(AzureMonitorServer.class));
    }
}
