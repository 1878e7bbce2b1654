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

    /**
     * Deflate level (1 fastest to 9 smallest) of {@code /q/metrics} for a scraper that accepts gzip, as Prometheus
     * does; 0 always sends plain text. At 1,000 clusters level 1 makes 14 MB about 0.6 MB for about as much CPU again
     * as rendering the text (bench/NOTES.md): worth it where the scrape crosses a network, not on one host.
     */
    @WithDefault("0")
    int gzipLevel();
}
