package io.aksheadroom.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Prometheus alerting rules of {@code prometheus/aks-headroom.rules.yaml}. */
final class AlertRules {

    static final Path FILE = Path.of("prometheus/aks-headroom.rules.yaml");
    static final Path UNIT_TESTS = Path.of("prometheus/aks-headroom.rules.test.yaml");
    static final Path PROMETHEUS_RULE = Path.of("k8s/base/prometheusrule.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Rule(String alert, String expr, String duration, String severity, JsonNode annotations) {
    }

    private AlertRules() {
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : read(FILE).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new Rule(rule.path("alert").asText(), rule.path("expr").asText().strip(),
                        rule.path("for").asText(null), rule.path("labels").path("severity").asText(),
                        rule.path("annotations")));
            }
        }
        return rules;
    }
}
