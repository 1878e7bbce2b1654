package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Severity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An {@code aks.alerts} record. One episode of a fingerprint is one {@code firing} record (re-sent while it lasts,
 * with a newer {@code updatedAt}) and one {@code resolved} record carrying {@code endsAt}.
 *
 * @param fingerprint stable over episodes: alert name, rule, cluster and subject
 */
public record Alert(String fingerprint, AlertStatus status, String alertname, String rule, Severity severity,
        String clusterId, String subject, String summary, Double value, Double threshold, Instant startsAt,
        Instant endsAt, Instant updatedAt) {

    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(alertname, "alertname");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (status == AlertStatus.RESOLVED) {
            Objects.requireNonNull(endsAt, "a resolved alert has endsAt");
        }
    }

    public static Alert firing(String clusterId, AlertCondition condition, Instant startsAt, Instant at) {
        return new Alert(fingerprint(condition.alertname(), condition.rule(), clusterId, condition.subject()),
                AlertStatus.FIRING, condition.alertname(), condition.rule(), condition.severity(), clusterId,
                condition.subject(), condition.summary(), condition.value(), condition.threshold(), startsAt, null, at);
    }

    public Alert resendAt(Instant at) {
        return new Alert(fingerprint, status, alertname, rule, severity, clusterId, subject, summary, value, threshold,
                startsAt, endsAt, at);
    }

    public Alert resolvedAt(Instant at) {
        return new Alert(fingerprint, AlertStatus.RESOLVED, alertname, rule, severity, clusterId, subject, summary,
                value, threshold, startsAt, at, at);
    }

    /**
     * Resolved at {@code at}, or at its start if {@code at} is earlier: records can arrive out of event order across
     * streams, and an episode never ends before it began.
     */
    public Alert endAt(Instant at) {
        return resolvedAt(at.isAfter(startsAt) ? at : startsAt);
    }

    public boolean isFiring() {
        return status == AlertStatus.FIRING;
    }

    /** 16 hex digits, as Alertmanager prints fingerprints. */
    public static String fingerprint(String alertname, String rule, String clusterId, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (alertname + '\u0000' + rule + '\u0000' + clusterId + '\u0000' + subject)
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
