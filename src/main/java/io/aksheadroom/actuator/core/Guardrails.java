package io.aksheadroom.actuator.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every decision is held to.
 *
 * @param clusters the allowlist of clusterIds; empty allows none, {@code *} allows all
 * @param maxIpStep the most outbound IPs one action adds
 * @param cooldown the least time between two actions on one cluster
 * @param maxInputAge the oldest profile or sample a decision may rest on
 * @param capMaxCount whether an autoscaling pool's {@code maxCount} above its CAP-1 ceiling is lowered to it
 */
public record Guardrails(Mode mode, Set<String> clusters, int maxIpStep, Duration cooldown, Duration maxInputAge,
        boolean capMaxCount) {

    public static final String ALL = "*";
    public static final Duration MAX_INPUT_AGE = Duration.ofMinutes(15);

    public Guardrails {
        Objects.requireNonNull(mode, "mode");
        clusters = clusters == null ? Set.of() : Set.copyOf(clusters);
        if (maxIpStep < 1) {
            throw new IllegalArgumentException("max-ip-step must be at least 1, got " + maxIpStep);
        }
        if (cooldown == null || cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
        }
        if (maxInputAge == null || maxInputAge.isNegative() || maxInputAge.isZero()) {
            throw new IllegalArgumentException("the input age limit must be positive, got " + maxInputAge);
        }
    }

    public Guardrails(Mode mode, Set<String> clusters, int maxIpStep, Duration cooldown, Duration maxInputAge) {
        this(mode, clusters, maxIpStep, cooldown, maxInputAge, false);
    }

    public boolean allows(String clusterId) {
        return clusters.contains(ALL) || clusters.contains(clusterId);
    }
}
