package io.aksheadroom.actuator.core;

import java.util.Locale;

/** How a decision ended: the {@code outcome} of {@code aks.actions} and of the decisions counter. */
public enum Outcome {
    /** The write was accepted by Azure. */
    APPLIED,
    /** The write the actuator would have made, in dry-run mode. */
    DRY_RUN,
    /** A guardrail held: nothing written, the reason says which. */
    REFUSED,
    /** The cluster needs what only its owner can do (their own IPs, their own gateway, a bigger step). */
    NEEDS_A_PERSON,
    /** The cluster already has what the recommendation asks. */
    UP_TO_DATE,
    /** The write was chosen but Azure did not take it. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
