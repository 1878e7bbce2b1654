package io.aksheadroom.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.aksheadroom.json.DataSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The JSON Schemas of docs/schemas (draft 2020-12) as a validator sees them: each file under the $id it declares, so
 * the schemas' references to one another resolve to the files of this checkout, never to the network.
 * {@link #strict()} also refuses fields a schema does not name (where it does not say that others are welcome, as
 * the profile does for what az prints): a record the service writes with an undocumented field fails it, so the
 * schemas stay complete; consumers read with the lenient schemas as published.
 */
public final class Contracts {

    /** Where the schemas are published; every $id and ce_dataschema starts with it. */
    public static final String BASE = DataSchema.BASE;
    public static final Path DIRECTORY = Path.of("docs/schemas");
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Contracts LENIENT = new Contracts(DIRECTORY, UnaryOperator.identity());
    private static final Contracts STRICT = new Contracts(DIRECTORY, schema -> closed(DIRECTORY, schema));

    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    Contracts(Path directory, UnaryOperator<JsonNode> transform) {
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(
                (String iri) -> iri.startsWith(BASE) ? text(transform.apply(read(directory.resolve(
                        iri.substring(BASE.length()))))) : null));
    }

    public static Contracts lenient() {
        return LENIENT;
    }

    public static Contracts strict() {
        return STRICT;
    }

    /** The errors of {@code json} against the schema file {@code name} (e.g. {@code alert.v1.schema.json}). */
    public List<String> errors(String name, String json) {
        Schema schema = schemas.computeIfAbsent(name, n -> registry.getSchema(SchemaLocation.of(BASE + n)));
        return schema.validate(json, InputFormat.JSON, context -> context.executionConfig(config -> config
                .formatAssertionsEnabled(true))).stream().map(Error::toString).toList();
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every object schema that names its properties, closed to others (unless it says what others may be). A schema
     * that extends a sibling ({@code allOf} of one reference, as the recommendation extends the plan) gets the
     * sibling's properties inlined first: closed separately, each would refuse the other's fields.
     */
    static JsonNode closed(Path directory, JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        JsonNode allOf = copy.path("allOf");
        if (allOf.size() == 1 && allOf.get(0).path("$ref").asText().endsWith(".json")) {
            ObjectNode base = (ObjectNode) read(directory.resolve(allOf.get(0).path("$ref").asText()));
            copy.remove("allOf");
            ObjectNode properties = base.with("properties").deepCopy();
            properties.setAll((ObjectNode) copy.path("properties"));
            copy.set("properties", properties);
            com.fasterxml.jackson.databind.node.ArrayNode required = base.withArray("required").deepCopy();
            copy.path("required").forEach(required::add);
            copy.set("required", required);
            copy.set("type", base.path("type"));
            if (base.has("$defs")) {
                copy.set("$defs", base.path("$defs"));
            }
        }
        close(copy);
        return copy;
    }

    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            // An if names only the properties it tests: closed, it would never hold.
            object.properties().stream().filter(field -> !field.getKey().equals("if"))
                    .forEach(field -> close(field.getValue()));
        } else if (node.isArray()) {
            node.forEach(Contracts::close);
        }
    }
}
