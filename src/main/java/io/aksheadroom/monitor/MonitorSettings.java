package io.aksheadroom.monitor;

import io.aksheadroom.capacity.PlanSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the event pipeline's alerting.
 *
 * @param highSamples consecutive samples at or above a utilization level before {@code SnatPortsHigh} fires
 * @param resendInterval how often a firing alert is sent again, in event time
 * @param demandWindow how far back the peak used ports per node count as demand (SNAT-8)
 * @param subnetFreeShareWarning a subnet with less than this share of usable addresses free warns
 * @param unknownClusterGrace how long a live event waits for its cluster's profile before it is dead-lettered
 * @param maxHeldEvents how many such events may wait at once; beyond, they are dead-lettered at once
 */
public record MonitorSettings(PlanSettings plan, int highSamples, Duration resendInterval, Duration demandWindow,
        double subnetFreeShareWarning, Duration unknownClusterGrace, int maxHeldEvents) {

    public static final MonitorSettings DEFAULTS = new MonitorSettings(PlanSettings.DEFAULTS, 3, Duration.ofMinutes(5),
            Duration.ofHours(1), 0.2, Duration.ofSeconds(10), 10_000);

    public MonitorSettings {
        Objects.requireNonNull(plan, "plan");
        if (highSamples < 1) {
            throw new IllegalArgumentException("highSamples must be at least 1");
        }
        if (resendInterval.isNegative() || resendInterval.isZero() || demandWindow.isNegative()
                || demandWindow.isZero()) {
            throw new IllegalArgumentException("resendInterval and demandWindow must be positive");
        }
        if (unknownClusterGrace.isNegative() || maxHeldEvents < 0) {
            throw new IllegalArgumentException("unknownClusterGrace and maxHeldEvents must not be negative");
        }
        if (subnetFreeShareWarning < 0 || subnetFreeShareWarning > 1) {
            throw new IllegalArgumentException("subnetFreeShareWarning must be within 0..1");
        }
    }
}
