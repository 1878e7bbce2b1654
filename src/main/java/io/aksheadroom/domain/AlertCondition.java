package io.aksheadroom.domain;

import java.util.Objects;

/**
 * A condition that holds now: the input of the alert lifecycle. An alert fires for it, stays firing while it keeps
 * holding, and resolves once it no longer does.
 *
 * @param subject what it is about: {@code cluster}, a subnet id, or a backend as {@code ip/protocol}
 * @param value the measured figure (a share for utilizations, a count otherwise), null when there is none
 * @param threshold the figure the value is compared with, null when there is none
 */
public record AlertCondition(String alertname, String rule, Severity severity, String subject, String summary,
        Double value, Double threshold) {

    public AlertCondition {
        Objects.requireNonNull(alertname, "alertname");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(summary, "summary");
    }
}
