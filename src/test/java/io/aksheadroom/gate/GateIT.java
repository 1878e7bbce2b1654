package io.aksheadroom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.dev.EmbeddedKafkaBroker;
import io.aksheadroom.rest.Problem;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar quarkus-run.jar check} as a pipeline runs it: a process of the packaged jar, against the answers of
 * the packaged service's {@code POST /api/v1/plan} for every public vector.
 *
 * <p>Each check process is pointed at a Kafka "broker" that is only a listening socket this test holds: a Kafka client
 * created in the process would connect to it, so an untouched socket shows none was. A process that booted Quarkus
 * would also log (the banner, "Listening on") where the test expects only the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EmbeddedKafkaBroker broker;
    private ServiceProcess service;
    private ServerSocketChannel kafkaTrap;

    @TempDir
    Path dir;

    /** One run of the gate: its exit code and what it wrote. */
    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    void start() throws IOException {
        broker = EmbeddedKafkaBroker.start(0);
        service = ServiceProcess.start("gate-api", broker.bootstrapServers(), Map.of());
        kafkaTrap = ServerSocketChannel.open();
        kafkaTrap.bind(new InetSocketAddress("127.0.0.1", 0));
        kafkaTrap.configureBlocking(false);
    }

    @AfterAll
    void stop() throws IOException {
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (kafkaTrap != null) {
            assertNull(kafkaTrap.accept(), "a check process connected to Kafka");
            kafkaTrap.close();
        }
    }

    private Run gate(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Two cores are shared with the service, the broker and other builds: the C1 compiler only starts faster.
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-Dkafka.bootstrap.servers=" + trapAddress());
        command.addAll(List.of("-jar", ServiceProcess.JAR.toString(), "check"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Path in = Files.createTempFile(dir, "in", ".json");
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("check did not finish: " + String.join(" ", command));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String trapAddress() {
        try {
            InetSocketAddress address = (InetSocketAddress) kafkaTrap.getLocalAddress();
            return "127.0.0.1:" + address.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name + ".json"), content, StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> onEveryValidVectorTheJsonIsTheApisAnswerAndTheExitCodeItsVerdict() {
        return PlanVectors.valid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            String body = vector.get("profile").toString();
            ServiceProcess.Response api = service.post("/api/v1/plan", "application/json", body);
            assertEquals(200, api.status(), api.body());
            Run run = gate(body, "-", "--format", "json");
            assertEquals(api.body(), run.out().strip(), "the gate's JSON is byte for byte the API's answer");
            assertEquals("", run.err());
            assertEquals(PlanVectors.expectsCritical(vector) ? CheckCommand.CRITICAL : CheckCommand.PASS, run.code());
            PlanVectors.check(vector, MAPPER.readTree(run.out()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> onEveryImpossibleVectorTheGateExitsTwoWithTheApisProblem() {
        return PlanVectors.invalid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            String body = vector.get("profile").toString();
            ServiceProcess.Response api = service.post("/api/v1/plan", "application/json", body);
            assertEquals(400, api.status(), api.body());
            assertTrue(api.contentType().startsWith(Problem.MEDIA_TYPE), api.contentType());
            Run run = gate(body, "--format=json", "-");
            assertEquals(CheckCommand.INPUT_ERROR, run.code());
            assertEquals(api.body(), run.out().strip());
            JsonNode problem = MAPPER.readTree(api.body());
            assertEquals(PlanVectors.invalidField(vector), problem.get("field").asText());
            assertTrue(run.err().contains(problem.get("field").asText()), run.err());
        }));
    }

    @Test
    void theTableOfAFileShowsTheAzFixesAndFailsTheStep() throws IOException {
        JsonNode vector = PlanVectors.named("default-tier-drop-on-scale");
        Run run = gate("", file("tier-drop", vector.get("profile").toString()).toString());
        assertEquals(CheckCommand.CRITICAL, run.code(), run.err());
        JsonNode answer = MAPPER.readTree(service.post("/api/v1/plan", "application/json",
                vector.get("profile").toString()).body());
        assertTrue(answer.get("actions").size() > 0, "the vector has fixes");
        for (JsonNode action : answer.get("actions")) {
            assertTrue(run.out().contains("\n  " + action.asText() + "\n"), run.out());
        }
        for (JsonNode finding : answer.get("findings")) {
            assertTrue(run.out().contains(finding.get("message").asText()), run.out());
        }
        assertTrue(run.out().contains("FAIL: "), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aCleanProfileFromAFilePasses() throws IOException {
        Run run = gate("", file("clean", PlanVectors.named("default-48-nodes-1-ip").get("profile").toString())
                .toString());
        assertEquals(CheckCommand.PASS, run.code(), run.err());
        assertTrue(run.out().contains("PASS: 0 critical"), run.out());
    }

    @Test
    void aRefusedProfileInTheTableFormatNamesItsFieldOnStandardError() throws IOException {
        Run run = gate("", file("negative", PlanVectors.named("negative-count").get("profile").toString())
                .toString());
        assertEquals(CheckCommand.INPUT_ERROR, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().contains("agentPoolProfiles[0].count"), run.err());
    }
}
