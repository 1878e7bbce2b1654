package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Severity;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A condition that holds now: the input of the alert lifecycle. An alert fires for it, stays firing while it keeps
 * holding, and resolves once it no longer does.
 *
 * <p>Its summary is written only when asked for: conditions are evaluated on every sample of a busy backend, but a
 * summary is read only when an alert fires or changes severity (a firing alert keeps the summary it fired with).
 *
 * @param rule one of {@code alert}'s rule ids: the one whose check holds
 * @param severity one {@code alert} allows
 * @param subject what it is about: {@code cluster}, a subnet id, or a backend as {@code ip/protocol}
 * @param describe writes the summary when it is needed, within the call that made the condition; what it reads of
 *        its maker's state must not change before then
 * @param value the measured figure (a share for utilizations, a count otherwise), null when there is none
 * @param threshold the figure the value is compared with, null when there is none
 */
public record AlertCondition(AlertRules alert, String rule, Severity severity, String subject,
        Supplier<String> describe, Double value, Double threshold) {

    public AlertCondition {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(describe, "describe");
        if (!alert.rules().contains(rule)) {
            throw new IllegalArgumentException(alert.alertname() + " is not raised by rule " + rule);
        }
        if (!alert.allows(severity)) {
            throw new IllegalArgumentException(alert.alertname() + " is not raised as " + severity.wireName());
        }
    }

    /** A condition whose summary is already written. */
    public AlertCondition(AlertRules alert, String rule, Severity severity, String subject, String summary,
            Double value, Double threshold) {
        this(alert, rule, severity, subject, written(summary), value, threshold);
    }

    private static Supplier<String> written(String summary) {
        Objects.requireNonNull(summary, "summary");
        return () -> summary;
    }

    public String alertname() {
        return alert.alertname();
    }

    public String summary() {
        return Objects.requireNonNull(describe.get(), "summary");
    }

    /** A share as summaries print it: a whole percentage, {@code ?} when unknown. */
    static String percent(Double share) {
        return share == null ? "?" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
