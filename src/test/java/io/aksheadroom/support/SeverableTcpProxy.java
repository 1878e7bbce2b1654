package io.aksheadroom.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between a client and a server that a test can cut: {@link #refuse()} closes every open connection
 * and every new one at once (a network partition, an API server restarting), {@link #accept()} lets connections
 * through again. What the client sees is a real dropped connection, not a simulated callback.
 */
public final class SeverableTcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private boolean refusing;

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

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // The other direction or refuse() closed the pair: that is how a forwarded connection ends.
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
