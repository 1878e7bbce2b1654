package io.aksheadroom.actuator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.aksheadroom.actuator.core.Actuator;
import io.aksheadroom.actuator.core.Decision;
import io.aksheadroom.actuator.core.Outcome;
import io.aksheadroom.actuator.core.Situation;
import io.aksheadroom.discovery.ArmId;

/**
 * One decision for one cluster, end to end: the guardrails that need no Azure, a GET of the managed cluster, the
 * decision on what Azure says, and in {@code apply} mode the PUT with {@code If-Match}. A 412 (the cluster changed
 * since the GET) is re-read and not written; a 409 (an operation in progress) is not written and waits for the next
 * decision; what Azure still refuses after its retries is a failure. Every decision is recorded.
 */
public final class Actuation {

    private final Actuator actuator;
    private final ManagedClusters clusters;
    private final ActionPublisher publisher;
    private final Map<String, Instant> lastActions = new ConcurrentHashMap<>();

    public Actuation(Actuator actuator, ManagedClusters clusters, ActionPublisher publisher) {
        this.actuator = actuator;
        this.clusters = clusters;
        this.publisher = publisher;
    }

    /** When the actuator last wrote to {@code clusterId}, or null. */
    public Instant lastAction(String clusterId) {
        return lastActions.get(clusterId);
    }

    public Decision act(Situation situation) {
        Decision early = actuator.beforeRead(situation);
        if (early != null) {
            return recorded(early, situation, null);
        }
        ArmId id = ArmId.parse(situation.profile().armId());
        ManagedClusters.Read read;
        try {
            read = clusters.read(id);
        } catch (ManagedClusters.AzureRefused e) {
            return recorded(new Decision(situation.clusterId(), Outcome.REFUSED,
                    "azure-unreadable", "Reading the managed cluster failed: " + e.getMessage(), List.of()),
                    situation, id);
        }
        Decision decision = actuator.decide(situation, read.live());
        if (!decision.writes()) {
            return recorded(decision, situation, id);
        }
        try {
            clusters.write(id, read, decision.changes());
            lastActions.put(situation.clusterId(), situation.now());
            return recorded(decision, situation, id);
        } catch (ManagedClusters.AzureRefused e) {
            if (e.concurrentChange()) {
                String state = reRead(id);
                return recorded(decision.notWritten("concurrent-change", "The cluster changed since it was read (412 "
                        + "on If-Match " + read.live().etag() + "); re-read" + state + ", nothing written."), situation,
                        id);
            }
            if (e.operationInProgress()) {
                return recorded(decision.notWritten("operation-in-progress", "Azure reports an operation in progress "
                        + "(409); nothing written, the next decision tries again."), situation, id);
            }
            return recorded(decision.failed(e.getMessage()), situation, id);
        }
    }

    private String reRead(ArmId id) {
        try {
            ManagedClusters.Read again = clusters.read(id);
            return ": now provisioningState " + again.live().provisioningState() + ", etag " + again.live().etag();
        } catch (ManagedClusters.AzureRefused e) {
            return " failed (" + e.getMessage() + ")";
        }
    }

    private Decision recorded(Decision decision, Situation situation, ArmId id) {
        publisher.record(decision, actuator.guardrails().mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                id == null ? null : id.id());
        return decision;
    }
}
