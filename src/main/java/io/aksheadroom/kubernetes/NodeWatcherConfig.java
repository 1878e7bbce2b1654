package io.aksheadroom.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The node watcher: Kubernetes {@code Node} objects to {@code aks.node-events} records. */
@ConfigMapping(prefix = "aks-headroom.node-watcher")
public interface NodeWatcherConfig {

    /** Watch the cluster's nodes; off by default, since outside a cluster there is usually none to watch (the k8s ConfigMap turns it on). */
    @WithDefault("false")
    boolean enabled();

    /** The clusterId every record carries and is keyed by: the clusterId of this cluster's profile. Required when enabled. */
    Optional<String> clusterId();

    /** How often the full node list goes out as a NodeInventory, besides the one once the first listing is in. */
    @WithDefault("PT5M")
    Duration inventoryInterval();
}
