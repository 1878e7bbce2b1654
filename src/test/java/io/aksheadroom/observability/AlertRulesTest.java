package io.aksheadroom.observability;

import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.capacity.Severity;
import io.aksheadroom.config.AlertsConfig;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.PlanConfig;
import io.aksheadroom.json.Runbooks;
import io.aksheadroom.observability.AlertRules.Rule;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules against the service's alerting contract: the same alert names and severities, the service's
 * default thresholds, one content for the rule file and the PrometheusRule, and unit tests for each alert both ways.
 * promtool itself runs in {@link PromtoolIT}.
 */
class AlertRulesTest {

    /** The alerts the service raises ({@link io.aksheadroom.monitor.AlertRules}), with the severities it gives them. */
    static final Map<String, Set<String>> CONTRACT = Arrays.stream(io.aksheadroom.monitor.AlertRules.values())
            .collect(Collectors.toMap(io.aksheadroom.monitor.AlertRules::alertname, alert -> alert.severities().stream()
                    .map(Severity::wireName).collect(Collectors.toSet())));

    private static String defaultOf(Class<?> config, String property) throws NoSuchMethodException {
        return config.getMethod(property).getAnnotation(WithDefault.class).value();
    }

    private static Rule rule(io.aksheadroom.monitor.AlertRules alert, String severity) {
        return rule(alert.alertname(), severity);
    }

    private static Rule rule(String alertname, String severity) {
        return AlertRules.all().stream().filter(r -> r.alert().equals(alertname) && r.severity().equals(severity))
                .findFirst().orElseThrow();
    }

    @Test
    void theRulesRaiseTheServicesAlertsWithItsSeverities() {
        Map<String, Set<String>> rules = AlertRules.all().stream().collect(Collectors.groupingBy(Rule::alert,
                TreeMap::new, Collectors.mapping(Rule::severity, Collectors.toCollection(TreeSet::new))));
        assertEquals(CONTRACT, rules);
    }

    @Test
    void theThresholdsAreTheServicesDefaults() throws NoSuchMethodException {
        String warning = defaultOf(PlanConfig.class, "utilizationWarning");
        String critical = defaultOf(PlanConfig.class, "utilizationCritical");
        assertEquals("aks_headroom_node_snat_utilization_ratio >= " + Double.parseDouble(critical),
                rule(SNAT_PORTS_HIGH, "critical").expr());
        assertEquals("aks_headroom_node_snat_utilization_ratio >= " + Double.parseDouble(warning) + " < "
                + Double.parseDouble(critical), rule(SNAT_PORTS_HIGH, "warning").expr());
        // The service fires after this many consecutive one-minute samples: they span one minute less.
        int samples = Integer.parseInt(defaultOf(PipelineConfig.class, "highSamples"));
        assertEquals((samples - 1) + "m", rule(SNAT_PORTS_HIGH, "critical").duration());
        assertEquals((samples - 1) + "m", rule(SNAT_PORTS_HIGH, "warning").duration());
        String freeShare = defaultOf(PipelineConfig.class, "subnetFreeShareWarning");
        assertTrue(rule(SUBNET_HEADROOM_LOW, "warning").expr().startsWith(
                "aks_headroom_subnet_free_addresses / aks_headroom_subnet_usable_addresses < "
                        + Double.parseDouble(freeShare) + "\n"), rule(SUBNET_HEADROOM_LOW, "warning").expr());
    }

    @Test
    void thePrometheusRuleHoldsTheRuleFileToTheLetter() {
        JsonNode custom = AlertRules.read(AlertRules.PROMETHEUS_RULE);
        assertEquals("PrometheusRule", custom.path("kind").asText());
        assertEquals(AlertRules.read(AlertRules.FILE).path("groups"), custom.path("spec").path("groups"),
                AlertRules.PROMETHEUS_RULE + " differs from " + AlertRules.FILE + ": copy the groups over");
    }

