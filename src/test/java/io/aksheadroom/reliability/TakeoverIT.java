package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.OwnershipMonitor;
import io.aksheadroom.support.ServiceProcess;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #3 and #8: two instances in one consumer group share the clusters; one is killed hard mid-batch, the survivor
 * takes its partitions over, then a third instance joins and takes a share. No cluster goes unowned for more than a
 * minute (every instance's {@code GET /api/v1/clusters} is polled throughout), and what they wrote together equals a
 * clean single-instance run of the same input.
 */
class TakeoverIT {

    private static final Duration MAX_UNOWNED = Duration.ofMinutes(1);

    private final FaultHarness harness = new FaultHarness("takeover", 36);
    private OwnershipMonitor monitor;

    @AfterEach
    void tearDown() {
        if (monitor != null) {
            monitor.close();
        }
        harness.close();
    }

    @Test
    void aKilledInstancesClustersAreTakenOverAndAThirdTakesAShare() {
        ServiceProcess first = harness.start("takeover-first").awaitReady();
        ServiceProcess second = harness.start("takeover-second").awaitReady();
        harness.sendPhaseOneAndAwaitPlans();
        monitor = new OwnershipMonitor(harness.workload().survivors());
        monitor.watch(first);
        monitor.watch(second);
        awaitEachClusterOwnedByOneOf(Set.of(first.name(), second.name()));

        // A burst, and the fault as soon as the broker has it: the service is in the middle of consuming and publishing.
        int burstEnd = harness.sendStreamUpToABurst();
        harness.countConsumed(first);
        first.kill();
        harness.sendRest(burstEnd);
        awaitEachClusterOwnedByOneOf(Set.of(second.name()));

        ServiceProcess third = harness.start("takeover-third").awaitReady();
        monitor.watch(third);
        awaitEachClusterOwnedByOneOf(Set.of(second.name(), third.name()));

        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(second);
        harness.countConsumed(third);
        Duration longest = monitor.longestUnowned();
        harness.report("takeover (2 instances, one kill -9 mid-batch, a third joins)", verdict,
                "longest-unowned=" + longest.toMillis() + "ms polls=" + monitor.polls());

        assertTrue(longest.compareTo(MAX_UNOWNED) < 0, "a cluster went unowned for " + longest);
        assertTrue(verdict.maxRepeatedFiring() <= 1, "at most one repeated firing per fingerprint: " + verdict);
        assertEquals(List.of(), harness.deadLetters(), "valid input is never dead-lettered");
        assertTrue(verdict.spurious().isEmpty(), "no alert record the clean run does not have: " + verdict);
    }

    /** Every surviving cluster owned by exactly one instance, and each named instance owning some. */
    private void awaitEachClusterOwnedByOneOf(Set<String> instances) {
        await("each cluster owned by exactly one of " + instances).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    var owners = monitor.owners();
                    return owners.size() == harness.workload().survivors().size()
                            && monitor.notOwnedByExactlyOne().isEmpty()
                            && owners.values().stream().flatMap(Set::stream).distinct().sorted().toList()
                                    .equals(instances.stream().sorted().toList());
                });
    }
}
