package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.aksheadroom.json.DomainJsonModule;

import java.io.UncheckedIOException;

/**
 * Profiles, samples and node events written as the service writes them (by databind, in the forms of
 * {@link DomainJsonModule}), for tests and benchmarks that produce input records without the application's mapper.
 * Those forms carry their instants as text, so a mapper without a date-time module writes them alike.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new DomainJsonModule()).build();

    private WireJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
