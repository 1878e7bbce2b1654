package io.aksheadroom.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.capacity.ClusterProfile;

/**
 * What {@code aks.cluster-profiles} holds for the clusters discovery owns, and what a listing changes about it: a
 * profile is published when it differs from what the topic holds, or unchanged once {@code republishAfter} has passed
 * since it was last written (a profile's record time tells its readers, the actuator among them, how current it is),
 * and deleted only once its cluster has been absent from enough successful listings of its subscription in a row. A
 * failed listing changes nothing. Not thread safe: one listing at a time.
 */
final class DiscoveryLedger {

    /**
     * One owned cluster: its key on the topic, which Azure cluster it is, the value the topic holds and since when
     * (null for a value read back at start, until the first listing).
     */
    record Entry(String clusterId, ArmId armId, JsonNode value, int absences, Instant writtenAt) {
    }

    /** What a listing asks to write. */
    sealed interface Change permits Publish, Remove {
        String clusterId();
    }

    /**
     * A new, changed or republished profile; {@code previous} is null for a cluster the topic does not hold, and
     * equal to {@code value} for a republication.
     */
    record Publish(String clusterId, ArmId armId, ClusterProfile profile, JsonNode value, JsonNode previous)
            implements Change {
    }

    /** A tombstone, and why. */
    record Remove(String clusterId, ArmId armId, String reason) implements Change {
    }

    /** A cluster of a successful listing whose profile could be made. */
    record Resolved(String clusterId, ArmId armId, ClusterProfile profile, JsonNode value) {
    }

    private final Map<String, Entry> byClusterId = new LinkedHashMap<>();
    private final int absentListingsBeforeRemoval;
    private final Duration republishAfter;
    private Instant listingAt;

    DiscoveryLedger(int absentListingsBeforeRemoval, Duration republishAfter) {
        this.absentListingsBeforeRemoval = Math.max(1, absentListingsBeforeRemoval);
        this.republishAfter = republishAfter;
    }

    /** What the topic holds for a cluster discovery owns, as read back at start. */
    void seed(String clusterId, ArmId armId, JsonNode value) {
        byClusterId.put(clusterId, new Entry(clusterId, armId, value, 0, null));
    }

    /** Whether the topic's value for {@code held} is due to be written again although it has not changed. */
    private boolean due(Entry held, Instant now) {
        return held.writtenAt() != null && !now.isBefore(held.writtenAt().plus(republishAfter));
    }

    Collection<Entry> entries() {
        return List.copyOf(byClusterId.values());
    }

    /**
     * The clusters that keep their name although this listing did not return them: those of subscriptions whose
     * listing failed, and those absent fewer times than it takes to remove them.
     */
    List<ArmId> retained(Set<String> listedSubscriptions, Set<String> listedClusters) {
        List<ArmId> retained = new ArrayList<>();
        for (Entry entry : byClusterId.values()) {
            if (listedClusters.contains(entry.armId().key())) {
                continue;
            }
            boolean listed = listedSubscriptions.contains(ArmId.key(entry.armId().subscription()));
            if (!listed || entry.absences() + 1 < absentListingsBeforeRemoval) {
                retained.add(entry.armId());
            }
        }
        return retained;
    }

    /**
     * The changes of one listing, tombstones first. Absences are counted here; values change only once a write is
     * {@linkplain #written confirmed}, so an unacknowledged one is asked for again by the next listing.
     *
     * @param listedSubscriptions {@link ArmId#key} of each subscription listed successfully
     * @param listedClusters {@link ArmId#key} of each cluster those listings returned, resolved or not
     * @param now when the listing ran; writes it asks for count as written then once {@linkplain #written confirmed}
     */
    List<Change> reconcile(Set<String> listedSubscriptions, Set<String> listedClusters, List<Resolved> resolved,
            Instant now) {
        listingAt = now;
        Map<String, Resolved> resolvedByArmId = new HashMap<>();
        resolved.forEach(r -> resolvedByArmId.put(r.armId().key(), r));
        Set<String> publishedKeys = resolved.stream().map(Resolved::clusterId).collect(Collectors.toSet());
        List<Change> removals = new ArrayList<>();
        List<Change> publications = new ArrayList<>();
        for (Entry entry : List.copyOf(byClusterId.values())) {
            String armKey = entry.armId().key();
            if (listedClusters.contains(armKey)) {
                // A value read back at start counts as written by the first listing that sees it: republishing the
                // whole fleet after every restart is the churn the read-back exists to avoid.
                Instant writtenAt = entry.writtenAt() == null ? now : entry.writtenAt();
                byClusterId.put(entry.clusterId(), new Entry(entry.clusterId(), entry.armId(), entry.value(), 0,
                        writtenAt));
                Resolved current = resolvedByArmId.get(armKey);
                if (current != null && !current.clusterId().equals(entry.clusterId())
                        && !publishedKeys.contains(entry.clusterId())) {
                    removals.add(new Remove(entry.clusterId(), entry.armId(), "renamed to " + current.clusterId()
                            + ": another cluster of the fleet has the same name"));
                }
            } else if (listedSubscriptions.contains(ArmId.key(entry.armId().subscription()))) {
                int absences = entry.absences() + 1;
                byClusterId.put(entry.clusterId(), new Entry(entry.clusterId(), entry.armId(), entry.value(), absences,
                        entry.writtenAt()));
                if (absences >= absentListingsBeforeRemoval && !publishedKeys.contains(entry.clusterId())) {
                    removals.add(new Remove(entry.clusterId(), entry.armId(), "absent from " + absences
                            + " successful listings of subscription " + entry.armId().subscription() + " in a row"));
                }
            }
        }
        for (Resolved cluster : resolved) {
            Entry held = byClusterId.get(cluster.clusterId());
            if (held == null || !held.value().equals(cluster.value()) || due(held, now)) {
                publications.add(new Publish(cluster.clusterId(), cluster.armId(), cluster.profile(), cluster.value(),
                        held == null ? null : held.value()));
            }
        }
        List<Change> changes = new ArrayList<>(removals);
        changes.addAll(publications);
        return changes;
    }

    /** The broker acknowledged {@code change}: the topic now holds it. */
    void written(Change change) {
        if (change instanceof Publish publish) {
            byClusterId.put(publish.clusterId(), new Entry(publish.clusterId(), publish.armId(), publish.value(), 0,
                    listingAt));
        } else if (change instanceof Remove remove) {
            byClusterId.remove(remove.clusterId());
        }
    }
}
