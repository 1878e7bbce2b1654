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
 * Issue #3 and #8: the service killed hard (SIGKILL of its own process) in the middle of a batch, the rest of the
 * stream arriving while it is down, then started again. It must rebuild from Kafka alone and end exactly where a clean
 * run of the same input ends, without losing an alert record and repeating a firing one at most once per fingerprint.
 */
class RestartRecoveryIT {

    private final FaultHarness harness = new FaultHarness("restart", 36);

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void killedMidBatchAndRestartedEndsAsACleanRunWithNoAlertLost() {
        ServiceProcess first = harness.start("restart-first").awaitReady();
        harness.sendPhaseOneAndAwaitPlans();
        // A burst, and the fault as soon as the broker has it: the service is in the middle of consuming and publishing.
        int burstEnd = harness.sendStreamUpToABurst();
        harness.countConsumed(first);
        first.kill();
        // The rest of the stream (the second episodes, recoveries, fixed and deleted profiles) arrives while it is down.
        harness.sendRest(burstEnd);

        ServiceProcess second = harness.start("restart-second").awaitReady();
        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(second);
        double rebuildSeconds = second.counter("aks_headroom_replay_last_duration_seconds");
        double replayed = second.counter("aks_headroom_replay_last_records");
        harness.report("restart-recovery (kill -9 mid-batch, restart)", verdict, String.format(
                "rebuild %.2f s, %.0f records replayed", rebuildSeconds, replayed));

        assertTrue(verdict.maxRepeatedFiring() <= 1, "at most one repeated firing per fingerprint: " + verdict);
        assertTrue(verdict.spurious().isEmpty(), "no alert record the clean run does not have: " + verdict);
        assertEquals(List.of(), harness.deadLetters(), "valid input is never dead-lettered");
        assertEquals(200, second.status("/q/health/ready"));
        // What the first instance had processed is replayed silently, and the operator sees how long that took.
        assertEquals(0, second.counter("aks_headroom_replay_partitions"), "no partition still rebuilding");
        assertTrue(replayed > 0 && rebuildSeconds > 0, "the rebuild's records and time: " + replayed + " records, "
                + rebuildSeconds + " s");
        assertTrue(second.logText().contains(String.format("records replayed in %.3f s, live", rebuildSeconds)),
                "one log line per rebuild, with the gauge's figure");
    }
}
