package io.aksheadroom.actuator.core;

/** {@code aks-headroom.actuator.mode}. */
public enum Mode {
    /** The actuator reads nothing and decides nothing. */
    OFF,
    /** Decide and record every decision, never write. */
    DRY_RUN,
    /** Decide, record, and write the decisions that pass every guardrail. */
    APPLY
}
