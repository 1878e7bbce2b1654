package io.aksheadroom.azuremonitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Sixty clusters of 300 nodes, one load balancer each, all in one subscription and region: two batch calls. */
public class SixtyLoadBalancers implements QuarkusTestProfile {

    static final String SUB = "6f3a9c2e-0000-4000-8000-00000000b01c";
    static final int CLUSTERS = 60;
    static final int NODES = 300;

    static String lb(int cluster) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + String.format("MC_rg_bulk_%02d", cluster)
                + "_westeurope/providers/Microsoft.Network/loadBalancers/kubernetes";
    }

    static String cluster(int cluster) {
        return String.format("bulk-%02d", cluster);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < CLUSTERS; i++) {
            String prefix = "aks-headroom.azure-monitor.targets.\"" + cluster(i) + "\".";
            config.put(prefix + "resource-ids", lb(i));
            config.put(prefix + "region", "westeurope");
            config.put(prefix + "max-backends", Integer.toString(NODES));
        }
        config.put("aks-headroom.azure-monitor.settle-delay", "2m");
        config.put("aks-headroom.azure-monitor.lookback", "5m");
        config.put("aks-headroom.azure-monitor.call-timeout", "60s");
        // The test drives the polls, at instants of its choosing.
        config.put("quarkus.scheduler.enabled", "false");
        config.put("aks-headroom.azure-monitor.resume-from-topics", "false");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(AzureMonitorServer.class));
    }
}
