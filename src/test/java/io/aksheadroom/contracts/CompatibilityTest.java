package io.aksheadroom.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * v1 stays additive: the schemas of docs/schemas against the ones released as v1 (src/test/resources/contracts/v1). A
 * consumer generated from the released schema keeps working, or this fails before the record changes shape. A change
 * that must break is a v2: new files, a new ce_type, and the v1 records kept until their consumers have moved.
 */
class CompatibilityTest {

    private static final Path RELEASED = Path.of("src/test/resources/contracts/v1");
    /** Schemas of records others produce: a new required field would break their producers. */
    private static final Set<String> INPUTS = Set.of("cluster-profile.v1.schema.json", "node-event.v1.schema.json",
            "lb-metrics.v1.schema.json", "lb-minute.v1.schema.json", "natgw-metrics.v1.schema.json");

    static Stream<String> released() throws IOException {
        try (Stream<Path> files = Files.list(RELEASED)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("released")
    void everyReleasedSchemaIsStillPublishedAndOnlyAddsToIt(String name) {
        Path current = Contracts.DIRECTORY.resolve(name);
        assertTrue(Files.isRegularFile(current), name + " is released as v1 and must stay published");
        assertEquals(List.of(), Compatibility.breaks(Contracts.read(RELEASED.resolve(name)), Contracts.read(current),
                INPUTS.contains(name)), name + " changed incompatibly");
    }

    @Test
    void everyPublishedSchemaIsReleased() throws IOException {
        Set<String> published = new TreeSet<>();
        SchemasTest.schemas().forEach(published::add);
        Set<String> released = new TreeSet<>();
        released().forEach(released::add);
        assertEquals(released, published, "a new v1 schema is copied to " + RELEASED + " when it is released");
    }

    /** The check itself, on the alert: what it must refuse, and what it must let through. */
    @Test
    void aRemovedOrRetypedFieldBreaksAndAnAddedOneDoesNot() {
        JsonNode alert = Contracts.read(RELEASED.resolve("alert.v1.schema.json"));

        ObjectNode removed = alert.deepCopy();
        ((ObjectNode) removed.path("properties")).remove("threshold");
        assertEquals(List.of("$.threshold removed"),
                Compatibility.breaks(alert, removed, false));

        ObjectNode retyped = alert.deepCopy();
        ((ObjectNode) retyped.path("properties").path("value")).put("type", "string");
        assertEquals(List.of("$.value retyped from [null, number] to [string]"), Compatibility.breaks(alert, retyped,
                false));

        ObjectNode narrowed = alert.deepCopy();
        ((ArrayNode) narrowed.path("properties").path("severity").path("enum")).remove(0);
        assertEquals(List.of("$.severity no longer allows \"info\""), Compatibility.breaks(alert, narrowed, false));

        ObjectNode added = alert.deepCopy();
        ((ObjectNode) added.path("properties")).putObject("silencedBy").put("type", "string");
        ((ArrayNode) added.path("required")).add("silencedBy");
        assertEquals(List.of(), Compatibility.breaks(alert, added, false), "an output may add a field");
        assertEquals(List.of("$.silencedBy is new and required of the input's producers"),
                Compatibility.breaks(alert, added, true));

        JsonNode headers = Contracts.read(RELEASED.resolve("cloudevents-headers.v1.schema.json"));
        ObjectNode unconditional = headers.deepCopy();
        ((ArrayNode) unconditional.path("else").path("required")).removeAll();
        assertEquals(List.of("$[else].ce_dataschema is no longer required"),
                Compatibility.breaks(headers, unconditional, false));

        JsonNode plan = Contracts.read(RELEASED.resolve("plan.v1.schema.json"));
        ObjectNode nested = plan.deepCopy();
        ((ObjectNode) nested.path("properties").path("snat").path("properties")).remove("maxNodes");
        assertEquals(List.of("$.snat.maxNodes removed"),
                Compatibility.breaks(plan, nested, false));
    }
}
