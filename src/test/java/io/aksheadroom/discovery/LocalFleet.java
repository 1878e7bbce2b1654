package io.aksheadroom.discovery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.aksheadroom.azuremonitor.AzureMonitorServer;
import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Fleet discovery against the local Azure (Resource Manager, Azure Monitor and the token endpoint, over HTTPS) and
 * a broker of its own. Tests drive listings and polls themselves, at instants of their choosing, each with
 * subscriptions of its own so that what one test publishes is no other test's fleet. Short delays so retries and
 * timeouts are quick.
 */
public class LocalFleet implements QuarkusTestProfile {

    /** The configured subscriptions; tests that need others answer {@code subscriptions} differently. */
    static final String SUB = "5a0c1e57-0000-4000-8000-00000000000a";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.scheduler.enabled", "false");
        config.put("aks-headroom.discovery.subscriptions", SUB);
        config.put("aks-headroom.discovery.max-retries", "2");
        config.put("aks-headroom.discovery.retry-delay", "100ms");
        config.put("aks-headroom.discovery.max-retry-delay", "1s");
        config.put("aks-headroom.discovery.max-retry-after", "5s");
        config.put("aks-headroom.discovery.call-timeout", "3s");
        config.put("aks-headroom.azure.token-timeout", "3s");
        config.put("aks-headroom.azure-monitor.settle-delay", "2m");
        config.put("aks-headroom.azure-monitor.lookback", "5m");
        config.put("aks-headroom.azure-monitor.max-retries", "2");
        config.put("aks-headroom.azure-monitor.retry-delay", "100ms");
        config.put("aks-headroom.azure-monitor.max-retry-delay", "1s");
        config.put("aks-headroom.azure-monitor.max-retry-after", "5s");
        config.put("aks-headroom.azure-monitor.call-timeout", "3s");
        config.put("aks-headroom.azure-monitor.unhealthy-after", "2");
        config.put("aks-headroom.azure-monitor.resume-from-topics", "false");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(AzureMonitorServer.class));
    }
}
