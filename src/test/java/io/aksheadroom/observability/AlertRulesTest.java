package io.aksheadroom.observability;

import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SUBNET_HEADROOM_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.capacity.Severity;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.PlanConfig;
import io.aksheadroom.observability.AlertRules.Rule;
import io.smallrye.config.WithDefault;

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
        return AlertRules.all().stream().filter(r -> r.alert().equals(alert.alertname()) && r.severity().equals(severity))
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

    @Test
    void everyAlertSaysWhatHappenedAndWhatToDo() {
        for (Rule rule : AlertRules.all()) {
            assertFalse(rule.annotations().path("summary").asText().isBlank(), rule.alert());
            assertFalse(rule.annotations().path("description").asText().isBlank(), rule.alert());
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
}
