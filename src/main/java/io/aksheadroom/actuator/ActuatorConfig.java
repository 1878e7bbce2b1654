package io.aksheadroom.actuator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.aksheadroom.actuator.core.Mode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** How long one HTTP attempt to Azure Resource Manager may wait for its answer before it counts as timed out. */
    @WithDefault("30s")
    Duration callTimeout();

    /** Retries of one call after a 408, 429, 5xx or connection error; an If-Match write is safe to retry. */
    @WithDefault("3")
    int maxRetries();

    /** The first retry's delay when Azure sends no Retry-After; it doubles per retry. */
    @WithDefault("1s")
    Duration retryDelay();

    /** The longest delay between two retries of one call when Azure sends no Retry-After. */
    @WithDefault("30s")
    Duration maxRetryDelay();

    /** The longest Retry-After waited for inside one decision; a longer one fails the call, to be decided again later. */
    @WithDefault("60s")
    Duration maxRetryAfter();
}
