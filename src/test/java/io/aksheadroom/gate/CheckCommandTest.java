package io.aksheadroom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.json.DomainJsonModule;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.Profiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The gate's contract in-process: exit codes over the vectors, its output in both formats, its arguments. */
class CheckCommandTest {

    private static final ObjectMapper MAPPER = DomainJsonModule.standaloneMapper();

    /** One run of the command: its exit code and what it wrote. */
    record Run(int code, String out, String err) {
    }

    private static Run check(String stdin, Map<String, String> environment, Properties system, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckCommand.run(List.of(args), environment, system,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run check(String stdin, String... args) {
        return check(stdin, Map.of(), new Properties(), args);
    }

    @TestFactory
    Stream<DynamicTest> exitsOneExactlyWhenTheVectorExpectsACriticalFindingAndShowsEveryFix() {
        return PlanVectors.valid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            Run run = check(vector.get("profile").toString(), "--format", "json", "-");
            assertEquals(PlanVectors.expectsCritical(vector) ? CheckCommand.CRITICAL : CheckCommand.PASS, run.code(),
                    run.out());
            PlanVectors.check(vector, MAPPER.readTree(run.out()));
            assertEquals("", run.err());
            Run table = check(vector.get("profile").toString(), "-");
            assertEquals(run.code(), table.code(), "the table's exit code");
            JsonNode answer = MAPPER.readTree(run.out());
            answer.get("actions").forEach(action -> assertTrue(table.out().contains("\n  " + action.asText() + "\n"),
                    "the table shows the fix " + action.asText()));
            answer.get("findings").forEach(finding -> assertTrue(table.out().contains(finding.get("message").asText()),
                    "the table shows the finding " + finding.get("rule").asText()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> exitsTwoWithTheProblemForEveryImpossibleVector() {
        return PlanVectors.invalid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            Run run = check(vector.get("profile").toString(), "--format=json", "-");
            assertEquals(CheckCommand.INPUT_ERROR, run.code());
            JsonNode problem = MAPPER.readTree(run.out());
            assertEquals(400, problem.get("status").asInt());
            String field = problem.get("field").asText();
            assertEquals(PlanVectors.invalidField(vector), field);
            assertTrue(run.err().contains(field), run.err());
        }));
    }

    @Test
    void theJsonIsThePlannersAnswerWrittenByTheServicesMapper() throws IOException {
        ObjectNode profile = Profiles.vector("default-tier-drop-on-scale", "c-json");
        Run run = check(profile.toString(), "-", "--format", "json");
        String expected = MAPPER.writeValueAsString(new CapacityPlanner().plan(ProfileJson.parse(profile)));
        assertEquals(expected + System.lineSeparator(), run.out());
    }

    @Test
    void theTableShowsFindingsPoolsAndTheAzFix() {
        Run run = check(PlanVectors.named("manual-surge-overflows").get("profile").toString(), "-");
        assertEquals(CheckCommand.CRITICAL, run.code());
        String[] lines = run.out().split("\n");
        assertTrue(Stream.of(lines).anyMatch(l -> l.matches("critical +SNAT-6 +cluster +Total planned nodes 4 .*")),
                run.out());
        assertTrue(Stream.of(lines).anyMatch(l -> l.matches("nodepool1 +3 +3 +1 +\\d+ +2")), run.out());
        assertTrue(Stream.of(lines).anyMatch(l -> l.equals("  az aks update --resource-group rg-c4 --name c4 "
                + "--load-balancer-managed-outbound-ip-count 2 --load-balancer-outbound-ports 21000")), run.out());
        assertTrue(run.out().contains("FAIL: 1 critical"), run.out());
    }

    @Test
    void aCleanPlanPasses() {
        Run run = check(PlanVectors.named("default-48-nodes-1-ip").get("profile").toString(), "-");
        assertEquals(CheckCommand.PASS, run.code());
        assertTrue(run.out().contains("PASS: 0 critical"), run.out());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, PlanVectors.named("ports-not-multiple-of-8").get("profile").toString());
        Run run = check("", file.toString());
        assertEquals(CheckCommand.CRITICAL, run.code());
        assertTrue(run.out().contains("SNAT-2"), run.out());
    }

    @Test
    void aMissingFileIsAnInputError(@TempDir Path dir) {
        Run run = check("", dir.resolve("absent.json").toString());
        assertEquals(CheckCommand.INPUT_ERROR, run.code());
        assertTrue(run.err().contains("cannot read"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void malformedJsonSaysWhere() {
        Run run = check("{\"name\": \"c1\", ", "-");
        assertEquals(CheckCommand.INPUT_ERROR, run.code());
        assertTrue(run.err().contains("malformed json") && run.err().contains("line 1"), run.err());
        assertEquals("", run.out(), "the table format writes nothing on stdout for a refused body");
    }

    @Test
    void anEmptyBodyIsRefusedAsTheApiRefusesIt() {
        Run run = check("", "--format", "json", "-");
        assertEquals(CheckCommand.INPUT_ERROR, run.code());
        assertTrue(run.out().contains("must be a JSON object"), run.out());
    }

    @Test
    void wrongArgumentsAreInputErrorsWithTheUsage() {
        for (List<String> args : List.of(List.<String>of(), List.of("--format"), List.of("--format", "yaml", "-"),
                List.of("--verbose", "-"), List.of("a.json", "b.json"))) {
            Run run = check("{}", args.toArray(String[]::new));
            assertEquals(CheckCommand.INPUT_ERROR, run.code(), args.toString());
            assertTrue(run.err().contains("Usage:"), args + ": " + run.err());
        }
        Run help = check("", "--help");
        assertEquals(CheckCommand.PASS, help.code());
        assertTrue(help.out().startsWith("Usage:"), help.out());
    }

    @Test
    void planSettingsComeFromTheServicesPropertyNames() throws IOException {
        ObjectNode profile = Profiles.vector("projected-exhaustion", "c-settings");
        Properties system = new Properties();
        system.setProperty("aks-headroom.plan.headroom-factor", "3");
        Run fromProperty = check(profile.toString(), Map.of(), system, "--format", "json", "-");
        Run fromEnvironment = check(profile.toString(), Map.of("AKS_HEADROOM_PLAN_HEADROOM_FACTOR", "3"),
                new Properties(), "--format", "json", "-");
        String expected = MAPPER.writeValueAsString(new CapacityPlanner(new PlanSettings(3, 1024, 0.75, 0.90))
                .plan(ProfileJson.parse(profile)));
        String defaults = MAPPER.writeValueAsString(new CapacityPlanner().plan(ProfileJson.parse(profile)));
        assertTrue(!expected.equals(defaults), "the vector must show the factor");
        assertEquals(expected, fromProperty.out().strip());
        assertEquals(expected, fromEnvironment.out().strip());
        Run invalid = check(profile.toString(), Map.of("AKS_HEADROOM_PLAN_HEADROOM_FACTOR", "0.5"), new Properties(),
                "-");
        assertEquals(CheckCommand.INPUT_ERROR, invalid.code());
        assertTrue(invalid.err().contains("headroomFactor"), invalid.err());
    }
}
