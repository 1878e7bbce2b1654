package io.aksheadroom.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.ServiceProcess;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

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

        assertEndedAsTheCleanRun(verdict);
        assertEquals(200, second.status("/q/health/ready"));
        // What the first instance had processed is replayed silently, and the operator sees how long that took.
        assertEquals(0, second.counter("aks_headroom_replay_partitions"), "no partition still rebuilding");
        double restored = second.counter("aks_headroom_replay_last_snapshots");
        assertTrue(replayed + restored > 0 && rebuildSeconds > 0, "the rebuild's records, snapshots and time: "
                + replayed + " records, " + restored + " snapshots, " + rebuildSeconds + " s");
        assertTrue(second.logText().contains(String.format("records replayed in %.3f s, live", rebuildSeconds)),
                "one log line per rebuild, with the gauge's figure");
    }

    /**
     * A graceful restart after the first instance wrote its state snapshots: the second restores them and replays
     * only the records after them (none: the first had snapshotted and committed all it processed), not the window,
     * and still ends as the clean run does.
     */
    @Test
    void stoppedAfterItsSnapshotsAndRestartedRestoresThemAndReplaysOnlyWhatCameAfter() {
        ServiceProcess first = harness.start("snapshots-first", Map.of("aks-headroom.snapshots.interval", "PT1S"))
                .awaitReady();
        harness.sendPhaseOneAndAwaitPlans();
        int burstEnd = harness.sendStreamUpToABurst();
        await("snapshots covering every record sent").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(this::snapshotsCoverEveryRecordSent);
        int sentBeforeStop = harness.sentCount();
        harness.countConsumed(first);
        first.stop();
        harness.sendRest(burstEnd);

        ServiceProcess second = harness.start("snapshots-second").awaitReady();
        Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
        harness.countConsumed(second);
        double restored = second.counter("aks_headroom_replay_last_snapshots");
        double replayed = second.counter("aks_headroom_replay_last_records");
        harness.report("restart from snapshots (SIGTERM, restart)", verdict, String.format(
                "%.0f snapshots restored, %.0f records replayed of %d sent before the stop", restored, replayed,
                sentBeforeStop));

        assertEndedAsTheCleanRun(verdict);
        assertTrue(restored >= harness.workload().clusters().size() / 2.0, restored + " snapshots restored");
        assertTrue(replayed < sentBeforeStop / 10.0, replayed + " records replayed of the " + sentBeforeStop
                + " the first instance had processed");
        assertTrue(second.logText().contains(String.format("%.0f snapshots restored, %.0f records replayed in",
                restored, replayed)), "the rebuild's log line counts both");
    }

    private void assertEndedAsTheCleanRun(Verdict verdict) {
        assertTrue(verdict.maxRepeatedFiring() <= 1, "at most one repeated firing per fingerprint: " + verdict);
        assertTrue(verdict.spurious().isEmpty(), "no alert record the clean run does not have: " + verdict);
        assertEquals(List.of(), harness.deadLetters(), "valid input is never dead-lettered");
    }

    /** Per input partition, a manifest on the monitor-state topic covering every input record sent. */
    private boolean snapshotsCoverEveryRecordSent() {
        Map<Integer, JsonNode> manifests = new HashMap<>();
        for (ConsumerRecord<String, String> record : harness.readToEnd("aks.monitor-state")) {
            if (record.key().startsWith("~partition-") && record.value() != null) {
                try {
                    JsonNode manifest = CleanRun.MAPPER.readTree(record.value());
                    manifests.put(manifest.path("partition").intValue(), manifest);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (String topic : List.of("aks.cluster-profiles", "aks.node-events", "aks.lb-metrics", "aks.natgw-metrics")) {
            for (ConsumerRecord<String, String> record : harness.readToEnd(topic)) {
                JsonNode manifest = manifests.get(record.partition());
                if (manifest == null || manifest.path("covers").path(topic).longValue() <= record.offset()) {
                    return false;
                }
            }
        }
        return true;
    }
}
