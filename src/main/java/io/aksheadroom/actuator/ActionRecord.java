package io.aksheadroom.actuator;

import java.time.Instant;
import java.util.List;

import io.aksheadroom.actuator.core.Change;
import io.aksheadroom.actuator.core.Decision;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code aks.actions} record, key = clusterId: one decision of the actuator.
 *
 * @param outcome {@code applied}, {@code dry-run}, {@code refused}, {@code needs-a-person}, {@code up-to-date} or
 *        {@code failed}
 * @param armId the managed cluster written or read; null when the decision stopped before
 */
@RegisterForReflection
public record ActionRecord(String clusterId, String outcome, String reason, String detail, List<Change> changes,
        String mode, String armId, String decidedAt) {

    public static ActionRecord of(Decision decision, String mode, String armId, Instant at) {
        return new ActionRecord(decision.clusterId(), decision.outcome().wireName(), decision.reason(),
                decision.detail(), decision.changes(), mode, armId, at.toString());
    }
}
