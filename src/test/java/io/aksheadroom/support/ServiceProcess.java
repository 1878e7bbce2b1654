package io.aksheadroom.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, what {@code ./mvnw package} produces) as a separate
 * OS process, so a test can kill it the way an OOM killer or a node failure does: {@link #kill()} is
 * {@code destroyForcibly()}, SIGKILL on Linux, with no shutdown hook, no flush, no group leave. It listens on
 * 127.0.0.1 on a free port and logs to {@code target/it-logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_WAIT = Duration.ofSeconds(90);
    // HTTP/1.1 as most clients of the service speak it (the default would try an h2c upgrade first).
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private int port;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the service against {@code bootstrapServers} with extra system properties, and returns once it listens
     * for HTTP (not necessarily ready: see {@link #awaitReady()}).
     */
    public static ServiceProcess start(String name, String bootstrapServers, Map<String, String> properties) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the *IT tests in the verify phase"
                    + " (after package), e.g. ./mvnw -B verify -Dit.test=...");
        }
        List<String> command = new ArrayList<>();
        // The same Java as the test run, so the suite needs nothing the build does not.
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Two cores are shared by the broker, the test and up to three services: a small heap and the C1 compiler
        // only keep each service's start and warm-up from starving the others.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-Dkafka.bootstrap.servers=" + bootstrapServers);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=0");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(name, process, log);
            service.awaitListening();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    private void awaitListening() {
        await(name + " listening (log: " + log + ")").atMost(START_WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + ": "
                                + tail());
                    }
                    Matcher matcher = LISTENING.matcher(logText());
                    if (matcher.find()) {
                        port = Integer.parseInt(matcher.group(1));
                        return true;
                    }
                    return false;
                });
    }

    public ServiceProcess awaitReady() {
        await(name + " ready").atMost(START_WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> status("/q/health/ready") == 200);
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** GET on the service; status -1 when it does not answer. */
    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public int status(String path) {
        return get(path).status();
    }

    /** The sum of a Prometheus counter over all its label sets, from {@code /q/metrics}. */
    public double counter(String metric) {
        double sum = 0;
        for (String line : get("/q/metrics").body().split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** An HTTP answer; {@code status} is -1 when the service did not answer at all. */
    public record Response(int status, String contentType, String body) {
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            return new Response(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, the consumer group only notices by its session timeout. */
    public void kill() {
        process.destroyForcibly();
        Processes.awaitExit(process);
    }

    /** SIGTERM: a graceful shutdown, as Kubernetes does before it kills. */
    public void stop() {
        process.destroy();
        Processes.awaitExit(process);
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String tail() {
        String text = logText();
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
