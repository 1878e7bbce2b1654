package io.aksheadroom.actuator;

import java.time.Instant;
import java.util.List;

import io.aksheadroom.actuator.core.Change;
import io.aksheadroom.actuator.core.Decision;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The value of an {@code aks.actions} record (key = clusterId, append-only): one decision of the actuator, what it
 * rested on, and when the actuator last wrote to the cluster, so that a restarted actuator keeps each cluster's
 * cooldown from the newest record alone.
 *
 * @param armId the managed cluster's ARM id; null when the profile carries none
 * @param mode {@code dry-run} or {@code apply}
 * @param reason a stable code for refusals, hand-offs and failures; null otherwise
 * @param target {@code cluster} for the managed cluster, or {@code agentPool/<name>} for one of its pools
 * @param recommendationAt the {@code generatedAt} of the recommendation decided; null when not known
 * @param lastAppliedAt the time of the newest {@code applied} decision for this cluster, this one included; null when
 *        the actuator never wrote to it
 * @param recommendationPartition the partition of {@code aks.recommendations} the recommendation was read from
 * @param recommendationOffset its offset there: a restarted actuator decides only recommendations after it
 */
@RegisterForReflection
public record ActionRecord(String clusterId, String armId, String mode, String outcome, String reason, String detail,
        String target, List<ChangeRecord> changes, String decidedAt, String recommendationAt, String profileAt,
        String newestSampleAt, String lastAppliedAt, Integer recommendationPartition, Long recommendationOffset) {

    /** One field a write sets or would set, under the managed cluster's (or the agent pool's) {@code properties}. */
    @RegisterForReflection
    public record ChangeRecord(String field, int from, int to) {
    }

    static ActionRecord of(Decision decision, String mode, String armId, Instant decidedAt, Instant recommendationAt,
            Instant profileAt, Instant newestSampleAt, Instant lastAppliedAt, Integer partition, Long offset) {
        List<ChangeRecord> changes = decision.changes().stream()
                .map((Change change) -> new ChangeRecord(change.field(), change.from(), change.to())).toList();
        return new ActionRecord(decision.clusterId(), armId, mode, decision.outcome().wireName(), decision.reason(),
                decision.detail(), decision.target(), changes, decidedAt.toString(), text(recommendationAt),
                text(profileAt), text(newestSampleAt), text(lastAppliedAt), partition, offset);
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
