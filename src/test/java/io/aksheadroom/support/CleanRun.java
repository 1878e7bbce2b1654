package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.monitor.Alert;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.Outcome;
import io.aksheadroom.json.DomainJsonModule;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.FaultWorkload.Sent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a clean run of the service makes of an input, computed by the domain {@link Fleet} and
 * {@link CapacityPlanner} directly (no Kafka, no restart, no rebalance): the final plan of every cluster and every alert
 * record in order. The fault tests compare what the service wrote under faults against this.
 */
public final class CleanRun {

    /**
     * The resend interval of the services under test and of the clean run: longer than any run, so a firing alert is
     * never legitimately re-sent and every repeated firing record counts as a duplicate.
     */
    public static final Duration RESEND_INTERVAL = Duration.ofHours(24);

    /** The service's wire form of plans: its ObjectMapper has the JSR-310 module and the domain's enum names. */
    public static final ObjectMapper MAPPER = DomainJsonModule.standaloneMapper();

    private CleanRun() {
    }

    /** System properties that make a service process alert as this clean run does. */
    public static Map<String, String> serviceProperties() {
        return Map.of("aks-headroom.pipeline.resend-interval", RESEND_INTERVAL.toString());
    }

    public static MonitorSettings settings() {
        MonitorSettings defaults = MonitorSettings.DEFAULTS;
        return new MonitorSettings(defaults.plan(), defaults.highSamples(), RESEND_INTERVAL, defaults.demandWindow(),
                defaults.subnetFreeShareWarning(), defaults.unknownClusterGrace(), defaults.maxHeldEvents());
    }

    /** An alert record as the no-loss check sees it: one episode's firing, or its end. */
    public record AlertKey(String fingerprint, String alertname, String status, String startsAt) {

        public boolean firing() {
            return status.equals("firing");
        }
    }

    /**
     * The outputs of a run.
     *
     * @param plans the final plan of each cluster (without {@code generatedAt} and {@code newestSampleAt}); absent once
     *     a cluster is deleted
     * @param alerts every alert record, in the order written
     */
    public record Outputs(Map<String, JsonNode> plans, List<AlertKey> alerts) {
    }

    /** Feeds {@code sent}, in that order, to a fresh fleet. */
    public static Outputs of(List<Sent> sent, List<String> clusters) {
        Fleet<Void> fleet = new Fleet<>(settings(), new CapacityPlanner(settings().plan()));
        List<AlertKey> alerts = new ArrayList<>();
        for (Sent record : sent) {
            FaultWorkload.Input input = record.input();
            Instant now = Instant.now();
            Outcome outcome = switch (input.topic()) {
                case FaultWorkload.PROFILES -> input.value() == null
                        ? fleet.forget(input.key(), Instant.ofEpochMilli(record.timestamp()))
                        : fleet.profile(input.key(), 0, ProfileJson.parse(FaultWorkload.tree(input.value())),
                                Instant.ofEpochMilli(record.timestamp()));
                case FaultWorkload.NODE_EVENTS -> fleet.apply(0,
                        EventJson.parseNodeEvent(FaultWorkload.tree(input.value())), null, now, false);
                case FaultWorkload.LB_METRICS -> fleet.apply(0, EventJson.parseSample(FaultWorkload.tree(input.value())),
                        null, now, false);
                default -> throw new IllegalArgumentException(input.topic());
            };
            outcome.alerts().forEach(alert -> alerts.add(key(alert)));
        }
        Map<String, JsonNode> plans = new LinkedHashMap<>();
        for (String cluster : clusters) {
            ClusterView view = fleet.view(cluster);
            if (view != null && view.plan() != null) {
                // Through text, as the topic carries it: a tree built from objects keeps Java's number types.
                plans.put(cluster, FaultWorkload.tree(text(view.plan())));
            }
        }
        return new Outputs(plans, alerts);
    }

    private static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlertKey key(Alert alert) {
        return new AlertKey(alert.fingerprint(), alert.alertname(), alert.status().wireName(),
                alert.startsAt().toString());
    }

    /** What the service wrote for {@code clusters}: the latest recommendation per key, and the alert records. */
    public static Outputs written(List<ConsumerRecord<String, String>> recommendations,
            List<ConsumerRecord<String, String>> alertRecords, List<String> clusters) {
        Map<String, JsonNode> plans = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : recommendations) {
            if (!clusters.contains(record.key())) {
                continue;
            }
            if (record.value() == null) {
                plans.remove(record.key());
            } else {
                ObjectNode plan = (ObjectNode) FaultWorkload.tree(record.value());
                // The record's metadata beside the plan: when it was made, and the newest sample it had then.
                plan.remove("generatedAt");
                plan.remove("newestSampleAt");
                plans.put(record.key(), plan);
            }
        }
        List<AlertKey> alerts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : alertRecords) {
            if (record.value() == null) {
                continue;
            }
            JsonNode alert = FaultWorkload.tree(record.value());
            if (clusters.contains(alert.path("clusterId").asText())) {
                alerts.add(new AlertKey(alert.path("fingerprint").asText(), alert.path("alertname").asText(),
                        alert.path("status").asText(), alert.path("startsAt").asText()));
            }
        }
        return new Outputs(plans, alerts);
    }
}
