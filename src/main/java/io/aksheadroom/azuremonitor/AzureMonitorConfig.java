package io.aksheadroom.azuremonitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.aksheadroom.config.AzureCalls;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The Azure Monitor poller: which resources to watch per cluster, where Azure Monitor is and how hard to try. The
 * identity and trust settings are every Azure client's ({@code aks-headroom.azure.*}). The poller is off while
 * {@link #targets()} is empty and fleet discovery is off.
 */
@ConfigMapping(prefix = "aks-headroom.azure-monitor")
public interface AzureMonitorConfig {

    /**
     * Resources to watch, keyed by clusterId (the key of the published records), on top of the clusters fleet
     * discovery finds; a cluster named here is watched as written here, whatever discovery finds for it.
     */
    Map<String, Target> targets();

    /**
     * The batch metrics endpoint; {@code {region}} is replaced by each target's region. Azure Government:
     * {@code https://{region}.metrics.monitor.azure.us}; Azure China: {@code https://{region}.metrics.monitor.azure.cn}.
     */
    @WithDefault("https://{region}.metrics.monitor.azure.com")
    String endpoint();

    /** The token audience of the endpoint ({@code https://metrics.monitor.azure.us} / {@code .azure.cn} elsewhere). */
    @WithDefault("https://metrics.monitor.azure.com")
    String audience();

    /** How often to poll; each poll asks for every target. */
    @WithDefault("60s")
    Duration pollInterval();

    /**
     * How old a minute must be before it is published: a minute is published once and never corrected, so it waits
     * until Azure Monitor has ingested all of it (platform metrics typically arrive within a few minutes).
     */
    @WithDefault("3m")
    Duration settleDelay();

    /** How far back each poll asks: an outage of the poller or of Azure Monitor shorter than this loses no minute. */
    @WithDefault("10m")
    Duration lookback();

    /** Resource ids per batch call; the API allows at most 50. */
    @WithDefault("50")
    int maxResourcesPerCall();

    /** Time per attempt and retries of each call to Azure Monitor; timeouts are left to the next poll. */
    @WithParentName
    AzureCalls calls();

    /**
     * How long a poll waits for the broker to acknowledge what it published; a minute not acknowledged by then is
     * sent again by the next poll, so this is generous: tens of thousands of records per poll are normal.
     */
    @WithDefault("60s")
    Duration publishTimeout();

    /**
     * The longest Retry-After honoured by waiting inside a poll; a longer one ends the call and the same resources
     * are not asked again before it has passed, so one throttled subscription does not hold up the others.
     */
    @WithDefault("30s")
    Duration maxRetryAfter();

    /** The longest pause of a call that keeps failing (it doubles per failed poll, starting at one poll). */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Polls in a row without one successful call before the health data reports Azure Monitor unreachable. */
    @WithDefault("3")
    int unhealthyAfter();

    /**
     * Whether to read back, at start, the newest minute already on the topics, so that a restart publishes no minute
     * twice; the poller publishes nothing until that read worked. Off only where no broker can be read (tests with
     * the in-memory connector): then a restart may publish up to {@link #lookback()} of minutes again.
     */
    @WithDefault("true")
    boolean resumeFromTopics();

    /** How long to wait for the Kafka broker when reading back what was already published, at start. */
    @WithDefault("30s")
    Duration resumeTimeout();

    /** What to watch for one cluster. */
    interface Target {

        /**
         * ARM ids of the cluster's outbound load balancer(s) and/or NAT gateway, e.g.
         * {@code /subscriptions/<sub>/resourceGroups/<node resource group>/providers/Microsoft.Network/loadBalancers/kubernetes}.
         */
        List<String> resourceIds();

        /** The resources' Azure region, e.g. {@code westeurope}; the batch metrics API is regional. */
        String region();

        /**
         * The most nodes the cluster can have (autoscaler maxCount plus surge, over all pools): sizes the query's
         * {@code top} so every backend comes back, not Azure's default 10.
         */
        @WithDefault("1000")
        int maxBackends();

        /** The load balancer's outbound frontend IPs: each splits every backend's series once more. */
        @WithDefault("1")
        int frontendIps();
    }
}
