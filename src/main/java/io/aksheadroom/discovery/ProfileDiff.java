package io.aksheadroom.discovery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What changed between two profiles, in words for a log line: {@code agentPoolProfiles[gpu] added},
 * {@code agentPoolProfiles[system].count 3 -> 5}. Pools are matched by name, not position.
 */
final class ProfileDiff {

    /** A log line names this many changes at most, then how many more. */
    static final int MAX_CHANGES = 8;

    private ProfileDiff() {
    }

    static String describe(JsonNode before, JsonNode after) {
        List<String> changes = new ArrayList<>();
        diff("", before, after, changes);
        if (changes.isEmpty()) {
            return "nothing";
        }
        if (changes.size() <= MAX_CHANGES) {
            return String.join("; ", changes);
        }
        return String.join("; ", changes.subList(0, MAX_CHANGES)) + "; and " + (changes.size() - MAX_CHANGES)
                + " more";
    }

    private static void diff(String path, JsonNode before, JsonNode after, List<String> changes) {
        if (before == null || before.isMissingNode() || before.isNull()) {
            if (after != null && !after.isMissingNode() && !after.isNull()) {
                changes.add(path + " added");
            }
            return;
        }
        if (after == null || after.isMissingNode() || after.isNull()) {
            changes.add(path + " removed");
            return;
        }
        if (before.equals(after)) {
            return;
        }
        if (before.isObject() && after.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                diff(path.isEmpty() ? field : path + "." + field, before.get(field), after.get(field), changes);
            }
        } else if (before.isArray() && after.isArray() && named(before) && named(after)) {
            Map<String, JsonNode> old = byName(before);
            Map<String, JsonNode> next = byName(after);
            Set<String> names = new LinkedHashSet<>(old.keySet());
            names.addAll(next.keySet());
            for (String name : names) {
                diff(path + "[" + name + "]", old.get(name), next.get(name), changes);
            }
        } else {
            changes.add(path + " " + before + " -> " + after);
        }
    }

    private static boolean named(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext();) {
            JsonNode element = it.next();
            byName.put(element.path("name").asText(), element);
        }
        return byName;
    }
}
