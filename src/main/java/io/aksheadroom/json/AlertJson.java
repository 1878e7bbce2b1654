package io.aksheadroom.json;

import static io.aksheadroom.json.Fields.construct;
import static io.aksheadroom.json.Fields.enumValue;
import static io.aksheadroom.json.Fields.number;
import static io.aksheadroom.json.Fields.requiredText;
import static io.aksheadroom.json.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.capacity.Severity;

import java.time.Instant;
import java.util.Locale;

/** Reads an {@code aks.alerts} record back, as a restarted instance does. */
public final class AlertJson {

    private AlertJson() {
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
