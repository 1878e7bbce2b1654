package io.aksheadroom.azuremonitor.model;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The minutes one poll asks Azure Monitor for: {@code from} inclusive, {@code to} exclusive, both on whole minutes.
 * A minute is published once and never corrected, so only minutes that Azure Monitor has had time to complete are
 * in the window: a one-minute grain starting at {@code t} belongs in it when {@code t + 1 min <= now - settleDelay}.
 */
public record MinuteWindow(Instant from, Instant to) {

    public MinuteWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window " + from + " .. " + to);
        }
    }

    /**
     * The window of a poll at {@code now}: it ends at the last minute that is {@code settleDelay} old and reaches
     * back {@code lookback}, so a poller that was down for less than that catches up.
     */
    public static MinuteWindow endingAt(Instant now, Duration settleDelay, Duration lookback) {
        if (lookback.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("lookback must be at least one minute, got " + lookback);
        }
        Instant to = now.minus(settleDelay).truncatedTo(ChronoUnit.MINUTES);
        return new MinuteWindow(to.minus(lookback).truncatedTo(ChronoUnit.MINUTES), to);
    }

    /** Whether the one-minute grain starting at {@code at} lies wholly inside the window. */
    public boolean contains(Instant at) {
        return !at.isBefore(from) && at.plus(1, ChronoUnit.MINUTES).compareTo(to) <= 0;
    }
}
