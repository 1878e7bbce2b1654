package io.aksheadroom.discovery;

import java.time.Duration;

import io.aksheadroom.azure.CallOutcome;

/** A call to Azure Resource Manager that gave no usable answer, with what discovery needs to decide what next. */
public class ArmException extends RuntimeException {

    private final CallOutcome outcome;
    private final int status;
    private final Duration retryAfter;

    public ArmException(CallOutcome outcome, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public CallOutcome outcome() {
        return outcome;
    }

    /** The HTTP status of the last attempt; 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** Azure's Retry-After, or null when it sent none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