    /**
     * The rules link the pages the service's records link by default (aks-headroom.alerts.runbook-base-url): the one
     * base to change when the runbooks are served elsewhere.
     */
    @Test
    void everyAlertSaysWhatHappenedAndLinksItsRunbook() {
        Runbooks runbooks = new Runbooks(URI.create(AlertsConfig.DEFAULT_RUNBOOK_BASE_URL));
        for (Rule rule : AlertRules.all()) {
            assertFalse(rule.annotations().path("summary").asText().isBlank(), rule.alert());
            assertFalse(rule.annotations().path("description").asText().isBlank(), rule.alert());
            assertEquals(runbooks.url(rule.alert()), rule.annotations().path("runbook_url").asText(), rule.alert());
            assertTrue(Files.isRegularFile(Path.of("docs/runbooks", rule.alert() + ".md")),
                    "docs/runbooks/" + rule.alert() + ".md, the page runbook_url links");
        }
    }

    /**
     * The Prometheus mixin conventions: Alertmanager groups by alert name, so the summary is the same for every rule
     * of a name and names no instance; the description names the instance and quotes the figures.
     */
    @Test
    void summariesAreConstantPerAlertAndDescriptionsNameTheInstance() {
        Map<String, Set<String>> summaries = AlertRules.all().stream().collect(Collectors.groupingBy(Rule::alert,
                TreeMap::new, Collectors.mapping(rule -> rule.annotations().path("summary").asText(),
                        Collectors.toCollection(TreeSet::new))));
        summaries.forEach((alert, texts) -> {
            assertEquals(1, texts.size(), alert + " has one summary: " + texts);
            assertFalse(texts.iterator().next().contains("{{"), alert + ": a summary holds no template: " + texts);
        });
        for (Rule rule : AlertRules.all()) {
            String description = rule.annotations().path("description").asText();
            assertTrue(description.contains("{{ $labels.cluster }}"), rule.alert() + " names the cluster");
            // A finding's series is 1 per broken rule: its rule id is what fired it.
            assertTrue(description.contains("{{ $value") || description.contains("{{ $labels.rule }}"),
                    rule.alert() + " quotes what fired it");
        }
    }

    @Test
    void severitiesAreThoseAlertmanagerRoutesOn() {
        for (Rule rule : AlertRules.all()) {
            assertTrue(Set.of("critical", "warning", "info").contains(rule.severity()), rule.alert() + ": "
                    + rule.severity());
        }
    }

    @Test
    void thePromtoolUnitTestsSeeEveryAlertFireAndNotFire() {
        Set<String> fires = new HashSet<>();
        Set<String> stays = new HashSet<>();
        JsonNode tests = AlertRules.read(AlertRules.UNIT_TESTS);
        assertEquals(List.of(AlertRules.FILE.getFileName().toString()),
                List.of(tests.path("rule_files").get(0).asText()));
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? stays : fires).add(check.path("alertname").asText());
            }
        }
        assertEquals(CONTRACT.keySet(), fires, "alerts some test expects to fire");
        assertEquals(CONTRACT.keySet(), stays, "alerts some test expects to stay quiet");
    }

    /** promtool compares annotations whole: each expected firing names all of them, so each is checked rendered. */
    @Test
    void thePromtoolUnitTestsCheckEveryAnnotationRendered() {
        for (JsonNode test : AlertRules.read(AlertRules.UNIT_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                for (JsonNode expected : check.path("exp_alerts")) {
                    JsonNode annotations = expected.path("exp_annotations");
                    Rule rule = rule(alert, expected.path("exp_labels").path("severity").asText());
                    Set<String> names = new TreeSet<>();
                    rule.annotations().fieldNames().forEachRemaining(names::add);
                    Set<String> checked = new TreeSet<>();
                    annotations.fieldNames().forEachRemaining(checked::add);
                    assertEquals(names, checked, alert + " at " + check.path("eval_time").asText());
                    assertFalse(annotations.path("description").asText().contains("?"),
                            alert + ": every figure the description quotes is in the test's series: "
                                    + annotations.path("description").asText());
                }
            }
        }
    }
}
