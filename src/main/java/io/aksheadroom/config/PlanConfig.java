package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tunables of the capacity model's recommendation and utilization rules (SNAT-7, SNAT-8). */
@ConfigMapping(prefix = "aks-headroom.plan")
public interface PlanConfig {

    /** Recommended ports per node are the observed peak demand times this factor (SNAT-8). */
    @WithDefault("1.5")
    double headroomFactor();

    /** The floor of a port recommendation, in ports per node (SNAT-8). */
    @WithDefault("1024")
    int minPortsPerNode();

    /** A node's used/allocated SNAT ports at or above this share is a warning (SNAT-7). */
    @WithDefault("0.75")
    double utilizationWarning();

    /** A node's used/allocated SNAT ports at or above this share is critical (SNAT-7). */
    @WithDefault("0.90")
    double utilizationCritical();
}
