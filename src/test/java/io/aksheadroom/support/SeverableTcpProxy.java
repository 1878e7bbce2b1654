package io.aksheadroom.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between a client and a server that a test can cut: {@link #refuse()} closes every open connection
 * and every new one at once (a network partition, an API server restarting), {@link #accept()} lets connections
 * through again. What the client sees is a real dropped connection, not a simulated callback. It can also slow the
 * link: {@link #latency} delays every byte by that much each way, as a distant or congested network does, without
 * limiting how many bytes are on their way.
 */
public final class SeverableTcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private boolean refusing;
    private volatile long latencyNanos;

    private SeverableTcpProxy(String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon("proxy-accept", this::acceptLoop).start();
    }

    public static SeverableTcpProxy to(String targetHost, int targetPort) {
        try {
            return new SeverableTcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many client connections have been forwarded so far. */
    public int forwarded() {
        return forwarded.get();
    }

    /** How many client connections were dropped on arrival because the proxy was refusing. */
    public int refused() {
        return refused.get();
    }

    /** Drops every open connection and, until {@link #accept()}, every new one. */
    public synchronized void refuse() {
        refusing = true;
        open.forEach(SeverableTcpProxy::closeQuietly);
        open.clear();
    }

    public synchronized void accept() {
        refusing = false;
    }

    /** From now on, every byte forwarded either way arrives {@code latency} later than it was sent. */
    public void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    @Override
    public void close() {
        refuse();
        closeQuietly(listener);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = connect(client);
                if (server != null) {
                    daemon("proxy-up", () -> pump(client, server)).start();
                    daemon("proxy-down", () -> pump(server, client)).start();
                }
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Under the same lock as refuse(), so no connection slips through while the proxy is being cut. */
    private synchronized Socket connect(Socket client) throws IOException {
        if (refusing) {
            closeQuietly(client);
            refused.incrementAndGet();
            return null;
        }
        Socket server = new Socket(targetHost, targetPort);
        open.add(client);
        open.add(server);
        forwarded.incrementAndGet();
        return server;
    }

    /** Bytes read at one moment, due at the other end {@link #latencyNanos} later; no bytes: the end. */
    private record Chunk(byte[] bytes, long dueNanos) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Chunk) other).dueNanos);
        }
    }

    // A delay line: one thread reads and stamps, another writes each chunk when it is due, so latency holds back
    // every byte by the same time without throttling the throughput.
    private void pump(Socket from, Socket to) {
        // The queue hands chunks out in order of due time, and a stream must keep its byte order: each chunk is due
        // strictly after the one before, even when the latency was lowered between them.
        DelayQueue<Chunk> line = new DelayQueue<>();
        long due = Long.MIN_VALUE;
        daemon("proxy-delay", () -> deliver(line, from, to)).start();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                due = Math.max(due + 1, System.nanoTime() + latencyNanos);
                line.add(new Chunk(Arrays.copyOf(buffer, read), due));
            }
        } catch (IOException e) {
            // The other direction or refuse() closed the pair: that is how a forwarded connection ends.
        } finally {
            line.add(new Chunk(new byte[0], Math.max(due + 1, System.nanoTime() + latencyNanos)));
        }
    }

    private void deliver(DelayQueue<Chunk> line, Socket from, Socket to) {
        try (OutputStream out = to.getOutputStream()) {
            while (true) {
                Chunk chunk = line.take();
                if (chunk.bytes().length == 0) {
                    break;
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException e) {
            // Closed by the other direction or refuse().
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed by the peer.
        }
    }
}
