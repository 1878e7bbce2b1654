package io.aksheadroom.azuremonitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The same targets as {@link LocalAzureTargets}, left to the scheduler as in production, polling every second. */
public class ScheduledPolling implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(LocalAzureTargets.targets());
        config.put("aks-headroom.azure-monitor.poll-interval", "1s");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(AzureMonitorServer.class));
    }
}
