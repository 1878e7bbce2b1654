package io.aksheadroom.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Kafka brokers as separate OS processes, Kafka's own {@code kafka.Kafka} from the Maven jars the tests run with: each
 * node a KRaft broker and controller of one static quorum, on free ports of localhost, so a test can kill one with
 * SIGKILL (a node lost), stop one (SIGTERM: a controlled shutdown, as an upgrade does) and start it again on its
 * data.
 *
 * <p>Each node has two client listeners: {@code INTERNAL}, direct, for the test's own clients and the replication
 * between brokers, and {@code SERVICE}, reached through a {@link SeverableTcpProxy} per node (and advertised as the
 * proxy's address), for the service under test: its link can be slowed or cut without touching the test's view.
 * Logs go to {@code target/it-logs/<name>-node-<id>.log}.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final String HOST = "localhost";
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final Duration START_WAIT = Duration.ofSeconds(120);

    private final String name;
    private final List<KafkaNode> nodes = new ArrayList<>();
    private final String clusterId = Uuid.randomUuid().toString();
    private Admin admin;

    /** One broker and controller, its process (null while down) and its ports. */
    private static final class KafkaNode {
        final int id;
        final int internalPort = freePort();
        final int servicePort = freePort();
        final int controllerPort = freePort();
        final SeverableTcpProxy proxy;
        final Path dir;
        final Path properties;
        Process process;

        KafkaNode(int id, Path dir) {
            this.id = id;
            this.dir = dir;
            this.properties = dir.resolve("server.properties");
            this.proxy = SeverableTcpProxy.to(HOST, servicePort);
        }
    }

    private KafkaCluster(String name) {
        this.name = name;
    }

    /**
     * Formats {@code size} nodes and starts them; returns once every node is a live broker.
     *
     * @param settings broker settings over the defaults (replication of Kafka's internal topics as the size allows)
     */
    public static KafkaCluster start(String name, int size, Map<String, String> settings) {
        KafkaCluster cluster = new KafkaCluster(name);
        try {
            for (int i = 1; i <= size; i++) {
                cluster.nodes.add(new KafkaNode(i, Files.createTempDirectory("aks-headroom-" + name + "-node-" + i)));
            }
            String voters = cluster.nodes.stream().map(n -> n.id + "@" + HOST + ":" + n.controllerPort)
                    .collect(Collectors.joining(","));
            for (KafkaNode node : cluster.nodes) {
                cluster.configure(node, voters, size, settings);
            }
            cluster.nodes.forEach(cluster::launch);
            cluster.awaitBrokers(size);
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** For the test's own clients: the direct listeners. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> HOST + ":" + n.internalPort).collect(Collectors.joining(","));
    }

    /** For the service under test: the proxied listeners. */
    public String serviceBootstrapServers() {
        return nodes.stream().map(n -> HOST + ":" + n.proxy.port()).collect(Collectors.joining(","));
    }

    /** The proxy in front of node {@code id}'s service listener. */
    public SeverableTcpProxy proxy(int id) {
        return node(id).proxy;
    }

    public List<Integer> ids() {
        return nodes.stream().map(n -> n.id).toList();
    }

    /** SIGKILL: the node is lost with whatever it had not written to disk, and its peers notice by timeouts only. */
    public void kill(int id) {
        KafkaNode node = node(id);
        if (node.process != null) {
            node.process.destroyForcibly();
            Processes.awaitExit(node.process);
            node.process = null;
        }
    }

    /** SIGTERM: a controlled shutdown that hands its partitions' leadership over first. */
    public void stop(int id) {
        KafkaNode node = node(id);
        if (node.process != null) {
            node.process.destroy();
            Processes.awaitExit(node.process);
            node.process = null;
        }
    }

    /** Starts node {@code id} again on its data; returns once the cluster sees it as a broker. */
    public void restart(int id) {
        KafkaNode node = node(id);
        if (node.process == null) {
            launch(node);
        }
        awaitBrokers((int) nodes.stream().filter(n -> n.process != null).count());
    }

    public boolean isRunning(int id) {
        Process process = node(id).process;
        return process != null && process.isAlive();
    }

    public Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            admin = Admin.create(config);
        }
        return admin;
    }

    /** The partitions of {@code topics}, as the cluster describes them now. */
    public Map<String, TopicDescription> describe(Collection<String> topics) {
        try {
            return admin().describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + topics, e);
        }
    }

    /** Per node id, how many partitions of {@code topics} it leads. */
    public Map<Integer, Long> leaders(Collection<String> topics) {
        return describe(topics).values().stream().flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader).filter(leader -> leader != null && !leader.isEmpty())
                .collect(Collectors.groupingBy(Node::id, Collectors.counting()));
    }

    /** Waits until every partition of {@code topics} has all its replicas in sync again. */
    public void awaitInSync(Collection<String> topics, Duration wait) {
        await("every replica of " + topics + " in sync").atMost(wait).pollInterval(Duration.ofMillis(500))
                .until(() -> describe(topics).values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size()));
    }

    private KafkaNode node(int id) {
        return nodes.stream().filter(n -> n.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    private void configure(KafkaNode node, String voters, int size, Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node.id));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "INTERNAL://" + HOST + ":" + node.internalPort + ",SERVICE://" + HOST + ":"
                + node.servicePort + ",CONTROLLER://" + HOST + ":" + node.controllerPort);
        p.put("advertised.listeners", "INTERNAL://" + HOST + ":" + node.internalPort + ",SERVICE://" + HOST + ":"
                + node.proxy.port());
        p.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,SERVICE:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", node.dir.resolve("data").toString());
        String replicas = String.valueOf(Math.min(3, size));
        String minInSync = String.valueOf(Math.min(2, size));
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.putAll(settings);
        try (OutputStream out = Files.newOutputStream(node.properties)) {
            p.store(out, "node " + node.id + " of " + name);
        }
        Path data = node.dir.resolve("data");
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node.id)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(data.toString())
                    .addDirectory(data.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format " + data, e);
        }
    }

    private void launch(KafkaNode node) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Two cores shared with the test and the services: a small heap and the C1 compiler only.
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", node.properties.toString()));
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + "-node-" + node.id + ".log");
            node.process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start node " + node.id + " of " + name, e);
        }
    }

    private void awaitBrokers(int count) {
        await(count + " brokers of " + name + " up").atMost(START_WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (KafkaNode node : nodes) {
                        if (node.process != null && !node.process.isAlive()) {
                            throw new IllegalStateException("node " + node.id + " of " + name + " exited with "
                                    + node.process.exitValue() + ": see " + LOGS.resolve(name + "-node-" + node.id
                                    + ".log"));
                        }
                    }
                    if (nodes.stream().filter(n -> n.process != null).anyMatch(n -> !listening(n.internalPort))) {
                        return false;
                    }
                    try {
                        return admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count;
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        for (KafkaNode node : nodes) {
            kill(node.id);
            node.proxy.close();
            try {
                Utils.delete(node.dir.toFile());
            } catch (IOException e) {
                // A temporary directory; the OS cleans it eventually.
            }
        }
    }

    @Override
    public String toString() {
        return name + ": " + nodes.stream().map(n -> "node " + n.id + (n.process == null ? " down" : " up"))
                .collect(Collectors.joining(", "));
    }
}
