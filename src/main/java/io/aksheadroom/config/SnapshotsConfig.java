package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * State snapshots on {@code aks.monitor-state}: what a new owner of an input partition restores instead of replaying
 * the whole replay window, reading only the records after them.
 */
@ConfigMapping(prefix = "aks-headroom.snapshots")
public interface SnapshotsConfig {

    /** Whether to write snapshots of the clusters owned and to restore from them when taking input partitions. */
    @WithDefault("true")
    boolean enabled();

    /** How often the clusters changed since the last snapshot are written, at most; records keep flowing meanwhile. */
    @WithDefault("PT5S")
    Duration interval();

    /**
     * A cluster whose snapshot is older than this is written again although nothing changed, so that a quiet
     * cluster's snapshot stays inside the replay windows and its partition can be restored from it.
     */
    @WithDefault("PT10M")
    Duration refreshAfter();
}
