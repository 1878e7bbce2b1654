package io.aksheadroom.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.discovery.DiscoveryLedger.Change;
import io.aksheadroom.discovery.DiscoveryLedger.Publish;
import io.aksheadroom.discovery.DiscoveryLedger.Remove;
import io.aksheadroom.discovery.DiscoveryLedger.Resolved;

/**
 * Publish changes at once and unchanged profiles every republish-after, remove only after enough successful listings:
 * the ledger alone, listing by listing.
 */
class DiscoveryLedgerTest {

    static final String SUB = "0b1f6471-1bf0-4dda-aec3-111111111111";
    static final String OTHER_SUB = "9c2e7582-2cf1-4eeb-bfd4-222222222222";
    static final ArmId A = ArmId.parse(LocalArm.clusterId(SUB, "rg", "a"));
    static final ArmId B = ArmId.parse(LocalArm.clusterId(SUB, "rg", "b"));
    static final ArmId C = ArmId.parse(LocalArm.clusterId(OTHER_SUB, "rg", "c"));
    static final Duration REPUBLISH = Duration.ofMinutes(8);
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static JsonNode value(String text) {
        try {
            return LocalArm.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Resolved resolved(String clusterId, ArmId id, String value) {
        return new Resolved(clusterId, id, null, value(value));
    }

    /** A listing at {@link #T0} whose writes all went through. */
    static List<String> listing(DiscoveryLedger ledger, Set<String> subscriptions, List<ArmId> listed,
            Resolved... resolved) {
        return listingAt(T0, ledger, subscriptions, listed, resolved);
    }

    /** A listing at {@code now} whose writes all went through. */
    static List<String> listingAt(Instant now, DiscoveryLedger ledger, Set<String> subscriptions, List<ArmId> listed,
            Resolved... resolved) {
        Set<String> clusters = new java.util.HashSet<>();
        listed.forEach(id -> clusters.add(id.key()));
        Set<String> subs = new java.util.HashSet<>();
        subscriptions.forEach(s -> subs.add(ArmId.key(s)));
        List<Change> changes = ledger.reconcile(subs, clusters, List.of(resolved), now);
        changes.forEach(ledger::written);
        return changes.stream().map(DiscoveryLedgerTest::describe).toList();
    }

    static String describe(Change change) {
        return change instanceof Publish p ? (p.previous() == null ? "add "
                : p.previous().equals(p.value()) ? "republish " : "change ") + p.clusterId()
                : "remove " + change.clusterId();
    }

    @Test
    void onlyWhatDiffersFromTheTopicIsPublished() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("a", A, value("{\"count\":3}"));

        assertEquals(List.of(), listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{\"count\":3}")));
        assertEquals(List.of("change a"), listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{\"count\":4}")));
        assertEquals(List.of("add b"), listing(ledger, Set.of(SUB), List.of(A, B), resolved("a", A, "{\"count\":4}"),
                resolved("b", B, "{}")));
    }

    @Test
    void aClusterIsRemovedAfterTwoSuccessfulListingsWithoutItAndAFailedListingCountsForNothing() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("a", A, value("{}"));
        ledger.seed("b", B, value("{}"));

        assertEquals(List.of(), listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}")));
        assertEquals(List.of(), ledger.retained(Set.of(ArmId.key(SUB)), Set.of(A.key())).stream()
                .filter(B::equals).toList(), "no longer holds its name once the next absence removes it");
        assertEquals(List.of(B), ledger.retained(Set.of(), Set.of()).stream().filter(B::equals).toList(),
                "holds its name while its subscription cannot be listed");
        assertEquals(List.of(), listing(ledger, Set.of(), List.of()), "the subscription's listing failed");
        assertEquals(List.of("remove b"), listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}")));
        assertEquals(List.of("a"), ledger.entries().stream().map(DiscoveryLedger.Entry::clusterId).toList());
    }

    @Test
    void aClusterThatReturnsBeforeItsSecondAbsenceStartsCountingAgain() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("b", B, value("{}"));
        listing(ledger, Set.of(SUB), List.of());
        listing(ledger, Set.of(SUB), List.of(B), resolved("b", B, "{}"));
        assertEquals(List.of(), listing(ledger, Set.of(SUB), List.of()));
        assertEquals(List.of("remove b"), listing(ledger, Set.of(SUB), List.of()));
    }

    @Test
    void anotherSubscriptionsListingNeverCountsAsAnAbsence() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("c", C, value("{}"));
        listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}"));
        assertEquals(List.of(), listing(ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}")));
        assertEquals(Set.of("a", "c"), Set.copyOf(ledger.entries().stream().map(DiscoveryLedger.Entry::clusterId)
                .toList()));
    }

    @Test
    void aListedClusterWhoseProfileCouldNotBeMadeKeepsItsProfileAndIsNotAbsent() {
        DiscoveryLedger ledger = new DiscoveryLedger(1, REPUBLISH);
        ledger.seed("a", A, value("{}"));
        assertEquals(List.of(), listing(ledger, Set.of(SUB), List.of(A)));
        assertEquals(1, ledger.entries().size());
    }

    @Test
    void aRenamedClusterIsPublishedUnderItsNewNameAndTombstonedUnderItsOldOne() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("a", A, value("{}"));
        assertEquals(List.of("remove a", "add a.rg"), listing(ledger, Set.of(SUB), List.of(A),
                resolved("a.rg", A, "{}")));
    }

    @Test
    void aWriteTheBrokerDidNotAcknowledgeIsAskedForAgain() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        List<Change> first = ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(A.key()), List.of(resolved("a", A, "{}")),
                T0);
        assertEquals(1, first.size());
        List<Change> again = ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(A.key()), List.of(resolved("a", A, "{}")),
                T0);
        assertTrue(again.get(0) instanceof Publish publish && publish.previous() == null);
        ledger.written(again.get(0));
        assertEquals(List.of(), ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(A.key()),
                List.of(resolved("a", A, "{}")), T0));
        assertTrue(ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(), List.of(), T0).isEmpty());
        List<Change> removal = ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(), List.of(), T0);
        assertTrue(removal.get(0) instanceof Remove);
        assertEquals(1, ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(), List.of(), T0).size(),
                "an unacknowledged tombstone goes again");
    }

    @Test
    void anUnchangedProfileIsPublishedAgainOnceRepublishAfterHasPassedSinceItsLastWrite() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        Resolved a = resolved("a", A, "{\"count\":3}");
        assertEquals(List.of("add a"), listingAt(T0, ledger, Set.of(SUB), List.of(A), a));
        assertEquals(List.of(), listingAt(T0.plus(REPUBLISH).minusSeconds(1), ledger, Set.of(SUB), List.of(A), a));
        assertEquals(List.of("republish a"), listingAt(T0.plus(REPUBLISH), ledger, Set.of(SUB), List.of(A), a));
        assertEquals(List.of(), listingAt(T0.plus(REPUBLISH).plusSeconds(1), ledger, Set.of(SUB), List.of(A), a),
                "the republication counts as the last write");
        assertEquals(List.of("change a"), listingAt(T0.plus(REPUBLISH).plusSeconds(2), ledger, Set.of(SUB),
                List.of(A), resolved("a", A, "{\"count\":4}")), "a change goes at once, whatever the time");
    }

    @Test
    void aProfileReadBackAtStartCountsAsWrittenByTheFirstListingSoARestartRepublishesNothing() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        ledger.seed("a", A, value("{}"));
        assertEquals(List.of(), listingAt(T0, ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}")));
        assertEquals(List.of(), listingAt(T0.plus(REPUBLISH).minusSeconds(1), ledger, Set.of(SUB), List.of(A),
                resolved("a", A, "{}")));
        assertEquals(List.of("republish a"), listingAt(T0.plus(REPUBLISH), ledger, Set.of(SUB), List.of(A),
                resolved("a", A, "{}")));
    }

    @Test
    void aRepublicationTheBrokerDidNotAcknowledgeIsAskedForAgain() {
        DiscoveryLedger ledger = new DiscoveryLedger(2, REPUBLISH);
        listingAt(T0, ledger, Set.of(SUB), List.of(A), resolved("a", A, "{}"));
        Instant due = T0.plus(REPUBLISH);
        assertEquals(1, ledger.reconcile(Set.of(ArmId.key(SUB)), Set.of(A.key()), List.of(resolved("a", A, "{}")),
                due).size());
        assertEquals(List.of("republish a"), listingAt(due.plusSeconds(30), ledger, Set.of(SUB), List.of(A),
                resolved("a", A, "{}")));
    }
}
