package io.aksheadroom.kubernetes;

import static io.aksheadroom.kubernetes.MockCluster.CLUSTER_ID;
import static io.aksheadroom.kubernetes.MockCluster.NODE_AT_START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.kubernetes.PublishedNodeEvents.Published;
import io.aksheadroom.support.NodeEventsInMemory;
import io.aksheadroom.support.SeverableTcpProxy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node watcher against fabric8's mock API server in CRUD mode, with what it publishes caught by the in-memory
 * connector. Each test works on nodes of its own, so the order the tests run in does not matter.
 */
@QuarkusTest
@WithTestResource(NodeEventsInMemory.class)
@WithTestResource(MockCluster.class)
class NodeWatcherTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    /** Set by {@link MockCluster}. */
    KubernetesServer cluster;
    /** Set by {@link MockCluster}: the watcher's only way to the API server. */
    SeverableTcpProxy network;

    private PublishedNodeEvents published;

    @BeforeEach
    void readTheSink() {
        published = new PublishedNodeEvents(connector);
    }

    @Test
    void nodesThatExistAtStartAreReportedByTheFirstInventoryNotAsAdditions() {
        Published first = published.await(NodeEventType.NODE_INVENTORY, inventory -> inventory.lists(NODE_AT_START));
        assertEquals(List.of(new NodeInfo(NODE_AT_START, "system", "10.224.0.4", 30)), first.event().nodes());
        assertEquals(CLUSTER_ID, first.key());
        assertEquals(CLUSTER_ID, first.event().clusterId());

        // The informer hands over events one at a time and in order, so once a node created now has been published,
        // any add of the node that existed at start would have been published before it.
        Published marker = addAndAwait(TestNodes.inPool("aks-marker-12345678-vmss000000", "marker", "10.224.9.1", 30));
        assertTrue(published.about(NODE_AT_START).stream().noneMatch(record -> record.index() < marker.index()),
                "no NodeAdded for a node that merely existed at start: " + published.about(NODE_AT_START));
    }

    @Test
    void aNewNodeIsPublishedAsNodeAddedWithPoolAddressAndPodCapacityAtItsCreationTime() {
        Node node = TestNodes.node("aks-user1-12345678-vmss000000",
                Map.of(NodeMapping.POOL_LABEL, "user1", NodeMapping.LEGACY_POOL_LABEL, "user1-legacy"), "10.224.1.5", 110);
        Published added = addAndAwait(node);

        assertEquals(CLUSTER_ID, added.key(), "keyed by clusterId, so a cluster's records stay in one partition, in order");
        assertEquals(new NodeInfo("aks-user1-12345678-vmss000000", "user1", "10.224.1.5", 110), added.event().node());
        String created = cluster.getClient().nodes().withName("aks-user1-12345678-vmss000000").get().getMetadata()
                .getCreationTimestamp();
        assertEquals(Instant.parse(created), added.event().at());
    }

    @Test
    void aNodeWithoutAPoolLabelCountsOnceItIsLabelled() {
        String name = "virtual-node-aci-linux";
        cluster.getClient().nodes().resource(TestNodes.node(name, Map.of("type", "virtual-kubelet"), "10.224.2.9", 500))
                .create();
        cluster.getClient().nodes().withName(name)
                .edit(node -> new NodeBuilder(node).editMetadata().addToLabels(NodeMapping.LEGACY_POOL_LABEL, "aci").endMetadata()
                        .build());

        Published added = published.await(NodeEventType.NODE_ADDED, record -> record.isAbout(name));
        assertEquals("aci", added.event().node().pool());
        assertEquals(List.of(added), published.about(name), "nothing was published while the node had no pool");
    }

    @Test
    void statusHeartbeatsAndAnnotationsAreNotNews() {
        String name = "aks-user2-12345678-vmss000000";
        addAndAwait(TestNodes.inPool(name, "user2", "10.224.3.4", 50));
        for (int beat = 0; beat < 3; beat++) {
            String heartbeat = Instant.now().plusSeconds(beat).toString();
            cluster.getClient().nodes().withName(name).edit(node -> new NodeBuilder(node)
                    .editMetadata().addToAnnotations("node.alpha.kubernetes.io/ttl", heartbeat).endMetadata()
                    .editStatus().editFirstCondition().withLastHeartbeatTime(heartbeat).endCondition().endStatus()
                    .build());
        }
        Published marker = addAndAwait(TestNodes.inPool("aks-marker-12345678-vmss000001", "marker", "10.224.9.2", 30));

        List<Published> aboutTheNode = published.about(name);
        assertEquals(1, aboutTheNode.size(), "only the addition, no record per heartbeat: " + aboutTheNode);
        assertTrue(aboutTheNode.get(0).index() < marker.index());
    }

    @Test
    void aChangedPoolIsPublishedAgain() {
        String name = "aks-user4-12345678-vmss000000";
        addAndAwait(TestNodes.inPool(name, "user4", "10.224.4.4", 30));
        cluster.getClient().nodes().withName(name).edit(node -> new NodeBuilder(node)
                .editMetadata().addToLabels(NodeMapping.POOL_LABEL, "user4b").endMetadata().build());

        Published again = published.await(NodeEventType.NODE_ADDED,
                record -> record.isAbout(name) && record.event().node().pool().equals("user4b"));
        assertEquals(new NodeInfo(name, "user4b", "10.224.4.4", 30), again.event().node());
    }

    @Test
    void aDeletedNodeIsPublishedAsNodeRemovedAtTheTimeTheWatcherSawIt() {
        String name = "aks-user5-12345678-vmss000000";
        addAndAwait(TestNodes.inPool(name, "user5", "10.224.5.5", 30));

        Instant before = Instant.now();
        cluster.getClient().nodes().withName(name).delete();
        Published removed = published.await(NodeEventType.NODE_REMOVED, record -> record.isAbout(name));
        Instant after = Instant.now();

        assertEquals(new NodeInfo(name, "user5", "10.224.5.5", 30), removed.event().node());
        assertEquals(CLUSTER_ID, removed.key());
        // A node without finalizers has no deletionTimestamp when it goes, so the time is when the event arrived.
        assertFalse(removed.event().at().isBefore(before), removed.event().at() + " before the delete at " + before);
        assertFalse(removed.event().at().isAfter(after), removed.event().at() + " after it was seen at " + after);
    }

    @Test
    void theWatchResumesAfterTheConnectionDrops() {
        String addedDuringOutage = "aks-user3-12345678-vmss000001";
        String addedAfter = "aks-user3-12345678-vmss000002";
        addAndAwait(TestNodes.inPool("aks-user3-12345678-vmss000000", "user3", "10.224.6.4", 30));
        int connectionsBefore = network.forwarded();

        network.refuse();
        cluster.getClient().nodes().resource(TestNodes.inPool(addedDuringOutage, "user3", "10.224.6.5", 30)).create();
        network.accept();

        published.await(NodeEventType.NODE_ADDED, record -> record.isAbout(addedDuringOutage));
        assertTrue(network.forwarded() > connectionsBefore, "the watcher opened a new connection");
        Published live = addAndAwait(TestNodes.inPool(addedAfter, "user3", "10.224.6.6", 30));
        Published inventory = published.awaitAfter(live.index(), NodeEventType.NODE_INVENTORY, record -> true);
        assertTrue(inventory.lists(addedDuringOutage) && inventory.lists(addedAfter), inventory.toString());
    }

    @Test
    void aDeletionMissedWhileDisconnectedIsPublishedOnceTheApiServerHasTheWatcherListAgain() {
        String gone = "aks-user6-12345678-vmss000000";
        addAndAwait(TestNodes.inPool(gone, "user6", "10.224.7.4", 30));
        // The watcher resumes its watch from the last resourceVersion it saw, which is that of this node's creation.
        // A real API server keeps a few minutes of events: when a watcher comes back later than that, it accepts the
        // watch and sends an ERROR event with status 410 Gone, and the informer lists the nodes again. The mock
        // server keeps no history, so the test gives that answer for it, once, for exactly that resumed watch.
        String resumedAt = cluster.getClient().nodes().withName(gone).get().getMetadata().getResourceVersion();
        Status tooOld = new StatusBuilder().withStatus("Failure").withCode(HttpURLConnection.HTTP_GONE)
                .withReason("Expired").withMessage("too old resource version: " + resumedAt).build();
        cluster.expect().get()
                .withPath("/api/v1/nodes?allowWatchBookmarks=true&resourceVersion=" + resumedAt
                        + "&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().immediately().andEmit(new WatchEvent(tooOld, "ERROR")).done()
                .once();

        network.refuse();
        Instant deleted = Instant.now();
        cluster.getClient().nodes().withName(gone).delete();
        network.accept();

        Published removed = published.await(NodeEventType.NODE_REMOVED, record -> record.isAbout(gone));
        assertFalse(removed.event().at().isBefore(deleted), "dated when the watcher learnt of it: " + removed);
        Published inventory = published.awaitAfter(removed.index(), NodeEventType.NODE_INVENTORY, record -> true);
        assertFalse(inventory.lists(gone), inventory.toString());
    }

    private Published addAndAwait(Node node) {
        cluster.getClient().nodes().resource(node).create();
        return published.await(NodeEventType.NODE_ADDED, record -> record.isAbout(node.getMetadata().getName()));
    }
}
