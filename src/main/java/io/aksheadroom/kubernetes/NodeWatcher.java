package io.aksheadroom.kubernetes;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Watches the cluster's {@code Node} objects with an informer and publishes what the capacity model needs of them to
 * {@code aks.node-events}, keyed by the configured clusterId: {@code NodeAdded} / {@code NodeRemoved} as nodes come
 * and go, and a {@code NodeInventory} (the full list, which replaces what a consumer knew) once the first listing is
 * in and every {@code inventory-interval} after.
 * <p>
 * Every replica of the service runs its own watcher: the records are idempotent (an add names the node, an inventory
 * replaces), so two replicas double a small volume instead of needing a leader lease and the RBAC to write one.
 */
@ApplicationScoped
public class NodeWatcher {

    private static final Logger LOG = Logger.getLogger(NodeWatcher.class);

    private final NodeWatcherConfig config;
    private final KubernetesClient kubernetes;
    private final MutinyEmitter<Record<String, String>> emitter;
    private final OutgoingRecords records;
    private final Vertx vertx;
    private final Clock clock;

    /**
     * Held while a record is chosen and handed to the emitter, by the informer's handler and by the inventory alike,
     * so the topic sees them in the order the informer's cache changed.
     */
    private final Object order = new Object();
    /** The uids of the first inventory; null until it is taken. Guarded by {@link #order}. */
    private Set<String> listedAtStart;

    private String clusterId;
    private SharedIndexInformer<Node> informer;
    private volatile long inventoryTimer = -1;

    NodeWatcher(NodeWatcherConfig config, KubernetesClient kubernetes,
            @Channel(Channels.NODE_EVENTS_PUBLISH) MutinyEmitter<Record<String, String>> emitter,
            OutgoingRecords records, Vertx vertx, Clock clock) {
        this.config = config;
        this.clock = clock;
        // A client proxy: nothing is configured or connected until the first call, so with the watcher off the app
        // starts without a kubeconfig or a service account.
        this.kubernetes = kubernetes;
        this.emitter = emitter;
        this.records = records;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        clusterId = config.clusterId().filter(id -> !id.isBlank()).orElseThrow(() -> new IllegalStateException(
                "aks-headroom.node-watcher.cluster-id is required when aks-headroom.node-watcher.enabled=true:"
                        + " set it to the clusterId of this cluster's profile"));
        // No resync: fabric8 resyncs by replaying its own cache as updates with nothing changed, which cannot repair
        // anything the periodic inventory (taken from that same cache) does not.
        informer = kubernetes.nodes().runnableInformer(0);
        informer.addEventHandler(new Events());
        // Keep listing and watching whatever fails, the first listing included: an API server that is down while this
        // pod starts, or RBAC applied a minute late, must not leave the app without node events until a restart.
        // The informer logs each failure and backs off exponentially.
        informer.exceptionHandler((started, failure) -> true);
        informer.start().thenRun(() -> {
            LOG.infof("Watching nodes for cluster %s", clusterId);
            publishInventory();
            inventoryTimer = vertx.setPeriodic(config.inventoryInterval().toMillis(), id -> publishInventory());
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (inventoryTimer >= 0) {
            vertx.cancelTimer(inventoryTimer);
        }
        if (informer != null) {
            informer.stop();
        }
    }

    private void publishInventory() {
        synchronized (order) {
            List<Node> nodes = informer.getStore().list();
            if (listedAtStart == null) {
                listedAtStart = nodes.stream().map(node -> node.getMetadata().getUid()).collect(Collectors.toSet());
            }
            List<NodeInfo> infos = nodes.stream().map(NodeMapping::toInfo).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(NodeInfo::name)).toList();
            publish(NodeEvent.inventory(clusterId, clock.instant(), infos));
        }
    }

    private void publish(NodeEvent event) {
        emitter.sendMessage(records.of(event)).subscribe().with(sent -> {
        }, failure -> LOG.warnf(failure, "%s for cluster %s not published; the next NodeInventory carries the state",
                event.type().wireName(), event.clusterId()));
    }

    /** Called by the informer one event at a time, in the order the API server sent them. */
    private final class Events implements ResourceEventHandler<Node> {

        @Override
        public void onAdd(Node node) {
            synchronized (order) {
                // Nodes that were there at start are in the first inventory (the cache holds a node before its add
                // arrives here); an add for them would claim a node appeared that merely existed.
                if (listedAtStart == null || listedAtStart.contains(node.getMetadata().getUid())) {
                    return;
                }
                NodeMapping.toInfo(node).ifPresent(info -> publish(NodeEvent.added(clusterId, NodeMapping.addedAt(node), info)));
            }
        }

        @Override
        public void onUpdate(Node before, Node after) {
            synchronized (order) {
                if (listedAtStart == null) {
                    return;
                }
                // The kubelet rewrites status often (conditions, heartbeats): only a change to what the model sees
                // is news. A node that gets its pool label now becomes one the model counts: an add.
                Optional<NodeInfo> info = NodeMapping.toInfo(after);
                if (info.isPresent() && !info.equals(NodeMapping.toInfo(before))) {
                    publish(NodeEvent.added(clusterId, NodeMapping.addedAt(after), info.get()));
                }
            }
        }

        @Override
        public void onDelete(Node node, boolean deletedFinalStateUnknown) {
            synchronized (order) {
                if (listedAtStart == null) {
                    return;
                }
                NodeMapping.toInfo(node).ifPresent(
                        info -> publish(NodeEvent.removed(clusterId, NodeMapping.removedAt(node, clock.instant()), info)));
            }
        }
    }
}
