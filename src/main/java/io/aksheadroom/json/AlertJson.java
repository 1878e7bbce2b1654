package io.aksheadroom.json;

import static io.aksheadroom.json.Fields.construct;
import static io.aksheadroom.json.Fields.enumValue;
import static io.aksheadroom.json.Fields.number;
import static io.aksheadroom.json.Fields.requiredText;
import static io.aksheadroom.json.Fields.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.capacity.Severity;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Locale;

/** The {@code aks.alerts} record: written with its runbook's address, read back as a restarted instance does. */
public final class AlertJson {

    private AlertJson() {
    }

    /**
     * An alert as its record carries it: the alert's fields, then {@code runbook_url}, named as Prometheus rules and
     * Alertmanager name the annotation, so a consumer that forwards the record there can copy it as it is.
     */
    @RegisterForReflection
    public record Written(@JsonUnwrapped Alert alert, @JsonProperty("runbook_url") String runbookUrl) {
    }

    public static Written of(Alert alert, Runbooks runbooks) {
        return new Written(alert, runbooks.url(alert.alertname()));
    }

    public static Alert parse(JsonNode json) {
        String endsAt = text(json, "endsAt", "");
        return construct("", () -> new Alert(
                requiredText(json, "fingerprint", ""),
                enumValue(json, "status", "", AlertStatus::fromWire),
                requiredText(json, "alertname", ""),
                requiredText(json, "rule", ""),
                enumValue(json, "severity", "", value -> Severity.valueOf(value.toUpperCase(Locale.ROOT))),
                requiredText(json, "clusterId", ""),
                requiredText(json, "subject", ""),
                text(json, "summary", ""),
                number(json, "value", ""),
                number(json, "threshold", ""),
                Fields.instant(json, "startsAt", ""),
                endsAt == null ? null : Instant.parse(endsAt),
                Fields.instant(json, "updatedAt", "")));
    }
}
