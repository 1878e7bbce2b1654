package io.aksheadroom.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.ServiceProcess;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #8: every record delivered twice (a producer retry, a replayed batch) and every sample followed by a stale
 * one of the same backend (late or reordered delivery). Nothing beyond the first copy may have an effect: the outputs
 * equal a clean run of the first copies alone, with not a single repeated alert record.
 */
class DuplicatesAndReorderingIT {

    private final FaultHarness harness = new FaultHarness("dup", 24);

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void duplicatedAndOlderRecordsChangeNothingBeyondTheFirst() {
        ServiceProcess service = harness.start("duplicates").awaitReady();
        int extra = harness.sendDuplicatedAndReordered(harness.workload().phaseOne());
        harness.awaitPlans();
        for (var step : harness.workload().steps()) {
            extra += harness.sendDuplicatedAndReordered(step);
        }
        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(service);
        harness.report("duplicates-and-reordering (every record twice, every sample followed by an older one)",
                verdict, "extra-records=" + extra);

        assertEquals(0, verdict.totalRepeatedFiring(), "no repeated firing: " + verdict);
        assertEquals(0, verdict.totalRepeatedResolved(), "no repeated resolved: " + verdict);
        assertTrue(verdict.spurious().isEmpty(), "no alert record the clean run does not have: " + verdict);
        assertEquals(List.of(), harness.deadLetters(), "a duplicate or a stale sample is not an error");
    }
}
