package io.aksheadroom.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.dev.DemoStory;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.FaultWorkload;
import io.aksheadroom.support.KafkaTestClient;
import io.aksheadroom.support.Verdict;
import io.aksheadroom.support.WireJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The container image built with podman and run with exactly the settings of {@code k8s/base/deployment.yaml}
 * ({@link DeploymentSettings}): read-only root, its emptyDir on /tmp, the image's own non-root user, no capabilities,
 * no privilege escalation, the runtime's seccomp filter, its memory and CPU limits, its environment. Against a Kafka
 * broker of the test's own, as a cluster's Kafka: the probes answer, the heap is its share of the memory limit, the
 * demo's alerts show through the REST API, SIGTERM stops it within the grace period with its offsets committed, and
 * the next start loses nothing and repeats nothing. A run with a writable root shows it would write nowhere but its
 * mounts.
 *
 * <p>The base image is {@code localhost/aks-headroom-base:bookworm-jre17-<hash of the script>}, built from Debian
 * packages by {@code src/main/docker/debian-base.sh} when missing (no registry is needed); {@code -Dimage.base=...}
 * names another
 * (the Dockerfile's UBI default, where a registry is reachable). Not part of the plain {@code verify}: it needs podman
 * and root, so {@code ./mvnw -B verify -Pproduction,image} runs it on the production build (no embedded broker, no
 * demo feed), and {@code src/main/docker/image-test.sh} installs what it needs first (CI does that). Without podman it
 * fails, saying how to install it.
 */
class ContainerImageIT {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path BASE_SCRIPT = Path.of("src/main/docker/debian-base.sh");
    private static final Path WORK = Path.of("target", "image-it").toAbsolutePath();
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final Path FIGURES = Path.of("target", "image-figures.txt");
    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INPUTS = List.of(FaultWorkload.PROFILES, FaultWorkload.NODE_EVENTS,
            FaultWorkload.LB_METRICS, "aks.natgw-metrics");
    private static final String GROUP = "aks-headroom";

    private static Podman podman;
    private static String image;
    private static DeploymentSettings settings;

    private FaultHarness harness;
    private KafkaTestClient kafka;
    private final List<Container> containers = new ArrayList<>();

    @BeforeAll
    static void buildTheImage() {
        podman = Podman.require();
        settings = DeploymentSettings.of(Path.of("k8s/base"));
        String localBase = localBase();
        String base = System.getProperty("image.base", localBase);
        if (base.equals(localBase) && !podman.run(Duration.ofMinutes(1), "image", "exists", base).succeeded()) {
            buildTheLocalBase(localBase);
        }
        image = "localhost/aks-headroom:it-" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        podman.check(BUILD, "build", "--pull=missing", "--build-arg", "BASE_IMAGE=" + base, "--file",
                DOCKERFILE.toString(), "--tag", image, ".");
        long buildSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        long baseBytes = Long.parseLong(podman.check(BUILD, "image", "inspect", "--format", "{{.Size}}", base));
        long imageBytes = Long.parseLong(podman.check(BUILD, "image", "inspect", "--format", "{{.Size}}", image));
        figures(String.format("IMAGE base=%s base-size=%.0fMB image-size=%.0fMB application-layers=%.0fMB"
                + " lib=%.0fMB build=%ds", base, mb(baseBytes), mb(imageBytes), mb(imageBytes - baseBytes),
                mb(size(Path.of("target/quarkus-app/lib"))), buildSeconds));

        assertEquals("185", podman.check(BUILD, "image", "inspect", "--format", "{{.Config.User}}", image),
                "a numeric user, so the kubelet can check runAsNonRoot");
        List<String> libraries = podman.check(BUILD, "run", "--rm", "--passwd=false", "--entrypoint", "/bin/ls",
                image, "/deployments/lib/main").lines().toList();
        assertTrue(libraries.stream().anyMatch(jar -> jar.startsWith("org.apache.kafka.kafka-clients-")), "the clients");
        List<String> laptopOnly = libraries.stream().filter(jar -> jar.startsWith("org.apache.kafka.kafka_2.13-")
                || jar.startsWith("org.apache.kafka.kafka-server-") || jar.startsWith("org.scala-lang.")).toList();
        assertEquals(List.of(), laptopOnly, "the embedded broker is for a laptop's java -jar, not for the image:"
                + " package with -Pproduction (src/main/docker/image-test.sh does)");
        // The image's application is target/quarkus-app as the Dockerfile copies it.
        Path generated = Path.of("target/quarkus-app/quarkus/generated-bytecode.jar");
        assertFalse(beans(generated, "io/aksheadroom/pipeline/").isEmpty(), "ArC names its beans' classes *_Bean");
        assertEquals(List.of(), beans(generated, "io/aksheadroom/dev/"), "the demo feed and the embedded broker are"
                + " no beans of the image: package with -Pproduction (src/main/docker/image-test.sh does)");
    }

    /** The classes ArC generated for the beans of package {@code folder}: one {@code <bean class>_Bean} each. */
    private static List<String> beans(Path generated, String folder) {
        try (ZipFile jar = new ZipFile(generated.toFile())) {
            return jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith(folder) && name.endsWith("_Bean.class")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base image debian-base.sh makes, tagged with the script's hash: a changed script builds a new one. */
    private static String localBase() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(BASE_SCRIPT));
            return "localhost/aks-headroom-base:bookworm-jre17-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void buildTheLocalBase(String name) {
        if (Podman.onPath("mmdebstrap").isEmpty()) {
            fail("'mmdebstrap' is not on the PATH: it builds the base image " + name + " from Debian packages. "
                    + "Install it with '" + Podman.INSTALL + "'.");
        }
        List<String> command = List.of(BASE_SCRIPT.toString(), name);
        Podman.execute(command, BUILD).outOrFail(command);
    }

    @AfterAll
    static void removeTheImage() {
        if (podman != null && image != null) {
            podman.run(BUILD, "rmi", "--force", image);
        }
    }

    @BeforeEach
    void startTheBroker() {
        harness = new FaultHarness("image", 12);
        kafka = new KafkaTestClient(harness.broker().bootstrapServers());
    }

    @AfterEach
    void tearDown() {
        containers.forEach(container -> {
            container.saveLog(LOGS);
            container.close();
        });
        if (kafka != null) {
            kafka.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void runsLockedDownAndServesTheDemosAlerts() throws IOException {
        Container container = start("image-demo", true);
        long startSeconds = awaitStartedLiveAndReady(container).toSeconds();
        assertRunsLockedDown(container);
        assertHeapIsItsShareOfTheMemoryLimit(container);
        playTheDemo(container);
        Duration stopped = stopCleanly(container);
        assertNoWritesRefused(container);
        assertMountsWithinTheirLimits(container);
        figures(String.format("IMAGE demo run: started and ready in %ds (startupProbe allows %ds), stopped in %.1fs on"
                + " SIGTERM (grace %ds)", startSeconds, settings.probe("startupProbe").budget().toSeconds(),
                stopped.toMillis() / 1000.0, settings.terminationGracePeriod().toSeconds()));
    }

    /**
     * The fault suite's workload (its own broker, no demo): SIGTERM once everything sent is consumed, the rest of the
     * stream while no instance runs, a new container: it ends as a clean run of everything sent ends.
     */
    @Test
    void aSigtermHandsOverCleanlyAndTheNextStartLosesNothing() throws Exception {
        Container first = start("image-first", true);
        awaitStartedLiveAndReady(first);
        harness.sendPhaseOneAndAwaitPlans();
        int burstEnd = harness.sendStreamUpToABurst();
        long sent = harness.sentCount();
        await("every record sent consumed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> consumed(first) >= sent);
        harness.countConsumed(first.name(), consumed(first));
        Duration stopped = stopCleanly(first);
        assertEquals(endOffsets(), committedOffsets(), "every input record consumed, processed and its offset"
                + " committed (the marker the next instance replays to) by the time the container has stopped");

        harness.sendRest(burstEnd);
        Container second = start("image-second", true);
        awaitStartedLiveAndReady(second);
        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(second.name(), consumed(second));
        String line = harness.report("image (SIGTERM, restart, read-only root)", verdict, "");
        assertTrue(verdict.lost().isEmpty(), line);
        assertEquals(0, verdict.totalRepeatedFiring(), "a graceful stop hands over without repeating: " + verdict);
        assertEquals(0, verdict.totalRepeatedResolved(), "a graceful stop hands over without repeating: " + verdict);
        assertTrue(verdict.spurious().isEmpty(), verdict.toString());
        assertEquals(List.of(), harness.deadLetters(), "valid input is never dead-lettered");
        Duration secondStop = stopCleanly(second);
        for (Container container : List.of(first, second)) {
            assertNoWritesRefused(container);
            assertMountsWithinTheirLimits(container);
        }
        figures(String.format("IMAGE restart run: stopped in %.1fs and %.1fs on SIGTERM", stopped.toMillis() / 1000.0,
                secondStop.toMillis() / 1000.0));
    }

    /** SIGTERM as the kubelet sends it: the JVM exits on it, in order and within the grace period. */
    private static Duration stopCleanly(Container container) {
        Duration grace = settings.terminationGracePeriod();
        Duration stopped = container.stop(grace);
        assertTrue(stopped.compareTo(grace) < 0, "stopped in " + stopped + ", within the grace period of " + grace);
        assertEquals(143, container.exitCode(), "ended by its SIGTERM (128 + 15), not killed when the grace period"
                + " ran out");
        assertTrue(container.logs().contains("aks-headroom stopped in"), "Quarkus shut down in order");
        return stopped;
    }

    @Test
    void writesNowhereButItsMounts() {
        // The same settings but a writable root: podman diff then lists every path the service would change outside
        // its mounts, where a read-only root would only make that write fail.
        Container writable = start("image-writable", false);
        awaitStartedLiveAndReady(writable);
        playTheDemo(writable);
        writable.stop(settings.terminationGracePeriod());
        assertEquals(List.of(), writable.changes(), "paths the service changed outside its emptyDir mounts");
        assertMountsWithinTheirLimits(writable);
    }

    private Container start(String name, boolean readOnlyRoot) {
        Map<String, String> overlay = new LinkedHashMap<>();
        // What an overlay's config.env sets: the cluster's Kafka. The node watcher needs an API server, which this
        // test has not (k8s/README.md shows the overlay that turns it off).
        overlay.put("KAFKA_BOOTSTRAP_SERVERS", harness.broker().bootstrapServers());
        overlay.put("AKS_HEADROOM_NODE_WATCHER_ENABLED", "false");
        // Alert as the clean run of the fault harness does.
        overlay.put("AKS_HEADROOM_PIPELINE_RESEND_INTERVAL", CleanRun.RESEND_INTERVAL.toString());
        Container container = Container.start(podman, image, name, settings, overlay, readOnlyRoot, WORK);
        containers.add(container);
        return container;
    }

    /** The three probes as the kubelet reads them, each within its budget; returns how long until ready. */
    private static Duration awaitStartedLiveAndReady(Container container) {
        long started = System.nanoTime();
        DeploymentSettings.Probe startup = settings.probe("startupProbe");
        container.awaitOk(startup.path(), startup.budget());
        DeploymentSettings.Probe liveness = settings.probe("livenessProbe");
        container.awaitOk(liveness.path(), liveness.budget());
        // Readiness waits for the consumer's first assignment: the broker's group join, not the image, sets the pace.
        DeploymentSettings.Probe readiness = settings.probe("readinessProbe");
        container.awaitOk(readiness.path(), Duration.ofSeconds(90));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The process as the kernel sees it: the image's non-root user, no capabilities, no new privileges, seccomp. */
    private static void assertRunsLockedDown(Container container) throws IOException {
        Map<String, String> status = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(container.pid()), "status"))) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        if (settings.runAsNonRoot()) {
            assertEquals("185\t185\t185\t185", status.get("Uid"), "real, effective, saved and file-system uid");
        }
        if (settings.droppedCapabilities().contains("ALL")) {
            for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
                assertEquals(0, Long.parseLong(status.get(set), 16), set + " holds no capability");
            }
        }
        assertEquals(settings.allowPrivilegeEscalation() ? "0" : "1", status.get("NoNewPrivs"));
        assertEquals("2", status.get("Seccomp"), "a seccomp filter applies");
    }

    /** The image's JVM flags at work: the heap is JAVA_MAX_MEM_RATIO percent of the container's memory limit. */
    private static void assertHeapIsItsShareOfTheMemoryLimit(Container container) {
        String ratio = settings.environment().get("JAVA_MAX_MEM_RATIO");
        assertTrue(ratio != null, "the Deployment sets JAVA_MAX_MEM_RATIO");
        double expected = settings.memoryLimitBytes() * Double.parseDouble(ratio) / 100;
        double heap = Exposition.parse(container.get("/q/metrics").body()).series.stream()
                .filter(s -> s.name().equals("jvm_memory_max_bytes") && "heap".equals(s.labels().get("area")))
                .mapToDouble(Exposition.Series::value).filter(value -> value > 0).sum();
        // The collectors report their spaces' limits: together they are the heap, less a survivor space at most.
        assertTrue(heap > 0.9 * expected && heap <= expected, "heap " + heap + " bytes, expected about " + expected);
    }

    /**
     * The demo story, published by the test as the demo feed would (the production image has no feed). At three
     * points of the story (its start, just before the operator applies the recommendation, just after) the REST API
     * shows the alerts firing that the domain's own {@link Fleet} has firing after the same records: alerts fire as
     * the cluster grows and resolve once the recommendation is applied.
     */
    private void playTheDemo(Container container) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        DemoStory story = new DemoStory(start);
        Fleet<Void> expected = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
        publish(story.tick(0), expected);
        awaitFiring(container, expected, "at the start of the demo");
        Step fix = publishUntilTheProfileChanges(story, 1, expected);
        Set<String> beforeTheFix = firing(expected);
        awaitFiring(container, expected, "before the recommendation is applied");
        // The applied recommendation goes first: the samples after it assume it.
        publish(fix.tick(), expected);
        awaitFiring(container, expected, "once the recommendation is applied");
        // Up to where the story starts over.
        publishUntilTheProfileChanges(story, fix.n() + 1, expected);
        awaitFiring(container, expected, "at the end of the demo");
        assertTrue(beforeTheFix.size() >= 2 && firing(expected).isEmpty(),
                "the demo fires alerts, then resolves them all: " + beforeTheFix);
    }

    /** A tick of the story and its number. */
    private record Step(long n, DemoStory.Tick tick) {
    }

    /**
     * Publishes ticks from {@code from} on up to the first that changes the profile, which it returns unpublished (a
     * story computes each tick once: it remembers what it told).
     */
    private Step publishUntilTheProfileChanges(DemoStory story, long from, Fleet<Void> expected) {
        for (long n = from;; n++) {
            DemoStory.Tick tick = story.tick(n);
            if (tick.profile() != null) {
                return new Step(n, tick);
            }
            publish(tick, expected);
        }
    }

    private void publish(DemoStory.Tick tick, Fleet<Void> expected) {
        if (tick.profile() != null) {
            send(FaultWorkload.PROFILES, WireJson.write(tick.profile()));
            expected.profile(DemoStory.CLUSTER_ID, 0, tick.profile(), tick.at());
        }
        for (NodeEvent event : tick.nodeEvents()) {
            send(FaultWorkload.NODE_EVENTS, WireJson.write(event));
            expected.apply(0, event, null, tick.at(), false);
        }
        for (SnatSample sample : tick.samples()) {
            send(FaultWorkload.LB_METRICS, WireJson.write(sample));
            expected.apply(0, sample, null, tick.at(), false);
        }
    }

    private static void awaitFiring(Container container, Fleet<Void> expected, String when) {
        Set<String> want = firing(expected);
        await("firing " + when + ": " + want).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> firingAlerts(container).equals(want));
    }

    /** The demo cluster's firing alerts, as {@code alertname severity subject}. */
    private static Set<String> firing(Fleet<?> fleet) {
        Set<String> names = new TreeSet<>();
        fleet.view(DemoStory.CLUSTER_ID).firingAlerts().forEach(alert -> names.add(alert.alertname() + " "
                + alert.severity().name().toLowerCase(Locale.ROOT) + " " + alert.subject()));
        return names;
    }

    private void send(String topic, String value) {
        kafka.send(topic, DemoStory.CLUSTER_ID, value);
    }

    private static Set<String> firingAlerts(Container container) throws IOException {
        Container.Response response = container.get("/api/v1/alerts?cluster=" + DemoStory.CLUSTER_ID);
        assertEquals(200, response.status(), response.body());
        Set<String> names = new TreeSet<>();
        for (JsonNode alert : JSON.readTree(response.body())) {
            assertEquals("firing", alert.path("status").asText());
            names.add(alert.path("alertname").asText() + " " + alert.path("severity").asText() + " "
                    + alert.path("subject").asText());
        }
        return names;
    }

    private static double consumed(Container container) {
        return Exposition.parse(container.get("/q/metrics").body()).series.stream()
                .filter(s -> s.name().equals("aks_headroom_records_consumed_total"))
                .mapToDouble(Exposition.Series::value).sum();
    }

    private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        Admin admin = kafka.admin();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var description : admin.describeTopics(INPUTS).allTopicNames().get().values()) {
            description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> {
            if (info.offset() > 0) {
                ends.put(tp, info.offset());
            }
        });
        return ends;
    }

    private Map<TopicPartition, Long> committedOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((tp, offset) -> {
            // An owner commits a partition it takes empty at 0, so the next owner knows it was taken: as empty as none.
            if (offset != null && offset.offset() > 0 && INPUTS.contains(tp.topic())) {
                offsets.put(tp, offset.offset());
            }
        });
        return offsets;
    }

    /** A write the read-only root refused would show in the log, whatever the code did with the exception. */
    private static void assertNoWritesRefused(Container container) {
        List<String> refused = container.logs().lines()
                .filter(line -> line.contains("Read-only file system") || line.contains("EROFS")).toList();
        assertEquals(List.of(), refused, "writes the read-only root refused");
    }

    private static void assertMountsWithinTheirLimits(Container container) {
        container.volumes().forEach((mountPath, directory) -> {
            long limit = settings.emptyDirs().get(mountPath);
            long used = size(directory);
            assertTrue(used < limit, mountPath + " holds " + used + " bytes, over its sizeLimit of " + limit);
        });
    }

    private static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double mb(long bytes) {
        return bytes / 1_000_000.0;
    }

    /** Prints a line of figures and appends it to {@code target/image-figures.txt}, for the docs. */
    private static void figures(String line) {
        FaultHarness.figures(FIGURES, line);
    }
}
