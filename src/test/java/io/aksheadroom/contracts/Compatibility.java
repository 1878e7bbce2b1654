package io.aksheadroom.contracts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a schema change breaks for the other side of a topic. Within v1 a schema may only add: every property of the
 * released schema stays, with its type, its constant, its enum values and its being required or not. Producers of an
 * input must also not be asked for more, so a new property of an input schema may not be required.
 */
final class Compatibility {

    private Compatibility() {
    }

    /** The breaking changes from {@code released} to {@code current}, each with its JSON path; empty when additive. */
    static List<String> breaks(JsonNode released, JsonNode current, boolean input) {
        List<String> breaks = new ArrayList<>();
        compare(released, current, "$", input, breaks);
        return breaks;
    }

    private static void compare(JsonNode released, JsonNode current, String path, boolean input, List<String> breaks) {
        if (current == null || current.isMissingNode()) {
            breaks.add(path + " removed");
            return;
        }
        if (!types(released).equals(types(current))) {
            breaks.add(path + " retyped from " + types(released) + " to " + types(current));
        }
        if (released.has("const") && !released.get("const").equals(current.get("const"))) {
            breaks.add(path + " constant changed from " + released.get("const") + " to " + current.get("const"));
        }
        if (released.has("enum")) {
            for (JsonNode value : released.get("enum")) {
                if (!contains(current.path("enum"), value)) {
                    breaks.add(path + " no longer allows " + value);
                }
            }
        }
        if (released.has("$ref") && !released.get("$ref").equals(current.get("$ref"))) {
            breaks.add(path + " refers to " + current.get("$ref") + " instead of " + released.get("$ref"));
        }
        Set<String> releasedRequired = names(released.path("required"));
        Set<String> currentRequired = names(current.path("required"));
        released.path("properties").fieldNames().forEachRemaining(name -> {
            String at = path + "." + name;
            compare(released.path("properties").get(name), current.path("properties").path(name), at, input, breaks);
            if (!releasedRequired.contains(name) && currentRequired.contains(name)) {
                breaks.add(at + " became required");
            }
        });
        // Also where a condition requires what its schema's properties name (then, else).
        for (String name : releasedRequired) {
            if (!currentRequired.contains(name)) {
                breaks.add(path + "." + name + " is no longer required");
            }
        }
        if (input) {
            for (String name : currentRequired) {
                if (!released.path("properties").has(name) && !releasedRequired.contains(name)) {
                    breaks.add(path + "." + name + " is new and required of the input's producers");
                }
            }
        }
        for (String keyword : List.of("items", "additionalProperties", "then", "else")) {
            if (released.path(keyword).isObject()) {
                compare(released.get(keyword), current.path(keyword), path + "[" + keyword + "]", input, breaks);
            }
        }
        released.path("$defs").fieldNames().forEachRemaining(name -> compare(released.path("$defs").get(name),
                current.path("$defs").path(name), path + ".$defs." + name, input, breaks));
        JsonNode allOf = released.path("allOf");
        for (int i = 0; i < allOf.size(); i++) {
            compare(allOf.get(i), current.path("allOf").path(i), path + ".allOf[" + i + "]", input, breaks);
        }
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new TreeSet<>();
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            types.add(type.asText());
        }
        type.forEach(each -> types.add(each.asText()));
        return types;
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode each : array) {
            if (each.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
