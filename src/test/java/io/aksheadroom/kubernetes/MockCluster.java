package io.aksheadroom.kubernetes;

import io.aksheadroom.support.SeverableTcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes API server for the node watcher: fabric8's mock server in CRUD mode (nodes created, patched and
 * deleted through it raise watch events as a real API server's would), reached through a {@link SeverableTcpProxy}
 * so a test can drop the watcher's connections. Tests talk to the server directly, never through the proxy.
 * <p>
 * The cluster starts with one node, {@value #NODE_AT_START}. Init arg {@code api-server=down} starts with the proxy
 * refusing connections.
 */
public class MockCluster implements QuarkusTestResourceLifecycleManager {

    static final String CLUSTER_ID = "aks-test-westeurope";
    static final String NODE_AT_START = "aks-system-12345678-vmss000000";

    private KubernetesServer server;
    private SeverableTcpProxy proxy;
    private boolean downAtStart;

    @Override
    public void init(Map<String, String> initArgs) {
        downAtStart = "down".equals(initArgs.get("api-server"));
    }

    @Override
    public Map<String, String> start() {
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        server.getClient().nodes().resource(TestNodes.inPool(NODE_AT_START, "system", "10.224.0.4", 30)).create();
        proxy = SeverableTcpProxy.to(server.getKubernetesMockServer().getHostName(), server.getKubernetesMockServer().getPort());
        if (downAtStart) {
            proxy.refuse();
        }
        return Map.of(
                "aks-headroom.node-watcher.enabled", "true",
                "aks-headroom.node-watcher.cluster-id", CLUSTER_ID,
                "aks-headroom.node-watcher.inventory-interval", "PT2S",
                "quarkus.kubernetes-client.api-server-url", "http://localhost:" + proxy.port(),
                // The mock server logs every request it answers at INFO.
                "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.MatchesType(KubernetesServer.class));
        testInjector.injectIntoFields(proxy, new TestInjector.MatchesType(SeverableTcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.after();
        }
    }
}
