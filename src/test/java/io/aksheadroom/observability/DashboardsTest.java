package io.aksheadroom.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.metrics.FleetSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The dashboards and their provisioning as files: what Grafana needs to load them as they are. Whether each query
 * returns data is {@link DashboardsAndRulesIT}'s question, against a real Prometheus.
 */
class DashboardsTest {

    private static final Map<String, String> UIDS = Map.of("aks-headroom-fleet.json", "aks-headroom-fleet",
            "aks-headroom-cluster.json", "aks-headroom-cluster");
    private static final Pattern OWN_METRIC = Pattern.compile("aks_headroom_[a-z0-9_]+");
    /** PipelineMetrics' Micrometer meters, as the Prometheus registry names them (suffixes included). */
    private static final Pattern PIPELINE_METRIC = Pattern.compile(
            "aks_headroom_(records_(consumed|dead_lettered|published)_total"
                    + "|(record_processing|event_to_publish_lag)_seconds_(bucket|count|sum|max))");

    @Test
    void eachDashboardHasItsStableUid() {
        Map<String, String> found = Dashboards.files().stream().collect(Collectors.toMap(
                path -> path.getFileName().toString(), path -> Dashboards.read(path).path("uid").asText()));
        assertEquals(UIDS, found);
    }

    @Test
    void everyPanelAsksTheTemplatedDatasource() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            JsonNode datasource = Dashboards.variables(dashboard).get(0);
            assertEquals("datasource", datasource.path("name").asText(), file.toString());
            assertEquals("datasource", datasource.path("type").asText());
            assertEquals("prometheus", datasource.path("query").asText());
            List<JsonNode> asked = new ArrayList<>();
            for (JsonNode panel : Dashboards.panels(dashboard)) {
                if (!panel.path("type").asText().equals("row")) {
                    asked.add(panel.path("datasource"));
                    panel.path("targets").forEach(target -> asked.add(target.path("datasource")));
                }
            }
            Dashboards.variables(dashboard).stream().filter(v -> v.path("type").asText().equals("query"))
                    .forEach(variable -> asked.add(variable.path("datasource")));
            for (JsonNode ask : asked) {
                assertEquals("prometheus", ask.path("type").asText(), file + ": " + ask);
                assertEquals("${datasource}", ask.path("uid").asText(), file + ": " + ask);
            }
        }
    }

    @Test
    void everyPanelHasAQueryAndItsOwnIdAndPlace() {
        for (Path file : Dashboards.files()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
                assertTrue(ids.add(panel.path("id").asInt()), file + ": panel id " + panel.path("id") + " twice");
                assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), panel.toString());
                if (!panel.path("type").asText().equals("row")) {
                    assertFalse(panel.path("targets").isEmpty(), file + ": " + panel.path("title"));
                    panel.path("targets").forEach(target -> assertFalse(target.path("expr").asText().isBlank(),
                            file + ": " + panel.path("title")));
                }
            }
        }
    }

    @Test
    void theClusterDetailIsTemplatedByClusterAndPool() {
        JsonNode dashboard = Dashboards.read(Dashboards.DIRECTORY.resolve("aks-headroom-cluster.json"));
        assertEquals(List.of("datasource", "cluster", "pool"),
                Dashboards.variables(dashboard).stream().map(v -> v.path("name").asText()).toList());
        for (Dashboards.Query query : Dashboards.queries(dashboard)) {
            assertTrue(query.expr().contains("cluster=\"$cluster\""), "every panel is about the chosen cluster: " + query);
        }
    }

    @Test
    void everyMetricTheDashboardsAndRulesReadIsOneTheServiceExports() {
        Set<String> fleet = FleetSeries.METRICS.stream().map(FleetSeries.Metric::name).collect(Collectors.toSet());
        List<String> expressions = new ArrayList<>();
        Dashboards.files().forEach(file -> {
            JsonNode dashboard = Dashboards.read(file);
            Dashboards.queries(dashboard).forEach(query -> expressions.add(query.expr()));
            Dashboards.variables(dashboard).forEach(variable -> expressions.add(variable.path("query").asText()));
        });
        AlertRules.all().forEach(rule -> expressions.add(rule.expr()));
        Set<String> unknown = new TreeSet<>();
        for (String expr : expressions) {
            Matcher names = OWN_METRIC.matcher(expr);
            while (names.find()) {
                if (!fleet.contains(names.group()) && !PIPELINE_METRIC.matcher(names.group()).matches()) {
                    unknown.add(names.group());
                }
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void theProvisioningLoadsOnePrometheusAndTheDashboardsFolder() throws Exception {
        JsonNode datasources = AlertRules.YAML.readTree(
                Path.of("grafana/provisioning/datasources/aks-headroom.yaml").toFile());
        assertEquals(1, datasources.path("apiVersion").asInt());
        assertEquals(1, datasources.path("datasources").size());
        assertEquals("prometheus", datasources.path("datasources").get(0).path("type").asText());
        assertFalse(datasources.path("datasources").get(0).path("isDefault").asBoolean(),
                "a second default data source makes Grafana refuse the provisioning");

        JsonNode providers = AlertRules.YAML.readTree(
                Path.of("grafana/provisioning/dashboards/aks-headroom.yaml").toFile());
        JsonNode provider = providers.path("providers").get(0);
        assertEquals("file", provider.path("type").asText());
        String path = provider.path("options").path("path").asText();
        assertTrue(Files.readString(Path.of("grafana/README.md")).contains(path),
                "the README says where to copy the dashboards: " + path);
    }
}
