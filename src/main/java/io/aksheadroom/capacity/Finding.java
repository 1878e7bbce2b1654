package io.aksheadroom.capacity;

import java.util.Objects;

/**
 * A rule that failed, said so a person can act on it.
 *
 * @param rule the spec's rule id, such as {@code SNAT-6}
 * @param subject what the finding is about: {@code cluster}, a pool name or a subnet id (part of alert fingerprints)
 */
public record Finding(String rule, Severity severity, String subject, String message) {

    public static final String CLUSTER = "cluster";

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        subject = subject == null ? CLUSTER : subject;
    }
}
