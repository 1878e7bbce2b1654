package io.aksheadroom.azuremonitor;

import java.time.Duration;

import io.aksheadroom.azure.CallOutcome;

/** A call to Azure Monitor that gave no answer, with what the poller needs to decide when to ask again. */
class AzureMonitorException extends RuntimeException {

    private final CallOutcome outcome;
    private final Duration retryAfter;

    AzureMonitorException(CallOutcome outcome, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.retryAfter = retryAfter;
    }

    CallOutcome outcome() {
        return outcome;
    }

    /** Azure's Retry-After, or null when it sent none. */
    Duration retryAfter() {
        return retryAfter;
    }
}
