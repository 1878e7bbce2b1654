package io.aksheadroom.azuremonitor;

import io.aksheadroom.azuremonitor.model.MetricsBatch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** When each batch may be asked again, after how many failed calls in a row. */
final class BatchBackoff {

    private static final class State {
        Instant notBefore = Instant.MIN;
        int failures;
    }

    private final Map<String, State> states = new HashMap<>();
    private final Duration pollInterval;
    private final Duration maxBackoff;

    BatchBackoff(List<MetricsBatch> batches, Duration pollInterval, Duration maxBackoff) {
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff;
        batches.forEach(batch -> states.put(batch.name(), new State()));
    }

    boolean waiting(MetricsBatch batch, Instant now) {
        return now.isBefore(state(batch).notBefore);
    }

    void succeeded(MetricsBatch batch) {
        state(batch).failures = 0;
    }

    /** Batches change with the discovered targets; a batch seen for the first time has no failures yet. */
    private State state(MetricsBatch batch) {
        return states.computeIfAbsent(batch.name(), name -> new State());
    }

    /** Counts a failed call of {@code batch} at {@code now}; returns when it may be asked again. */
    Instant failed(MetricsBatch batch, Instant now, Duration retryAfter) {
        State state = state(batch);
        state.failures++;
        state.notBefore = nextTry(now, state.failures, retryAfter);
        return state.notBefore;
    }

    /**
     * Retry-After when Azure sent one (it was too long to wait for inside the call); otherwise the wait doubles per
     * failure in a row, counted in polls: the next poll after one failure, every second poll after two, every fourth
     * after three, at most {@code maxBackoff}. Half a poll is taken off so a poll that fires a little early still
     * counts as the one waited for.
     */
    private Instant nextTry(Instant now, int failures, Duration retryAfter) {
        if (retryAfter != null) {
            return now.plus(retryAfter);
        }
        Duration pause = pollInterval.multipliedBy(1L << Math.min(failures - 1, 20)).minus(pollInterval.dividedBy(2));
        return now.plus(pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause);
    }
}
