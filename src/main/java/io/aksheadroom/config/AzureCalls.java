package io.aksheadroom.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * How one Azure client calls Azure: time per attempt and retries. Each client maps this group under its own prefix
 * with {@code @WithParentName}, so the properties stay {@code <prefix>.call-timeout}, {@code .max-retries},
 * {@code .retry-delay} and {@code .max-retry-delay}.
 */
public interface AzureCalls {

    /** How long one HTTP attempt may wait for Azure's answer before it counts as timed out. */
    @WithDefault("30s")
    Duration callTimeout();

    /** Retries of one call after a 408, 429, 5xx or connection error. */
    @WithDefault("3")
    int maxRetries();

    /** The first retry's delay when Azure sends no Retry-After; it doubles per retry. */
    @WithDefault("1s")
    Duration retryDelay();

    /** The longest delay between two retries of one call when Azure sends no Retry-After. */
    @WithDefault("30s")
    Duration maxRetryDelay();
}
