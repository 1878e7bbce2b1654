package io.aksheadroom.actuator.core;

import java.util.List;
import java.util.Objects;

/**
 * What the actuator chose for one cluster.
 *
 * @param reason a stable code for refusals and hand-offs ({@code not-allowed}, {@code cooldown}, ...); null otherwise
 * @param detail the same said for a person, with what to do
 * @param changes the fields a write sets; empty unless the outcome writes or would write
 * @param target what a write goes to: {@link #CLUSTER}, or {@code agentPool/<name>} for one agent pool
 */
public record Decision(String clusterId, Outcome outcome, String reason, String detail, List<Change> changes,
        String target) {

    /** The managed cluster itself (its outbound settings). */
    public static final String CLUSTER = "cluster";
    static final String AGENT_POOL = "agentPool/";

    public Decision {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        changes = List.copyOf(changes);
        boolean writes = outcome == Outcome.APPLIED || outcome == Outcome.DRY_RUN || outcome == Outcome.FAILED;
        if (writes == changes.isEmpty()) {
            throw new IllegalArgumentException(outcome.wireName() + (writes ? " needs" : " takes no") + " changes");
        }
    }

    public Decision(String clusterId, Outcome outcome, String reason, String detail, List<Change> changes) {
        this(clusterId, outcome, reason, detail, changes, CLUSTER);
    }

    /** The agent pool a decision is about; null for the managed cluster. */
    public String agentPool() {
        return target.startsWith(AGENT_POOL) ? target.substring(AGENT_POOL.length()) : null;
    }

    public static Decision refused(String clusterId, String reason, String detail) {
        return new Decision(clusterId, Outcome.REFUSED, reason, detail, List.of());
    }

    static Decision needsAPerson(String clusterId, String reason, String detail) {
        return new Decision(clusterId, Outcome.NEEDS_A_PERSON, reason, detail, List.of());
    }

    /** Whether the actuator should write this decision's changes now. */
    public boolean writes() {
        return outcome == Outcome.APPLIED;
    }

    /** The same decision after Azure refused the write. */
    public Decision failed(String why) {
        return new Decision(clusterId, Outcome.FAILED, "azure-refused", why, changes, target);
    }

    /** A chosen write that was not made, for a reason found while writing (a concurrent change, a busy cluster). */
    public Decision notWritten(String why, String detail) {
        return new Decision(clusterId, Outcome.REFUSED, why, detail, List.of(), target);
    }

    /** The same decision about {@code target}. */
    public Decision about(String newTarget) {
        return new Decision(clusterId, outcome, reason, detail, changes, newTarget);
    }
}
