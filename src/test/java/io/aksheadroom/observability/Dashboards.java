package io.aksheadroom.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards of {@code grafana/dashboards}, read as Grafana reads them. */
final class Dashboards {

    static final Path DIRECTORY = Path.of("grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One query of one panel. */
    record Query(String dashboard, String panel, String refId, String expr) {

        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    private Dashboards() {
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, those inside rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Every PromQL expression of every panel of {@code dashboard}. */
    static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(dashboard.path("title").asText(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }

    static List<JsonNode> variables(JsonNode dashboard) {
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        return variables;
    }
}
