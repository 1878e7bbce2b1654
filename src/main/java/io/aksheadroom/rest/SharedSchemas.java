package io.aksheadroom.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The plan API's request and answer, described by the JSON Schemas that the Kafka contract (docs/asyncapi.yaml)
 * references for the profiles and the recommendations: written once, in docs/schemas, so the API and the topics
 * cannot drift apart. Each file becomes a component schema as it is, {@code $id} and {@code $defs} included (OpenAPI
 * 3.1 schemas are JSON Schema 2020-12, so its references resolve inside it). Run when the application is built; the
 * files are packaged beside this class (pom.xml).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SharedSchemas implements OASFilter {

    /** The component of the request: a cluster profile, the records of aks.cluster-profiles. */
    public static final String PROFILE = "ClusterProfile";
    /** The component of the answer: a plan, what every aks.recommendations record extends. */
    public static final String PLAN = "Plan";
    static final Map<String, String> FILES = Map.of(PROFILE, "cluster-profile.v1.schema.json",
            PLAN, "plan.v1.schema.json");

    // JSON Schema 2020-12's keywords whose values are schemas, or maps or lists of them; every other value is data.
    private static final Set<String> SUBSCHEMA = Set.of("items", "additionalProperties", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contentSchema");
    private static final Set<String> SUBSCHEMA_MAP = Set.of("properties", "$defs", "patternProperties",
            "dependentSchemas");
    private static final Set<String> SUBSCHEMA_LIST = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        FILES.forEach((name, file) -> openAPI.getComponents().addSchema(name, schema(read(file))));
    }

    private static JsonNode read(String file) {
        try (InputStream in = SharedSchemas.class.getResourceAsStream("schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + file + " is not packaged beside " + SharedSchemas.class);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema schema(JsonNode json) {
        Schema schema = OASFactory.createSchema();
        json.properties().forEach(keyword -> schema.set(keyword.getKey(), value(keyword.getKey(), keyword.getValue())));
        return schema;
    }

    private static Object value(String keyword, JsonNode value) {
        if (SUBSCHEMA.contains(keyword) && value.isObject()) {
            return schema(value);
        }
        if (SUBSCHEMA_MAP.contains(keyword)) {
            Map<String, Schema> schemas = new LinkedHashMap<>();
            value.properties().forEach(entry -> schemas.put(entry.getKey(), schema(entry.getValue())));
            return schemas;
        }
        if (SUBSCHEMA_LIST.contains(keyword)) {
            List<Schema> schemas = new ArrayList<>();
            value.forEach(entry -> schemas.add(schema(entry)));
            return schemas;
        }
        return data(value);
    }

    private static Object data(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> object = new LinkedHashMap<>();
            value.properties().forEach(entry -> object.put(entry.getKey(), data(entry.getValue())));
            return object;
        }
        if (value.isArray()) {
            List<Object> array = new ArrayList<>();
            value.forEach(entry -> array.add(data(entry)));
            return array;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isNull() ? null : value.textValue();
    }
}
