package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The fleet's Prometheus series on {@code /q/metrics}. */
@ConfigMapping(prefix = "aks-headroom.metrics")
public interface MetricsConfig {

    /**
     * Per-node SNAT series (used, allocated, utilization) are exported for this many backends per cluster, the highest
     * utilization first; every backend still counts in its pool's max and p95. Bounds the series count: 3 per backend.
     */
    @WithDefault("20")
    int topNodes();
}
