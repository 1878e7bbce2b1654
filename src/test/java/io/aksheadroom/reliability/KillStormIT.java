package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.KafkaCluster;
import io.aksheadroom.support.ServiceProcess;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service killed hard (SIGKILL) at random instants, again and again in one run, while its outputs are in flight:
 * the link to the broker is slowed (every byte 150 ms late each way), so that recommendations, alerts and dead letters
 * sit in the producer's buffer and on the wire while the processed-offset marker is committed. A marker that covered
 * a record before the broker had all its outputs would lose them at such a kill, whole alert episodes with them; with
 * the marker waiting for the acknowledgements, nothing is lost.
 *
 * <p>Each round sends a fresh set of clusters (the fault workload: the first profiles, and once their plans are out the
 * whole stream at once), kills the service once it has consumed a random number of the stream's records and has
 * outputs in flight, starts it again, and waits until what is on the topics equals a clean run of the round. Every
 * round's clusters see exactly one kill, so "at most one repeated firing per fingerprint" holds per kill. The restarted
 * instance keeps the group membership of the killed one (a static member, as a StatefulSet's pod does), so a round
 * does not wait out the session timeout. {@code -Dkillstorm.kills=60} runs a longer storm.
 */
class KillStormIT {

    private static final int KILLS = Integer.getInteger("killstorm.kills", 22);
    private static final int CLUSTERS_PER_ROUND = 9;
    private static final Duration LATENCY = Duration.ofMillis(150);
    private static final String CONSUMED = "aks_headroom_records_consumed_total";
    private static final String IN_FLIGHT = "aks_headroom_outputs_in_flight";

    private KafkaCluster kafka;
    private ServiceProcess service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedAtRandomInstantsWithOutputsInFlightLosesNothing() {
        long seed = Long.getLong("killstorm.seed", System.nanoTime());
        Random random = new Random(seed);
        kafka = KafkaCluster.start("kill-storm", 1, Map.of());
        kafka.proxy(1).latency(LATENCY);
        Map<String, String> settings = new HashMap<>(CleanRun.serviceProperties());
        settings.put("mp.messaging.incoming.cluster-events.group.instance.id", "kill-storm");
        service = ServiceProcess.start("kill-storm-0", kafka.serviceBootstrapServers(), settings).awaitReady();

        List<String> kills = new ArrayList<>();
        List<Integer> repeatsPerKill = new ArrayList<>();
        int inFlightKills = 0;
        int sent = 0;
        int alertRecords = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= KILLS; round++) {
            String prefix = "storm-" + round + "-";
            try (FaultHarness harness = new FaultHarness("storm-" + round, CLUSTERS_PER_ROUND, kafka)) {
                // The first profiles, processed live: from here on, what the service publishes it does live, and
                // the stream comes all at once.
                harness.sendPhaseOneAndAwaitPlans();
                double consumedBefore = service.counter(CONSUMED);
                int phaseOne = harness.sentCount();
                harness.sendRest(0);
                sent += harness.sentCount();
                int strikeAfter = 1 + random.nextInt(harness.sentCount() - phaseOne);
                awaitConsumed(consumedBefore + strikeAfter);
                double inFlight = awaitOutputsInFlight(Duration.ofSeconds(3));
                inFlightKills += inFlight > 0 ? 1 : 0;
                service.kill();
                service = ServiceProcess.start("kill-storm-" + round, kafka.serviceBootstrapServers(), settings)
                        .awaitReady();

                Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
                assertTrue(verdict.lost().isEmpty(), "round " + round + ": " + verdict);
                assertTrue(verdict.spurious().isEmpty(), "round " + round + ": " + verdict);
                assertTrue(verdict.maxRepeatedFiring() <= 1, "round " + round + ", at most one repeated firing per"
                        + " fingerprint: " + verdict);
                assertEquals(List.of(), harness.deadLetters(), "round " + round + ": valid input is never"
                        + " dead-lettered");
                repeatsPerKill.add(verdict.totalRepeatedFiring());
                alertRecords += (int) harness.readToEnd(FaultHarness.ALERTS).stream()
                        .filter(r -> r.key() != null && r.value() != null
                                && r.value().contains("\"clusterId\":\"" + prefix))
                        .count();
                kills.add(strikeAfter + "/" + (long) inFlight);
            }
        }
        assertEquals(200, service.status("/q/health/ready"));
        assertEquals(200, service.status("/q/health/live"));

        List<Integer> sorted = repeatsPerKill.stream().sorted().toList();
        FaultHarness.figures(String.format("RELIABILITY kill-storm (SIGKILL at random instants, link +%dms each way):"
                + " kills=%d with-outputs-in-flight=%d sent=%d alert-records=%d lost=0 spurious=0"
                + " repeated-firing-per-kill min=%d median=%d max=%d total=%d took=%ds seed=%d kills(records-consumed/outputs-in-flight)=%s",
                LATENCY.toMillis(), KILLS, inFlightKills, sent, alertRecords, sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                repeatsPerKill.stream().mapToInt(Integer::intValue).sum(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), seed,
                kills.stream().collect(Collectors.joining(" "))));
        assertTrue(inFlightKills >= KILLS * 3 / 4, "most kills struck with outputs in flight: " + kills);
    }

    /** Waits until the service has consumed {@code count} records since it started. */
    private void awaitConsumed(double count) {
        await("the service consumed " + count + " records").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> service.counter(CONSUMED) >= count);
    }

    /** Waits until the service has outputs in flight, or the wait is over; returns how many it had. */
    private double awaitOutputsInFlight(Duration wait) {
        try {
            return await().atMost(wait).pollInterval(Duration.ofMillis(20))
                    .until(() -> service.counter(IN_FLIGHT), inFlight -> inFlight > 0);
        } catch (ConditionTimeoutException e) {
            return 0;
        }
    }
}
