package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
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
 * Issue #8: the broker stopped while the service is in the middle of a burst (its consumer fetching, its producers
 * publishing) and started again on the same data. The service recovers by itself, readiness reports the outage and
 * the recovery, liveness never fails (a restart would not help), and it ends where a clean run of the same input ends.
 */
class BrokerOutageIT {

    /** Longer than the consumer's session timeout: the broker forgets the member and it has to join again. */
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    private final FaultHarness harness = new FaultHarness("outage", 36);

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void brokerStoppedMidStreamAndRestartedEndsAsACleanRun() {
        ServiceProcess service = harness.start("outage").awaitReady();
        harness.sendPhaseOneAndAwaitPlans();
        // A burst, and the fault as soon as the broker has it: the service is in the middle of consuming and publishing.
        int burstEnd = harness.sendStreamUpToABurst();

        long stopped = System.nanoTime();
        harness.broker().stop();
        await("readiness reports the outage").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> service.status("/q/health/ready") == 503);
        Duration noticed = Duration.ofNanos(System.nanoTime() - stopped);
        // Down for longer than the consumer's session timeout (10 s), so the group must be joined anew after it.
        await("not ready for as long as the broker is away").during(OUTAGE).atMost(OUTAGE.plusSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> service.status("/q/health/ready") == 503
                        && service.status("/q/health/live") == 200);

        harness.broker().restart();
        long restarted = System.nanoTime();
        await("readiness reports the recovery").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> service.status("/q/health/ready") == 200);
        Duration recovered = Duration.ofNanos(System.nanoTime() - restarted);
        Duration outage = Duration.ofNanos(restarted - stopped);

        harness.sendRest(burstEnd);
        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(service);
        harness.report("broker-outage (broker stopped mid-burst, restarted)", verdict, String.format(
                "outage=%dms not-ready-after=%dms ready-again-after=%dms", outage.toMillis(), noticed.toMillis(),
                recovered.toMillis()));

        assertTrue(verdict.maxRepeatedFiring() <= 1, "at most one repeated firing per fingerprint: " + verdict);
        assertEquals(List.of(), harness.deadLetters(), "valid input is never dead-lettered");
        assertTrue(verdict.spurious().isEmpty(), "no alert record the clean run does not have: " + verdict);
        assertEquals(200, service.status("/q/health/ready"));
    }
}
