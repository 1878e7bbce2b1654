package io.aksheadroom.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.aksheadroom.config.TopicsConfig;
import io.smallrye.config.WithDefault;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/schemas and docs/asyncapi.yaml as a consumer meets them: valid draft 2020-12 schemas, published under their
 * file names, every example valid (and a broken copy of it not), and the AsyncAPI document describing exactly the
 * service's topics with exactly these schemas.
 */
class SchemasTest {

    private static final Path ASYNCAPI = Path.of("docs/asyncapi.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<String> schemas() throws IOException {
        try (Stream<Path> files = Files.list(Contracts.DIRECTORY)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".schema.json"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void isADraft202012SchemaPublishedUnderItsName(String name) throws IOException {
        JsonNode schema = Contracts.read(Contracts.DIRECTORY.resolve(name));
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText());
        assertEquals(Contracts.BASE + name, schema.path("$id").asText());
        assertFalse(schema.path("description").asText().isBlank(), name + " says what it describes");
        List<?> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"))
                .validate(Files.readString(Contracts.DIRECTORY.resolve(name)), InputFormat.JSON);
        assertEquals(List.of(), errors, name + " against the draft 2020-12 meta-schema");
    }

    /** The examples are the documentation consumers copy: each is valid, even against the closed schemas. */
    @ParameterizedTest
    @MethodSource("schemas")
    void everyExampleIsValidAndABrokenCopyIsNot(String name) throws IOException {
        JsonNode examples = Contracts.read(Contracts.DIRECTORY.resolve(name)).path("examples");
        assertFalse(examples.isEmpty(), name + " shows an example");
        for (JsonNode example : examples) {
            assertEquals(List.of(), Contracts.strict().errors(name, example.toString()), name + ": " + example);
            Iterator<String> fields = example.fieldNames();
            String field = fields.next();
            ObjectNode missing = example.deepCopy();
            missing.remove(field);
            assertFalse(Contracts.lenient().errors(name, missing.toString()).isEmpty(), name + " without " + field);
            ObjectNode retyped = example.deepCopy();
            retyped.set(field, Contracts.JSON.createArrayNode());
            assertFalse(Contracts.lenient().errors(name, retyped.toString()).isEmpty(), name + " with " + field
                    + " an array");
        }
    }

    @Test
    void theClosedSchemasRefuseAnUndocumentedField() throws IOException {
        JsonNode alert = Contracts.read(Contracts.DIRECTORY.resolve("alert.v1.schema.json")).path("examples").get(0);
        ObjectNode extra = alert.deepCopy();
        extra.put("undocumented", 1);
        assertEquals(List.of(), Contracts.lenient().errors("alert.v1.schema.json", extra.toString()),
                "consumers' schemas take fields added later");
        assertFalse(Contracts.strict().errors("alert.v1.schema.json", extra.toString()).isEmpty());
        JsonNode recommendation = Contracts.read(Contracts.DIRECTORY.resolve("recommendation.v1.schema.json"))
                .path("examples").get(0);
        ObjectNode nested = recommendation.deepCopy();
        ((ObjectNode) nested.path("snat")).put("undocumented", 1);
        assertFalse(Contracts.strict().errors("recommendation.v1.schema.json", nested.toString()).isEmpty(),
                "closed inside the plan the recommendation extends too");
    }

    @Test
    void theAsyncApiDocumentDescribesTheServicesTopicsWithTheseSchemas() throws Exception {
        JsonNode document = YAML.readTree(ASYNCAPI.toFile());
        assertEquals("3.0.0", document.path("asyncapi").asText());
        Set<String> addresses = new TreeSet<>();
        document.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        Set<String> topics = new TreeSet<>();
        for (Method topic : TopicsConfig.class.getMethods()) {
            WithDefault name = topic.getAnnotation(WithDefault.class);
            if (name != null && name.value().startsWith("aks.")) {
                topics.add(name.value());
            }
        }
        assertEquals(topics, addresses, "a channel for every topic of aks-headroom.topics.*");

        Set<String> referenced = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        document.path("components").path("messages").forEach(message -> collectReferences(message, referenced));
        for (String reference : referenced) {
            if (!Files.isRegularFile(ASYNCAPI.getParent().resolve(reference))) {
                missing.add(reference);
            }
        }
        assertEquals(List.of(), missing, "references to schema files that do not exist");
        Set<String> files = new TreeSet<>();
        schemas().forEach(name -> files.add("schemas/" + name));
        files.remove("schemas/plan.v1.schema.json"); // reached through the recommendation
        assertTrue(referenced.containsAll(files), "every record schema is some message's: " + referenced);
    }

    private static void collectReferences(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            JsonNode reference = node.get("$ref");
            if (reference != null && reference.asText().endsWith(".json")) {
                into.add(reference.asText());
            }
            node.forEach(child -> collectReferences(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, into));
        }
    }
}
