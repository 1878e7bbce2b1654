package io.aksheadroom.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One container of the image, run with podman as a Deployment's settings say. It shares the host's network, so it
 * reaches the test's broker on loopback as the service would reach a cluster's Kafka; the HTTP port is a free one
 * instead of 8080, since several builds share this machine. Its emptyDir volumes are host directories, mode 0777 as
 * the kubelet makes them, so the test can see what the service wrote there.
 */
final class Container implements AutoCloseable {

    private static final Duration PODMAN = Duration.ofMinutes(2);
    // HTTP/1.1 as most clients of the service speak it (the default would try an h2c upgrade first).
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Podman podman;
    private final String name;
    private final int port;
    private final Map<String, Path> volumes;
    private boolean removed;

    private Container(Podman podman, String name, int port, Map<String, Path> volumes) {
        this.podman = podman;
        this.name = name;
        this.port = port;
        this.volumes = volumes;
    }

    /**
     * Starts the image with the Deployment's settings and environment, then {@code environment} over it (what an
     * overlay's config.env would set). {@code readOnlyRoot} false runs it with a writable root and everything else the
     * same, to see with {@code podman diff} where it would write if it could.
     */
    static Container start(Podman podman, String image, String name, DeploymentSettings settings,
            Map<String, String> environment, boolean readOnlyRoot, Path workDirectory) {
        String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        Map<String, Path> volumes = new LinkedHashMap<>();
        try {
            for (String mountPath : settings.emptyDirs().keySet()) {
                Path directory = Files.createDirectories(workDirectory.resolve(unique + mountPath.replace('/', '-')));
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
                volumes.put(mountPath, directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>(settings.environment());
        env.putAll(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));

        // --passwd=false: a kubelet's runtime leaves the image's /etc/passwd and /etc/group as they are, where podman
        // would add entries for the image's user.
        List<String> arguments = new ArrayList<>(List.of("run", "--detach", "--name", unique, "--network", "host",
                "--passwd=false"));
        List<String> options = settings.podmanOptions(volumes);
        if (!readOnlyRoot) {
            options.removeAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        arguments.addAll(options);
        env.forEach((key, value) -> arguments.addAll(List.of("--env", key + "=" + value)));
        arguments.add(image);
        podman.check(PODMAN, arguments.toArray(String[]::new));
        return new Container(podman, unique, port, volumes);
    }

    String name() {
        return name;
    }

    Map<String, Path> volumes() {
        return volumes;
    }

    /** Waits until {@code path} answers 200, failing early with the log if the container stops. */
    Container awaitOk(String path, Duration atMost) {
        await(name + " " + path + " answering 200").atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!running()) {
                fail(name + " stopped (exit code " + exitCode() + "):\n" + tail());
            }
            return get(path).status() == 200;
        });
        return this;
    }

    boolean running() {
        return podman.check(PODMAN, "inspect", "--format", "{{.State.Running}}", name).equals("true");
    }

    int exitCode() {
        return Integer.parseInt(podman.check(PODMAN, "inspect", "--format", "{{.State.ExitCode}}", name));
    }

    /** The host's process id of the container's first process. */
    long pid() {
        return Long.parseLong(podman.check(PODMAN, "inspect", "--format", "{{.State.Pid}}", name));
    }

    /** An HTTP answer; {@code status} is -1 when the service did not answer at all. */
    record Response(int status, String body) {
    }

    Response get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops it as the kubelet does: the image's stop signal (SIGTERM), then SIGKILL once {@code grace} has passed.
     * Returns how long it took.
     */
    Duration stop(Duration grace) {
        long started = System.nanoTime();
        podman.check(grace.plus(PODMAN), "stop", "--time", Long.toString(grace.toSeconds()), name);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** What the container changed in its own filesystem (not in its mounts): {@code podman diff}, one path a line. */
    List<String> changes() {
        String diff = podman.check(PODMAN, "diff", name);
        return diff.isEmpty() ? List.of() : diff.lines().toList();
    }

    String logs() {
        Podman.Result logs = podman.run(PODMAN, "logs", name);
        return logs.out() + logs.err();
    }

    private String tail() {
        String text = logs();
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }

    /** Keeps the log next to the other test logs, for when a check fails. */
    void saveLog(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(name + ".log"), logs(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!removed) {
            removed = true;
            podman.run(PODMAN, "rm", "--force", "--time", "0", name);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
