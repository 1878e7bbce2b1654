package io.aksheadroom.actuator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.aksheadroom.actuator.core.Mode;
import io.aksheadroom.config.AzureCalls;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The actuator: whether and where recommendations are applied to managed clusters, and the guardrails every write is
 * held to. Identity, trust and the Resource Manager endpoint are every Azure client's ({@code aks-headroom.azure.*}).
 */
@ConfigMapping(prefix = "aks-headroom.actuator")
public interface ActuatorConfig {

    /** {@code off} (nothing read or decided), {@code dry-run} (decide and record, never write) or {@code apply}. */
    @WithDefault("off")
    Mode mode();

    /** The clusterIds the actuator may touch, comma-separated; none means none, {@code *} means all. */
    Optional<Set<String>> clusters();

    /** The most outbound IPs one action adds to a cluster. */
    @WithDefault("2")
    int maxIpStep();

    /** The least time between two actions on one cluster; after it, a sample newer than the action is also needed. */
    @WithDefault("30m")
    Duration cooldown();

    /**
     * In {@code apply} mode, lower an autoscaling pool's {@code maxCount} to its CAP-1 ceiling (never below its
     * {@code minCount} or its current count), under the same guardrails; in {@code dry-run}, record what it would do.
     */
    @WithDefault("false")
    boolean capMaxCount();

    /**
     * Time per attempt and retries of each call to Azure Resource Manager; an If-Match write is safe to retry.
     */
    @WithParentName
    AzureCalls calls();

    /** The longest Retry-After waited for inside one decision; a longer one fails the call, to be decided again later. */
    @WithDefault("60s")
    Duration maxRetryAfter();
}
