package io.aksheadroom.azuremonitor;

import java.util.List;
import java.util.Map;

import io.aksheadroom.support.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Four clusters against the local Azure: two load balancers of one subscription and region (one call), one in
 * another region (its own call), and a NAT gateway cluster. Short delays so retries and timeouts are quick.
 */
public class LocalAzureTargets implements QuarkusTestProfile {

    static final String SUB = "0b1f6471-1bf0-4dda-aec3-1111aaaa2222";
    static final String LB_WEU1 = lb("MC_rg_weu1_westeurope");
    static final String LB_WEU2 = lb("MC_rg_weu2_westeurope");
    static final String LB_NEU = lb("MC_rg_neu_northeurope");
    static final String NAT_GATEWAY = "/subscriptions/" + SUB
            + "/resourceGroups/MC_rg_nat_westeurope/providers/Microsoft.Network/natGateways/aks-natgw";

    static String lb(String nodeResourceGroup) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + nodeResourceGroup
                + "/providers/Microsoft.Network/loadBalancers/kubernetes";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(targets());
        // Tests drive polls themselves, at instants of their choosing, each from a poller with no history.
        config.put("quarkus.scheduler.enabled", "false");
        config.put("aks-headroom.azure-monitor.resume-from-topics", "false");
        return config;
    }

    static Map<String, String> targets() {
        return Map.ofEntries(
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-1\".resource-ids", LB_WEU1),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-1\".region", "westeurope"),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-1\".max-backends", "10"),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-1\".frontend-ips", "2"),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-2\".resource-ids", LB_WEU2),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-2\".region", "West Europe"),
                Map.entry("aks-headroom.azure-monitor.targets.\"weu-2\".max-backends", "5"),
                Map.entry("aks-headroom.azure-monitor.targets.\"neu-1\".resource-ids", LB_NEU),
                Map.entry("aks-headroom.azure-monitor.targets.\"neu-1\".region", "northeurope"),
                Map.entry("aks-headroom.azure-monitor.targets.\"nat-1\".resource-ids", NAT_GATEWAY),
                Map.entry("aks-headroom.azure-monitor.targets.\"nat-1\".region", "westeurope"),
                Map.entry("aks-headroom.azure-monitor.settle-delay", "2m"),
                Map.entry("aks-headroom.azure-monitor.lookback", "5m"),
                Map.entry("aks-headroom.azure-monitor.max-retries", "2"),
                Map.entry("aks-headroom.azure-monitor.retry-delay", "100ms"),
                Map.entry("aks-headroom.azure-monitor.max-retry-delay", "1s"),
                Map.entry("aks-headroom.azure-monitor.max-retry-after", "5s"),
                Map.entry("aks-headroom.azure-monitor.call-timeout", "2s"),
                Map.entry("aks-headroom.azure-monitor.unhealthy-after", "2"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(AzureMonitorServer.class));
    }
}
