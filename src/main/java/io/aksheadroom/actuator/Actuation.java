package io.aksheadroom.actuator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.aksheadroom.actuator.core.Actuator;
import io.aksheadroom.actuator.core.Decision;
import io.aksheadroom.actuator.core.Outcome;
import io.aksheadroom.actuator.core.Situation;
import io.aksheadroom.discovery.ArmId;

/**
 * One decision for one cluster, end to end: the guardrails that need no Azure, a GET of the managed cluster, the
 * decision on what Azure says, and in {@code apply} mode the PUT with {@code If-Match}. A 412 (the cluster changed
 * since the GET) is re-read and not written; a 409 (an operation in progress) is not written and waits for the next
 * decision; what Azure still refuses after its retries is a failure. Every decision is recorded on
 * {@code aks.actions}, with the time of the cluster's newest write, which {@link #restore} takes back after a restart.
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

    /** Takes back a write made before a restart, as {@code aks.actions} holds it; an older one changes nothing. */
    public void restore(String clusterId, Instant lastAppliedAt) {
        lastActions.merge(clusterId, lastAppliedAt, (known, restored) -> restored.isAfter(known) ? restored : known);
    }

    /** Forgets every write this instance knows of, before {@link #restore} takes them back. */
    public void forgetAll() {
        lastActions.clear();
    }

    /** Where a recommendation was read: its partition and offset on {@code aks.recommendations}. */
    public record Origin(int partition, long offset) {
    }

    public Decision act(Situation situation) {
        return act(situation, null);
    }

    /** The decision on the outbound settings; {@code origin}, when known, goes into the record. */
    public Decision act(Situation situation, Origin origin) {
        Decision early = actuator.beforeRead(situation);
        if (early != null) {
            return recorded(early, situation, origin, null);
        }
        ArmId id = armId(situation);
        if (id == null) {
            return recorded(Decision.refused(situation.clusterId(), "no-arm-id", "The profile's id "
                    + situation.profile().armId() + " is no managed cluster's ARM id."), situation, origin, null);
        }
        ManagedClusters.Read read;
        try {
            read = clusters.read(id);
        } catch (ManagedClusters.AzureRefused e) {
            return recorded(unreadable(situation, e, Decision.CLUSTER), situation, origin, id);
        }
        Decision decision = actuator.decide(situation, read.live());
        if (!decision.writes()) {
            return recorded(decision, situation, origin, id);
        }
        return written(decision, situation, origin, id, read.live().etag(),
                () -> clusters.write(id, read, decision.changes()), () -> {
                    ManagedClusters.Read again = clusters.read(id);
                    return "provisioningState " + again.live().provisioningState() + ", etag " + again.live().etag();
                });
    }

    /**
     * With {@code cap-max-count} on, one decision per autoscaling pool whose {@code maxCount} the profile shows above
     * its ceiling: the pool is read, and in {@code apply} mode written with {@code If-Match} of the pool's ETag.
     */
    public List<Decision> capPools(Situation situation, Origin origin) {
        List<String> pools = actuator.poolsToCap(situation);
        List<Decision> decisions = new ArrayList<>();
        if (pools.isEmpty()) {
            return decisions;
        }
        Decision early = actuator.beforeRead(situation);
        ArmId id = early == null ? armId(situation) : null;
        for (String pool : pools) {
            String target = "agentPool/" + pool;
            if (early != null || id == null) {
                Decision refusal = early != null ? early : Decision.refused(situation.clusterId(), "no-arm-id",
                        "The profile's id " + situation.profile().armId() + " is no managed cluster's ARM id.");
                decisions.add(recorded(refusal.about(target), situation, origin, null));
                continue;
            }
            ManagedClusters.PoolRead read;
            try {
                read = clusters.readPool(id, pool);
            } catch (ManagedClusters.AzureRefused e) {
                decisions.add(recorded(unreadable(situation, e, target), situation, origin, id));
                continue;
            }
            Decision decision = actuator.capPool(situation, read.live());
            if (!decision.writes()) {
                decisions.add(recorded(decision, situation, origin, id));
                continue;
            }
            decisions.add(written(decision, situation, origin, id, read.live().etag(),
                    () -> clusters.writePool(id, read, decision.changes()), () -> {
                        ManagedClusters.PoolRead again = clusters.readPool(id, pool);
                        return "provisioningState " + again.live().provisioningState() + ", etag "
                                + again.live().etag();
                    }));
        }
        return decisions;
    }

    /**
     * Makes the write of {@code decision} and records what came of it: applied (and the cluster's cooldown starts),
     * a 412 re-read and not written, a 409 left to the next decision, or a failure.
     */
    private Decision written(Decision decision, Situation situation, Origin origin, ArmId id, String etag,
            Runnable write, Supplier<String> reRead) {
        try {
            write.run();
            lastActions.put(situation.clusterId(), situation.now());
            return recorded(decision, situation, origin, id);
        } catch (ManagedClusters.AzureRefused e) {
            if (e.concurrentChange()) {
                String state;
                try {
                    state = ": now " + reRead.get();
                } catch (ManagedClusters.AzureRefused again) {
                    state = " failed (" + again.getMessage() + ")";
                }
                return recorded(decision.notWritten("concurrent-change", "The " + decision.target()
                        + " changed since it was read (412 on If-Match " + etag + "); re-read" + state
                        + ", nothing written."), situation, origin, id);
            }
            if (e.operationInProgress()) {
                return recorded(decision.notWritten("operation-in-progress", "Azure reports an operation in progress "
                        + "(409); nothing written, the next decision tries again."), situation, origin, id);
            }
            return recorded(decision.failed(e.getMessage()), situation, origin, id);
        }
    }

    private static Decision unreadable(Situation situation, ManagedClusters.AzureRefused e, String target) {
        return new Decision(situation.clusterId(), Outcome.REFUSED, "azure-unreadable", "Reading the " + target
                + " failed: " + e.getMessage(), List.of(), target);
    }

    private static ArmId armId(Situation situation) {
        try {
            ArmId id = ArmId.parse(situation.profile().armId());
            return id.is("Microsoft.ContainerService/managedClusters") ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Decision recorded(Decision decision, Situation situation, Origin origin, ArmId id) {
        publisher.record(decision, ActionRecord.of(decision, actuator.guardrails().mode().name()
                .toLowerCase(Locale.ROOT).replace('_', '-'), id == null ? situation.profile().armId() : id.id(),
                situation.now(), situation.recommendation().generatedAt(), situation.profileAt(),
                situation.lastSampleAt(), lastActions.get(situation.clusterId()),
                origin == null ? null : origin.partition(), origin == null ? null : origin.offset()));
        return decision;
    }
}
