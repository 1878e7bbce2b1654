package io.aksheadroom.dev;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A single-node Kafka (KRaft broker and controller in one) running inside this JVM on a freshly formatted temporary
 * log directory. It is the broker of {@code java -jar} when none is configured, and the broker of the tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The largest record the broker accepts, so tests can send oversized hostile records and see them handled. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private static final String HOST = "localhost";
    private static final String CONTROLLER = "CONTROLLER";
    // Each broker in one JVM (a test's and the application's) gets its own node id, so their app-info MBeans differ.
    private static final AtomicInteger NODE_IDS = new AtomicInteger(1);

    private final KafkaConfig config;
    private final Path logDir;
    private final int port;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaConfig config, Path logDir, int port) {
        this.config = config;
        this.logDir = logDir;
        this.port = port;
    }

    /**
     * Formats a new log directory and starts the broker; returns once it accepts clients.
     *
     * @param port the client port on localhost, or 0 for a free one
     * @throws IllegalStateException if the port is taken
     */
    public static EmbeddedKafkaBroker start(int port) {
        int clientPort = port == 0 ? freePort() : requireFree(port);
        int controllerPort = freePort();
        int nodeId = NODE_IDS.getAndIncrement();
        Path logDir = createLogDir();
        try {
            KafkaConfig config = KafkaConfig.fromProps(properties(nodeId, clientPort, controllerPort, logDir), false);
            format(nodeId, logDir);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config, logDir, clientPort);
            broker.startServer();
            return broker;
        } catch (RuntimeException e) {
            delete(logDir);
            throw e;
        }
    }

    /** Stops the broker but keeps its data, as an outage would; {@link #restart()} brings it back. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again, on the same ports and data, if it is stopped; returns once it accepts clients. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("The broker on port " + port + " is closed");
        }
        if (server == null) {
            startServer();
        }
    }

    private void startServer() {
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        server = starting;
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker, waits until its threads and sockets are gone, and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            delete(logDir);
        }
    }

    private static Properties properties(int nodeId, int clientPort, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", nodeId + "@" + HOST + ":" + controllerPort);
        p.put("listeners",
                "PLAINTEXT://" + HOST + ":" + clientPort + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // The defaults (3) cannot be met by one node: the offsets topic would never exist and no consumer could join.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are the provisioner's job: an auto-created input would get one partition and break co-partitioning.
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(MAX_RECORD_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MAX_RECORD_BYTES));
        // The cleaner of compacted topics otherwise takes 128 MiB of this JVM's heap; 4 MiB still dedupes ~150k keys.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return p;
    }

    private static void format(int nodeId, Path logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka log directory " + logDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    // Kafka's own bind failure surfaces deep in its startup; this names the port and the ways out.
    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on " + HOST + " is taken, so the embedded Kafka broker"
                    + " cannot start. Use the broker listening there with KAFKA_BOOTSTRAP_SERVERS=" + HOST + ":" + port
                    + ", or move the embedded one with AKS_HEADROOM_EMBEDDED_BROKER_PORT.", e);
        }
    }

    private static Path createLogDir() {
        try {
            return Files.createTempDirectory("aks-headroom-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary Kafka log directory", e);
        }
    }

    private static void delete(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the Kafka log directory " + dir, e);
        }
    }
}
