package io.aksheadroom.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.CleanRun.AlertKey;
import io.aksheadroom.support.FaultWorkload;
import io.aksheadroom.support.FaultWorkload.Sent;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The fault suite compares a faulty run with one clean run of the same input. That is sound only if the outcome does
 * not depend on how the consumer interleaves the three input topics (Kafka orders records within a partition of one
 * topic only): checked here through the domain fleet, for the order sent and for random interleavings.
 */
class FaultWorkloadTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private static List<Sent> dated(FaultWorkload workload) {
        List<Sent> sent = new ArrayList<>();
        long timestamp = T0.plus(Duration.ofHours(1)).toEpochMilli();
        for (FaultWorkload.Input input : workload.all()) {
            sent.add(new Sent(input, timestamp++));
        }
        return sent;
    }

    @Test
    void outcomesDoNotDependOnHowTheInputTopicsInterleave() {
        FaultWorkload workload = FaultWorkload.of("wl", 9, T0);
        List<Sent> sent = dated(workload);
        CleanRun.Outputs asSent = CleanRun.of(sent, workload.clusters());
        Random random = new Random(8);
        List<Function<List<String>, String>> orders = List.of(
                open -> open.get(0),
                open -> open.get(open.size() - 1),
                open -> open.get(random.nextInt(open.size())),
                open -> open.get(random.nextInt(open.size())),
                open -> open.get(random.nextInt(open.size())));
        for (Function<List<String>, String> order : orders) {
            // Phase one (the profiles) is always consumed before phase two starts, as the fault tests wait for it.
            List<Sent> mixed = new ArrayList<>(sent.subList(0, workload.phaseOne().size()));
            mixed.addAll(FaultWorkload.interleaved(sent.subList(workload.phaseOne().size(), sent.size()), order));
            CleanRun.Outputs other = CleanRun.of(mixed, workload.clusters());
            Verdict verdict = Verdict.of(asSent, other);
            assertTrue(verdict.converged() && verdict.spurious().isEmpty() && verdict.totalRepeatedFiring() == 0
                    && verdict.totalRepeatedResolved() == 0, verdict.toString());
        }
    }

    @Test
    void theWorkloadMakesAlertsFireResolveAndFireAgainAndDeletesClusters() {
        FaultWorkload workload = FaultWorkload.of("wl", 9, T0);
        CleanRun.Outputs outputs = CleanRun.of(dated(workload), workload.clusters());
        List<AlertKey> alerts = outputs.alerts();
        long firing = alerts.stream().filter(AlertKey::firing).count();
        long resolved = alerts.size() - firing;
        long refired = alerts.stream().filter(AlertKey::firing).map(AlertKey::fingerprint).distinct().count();
        assertTrue(resolved > 0 && firing > resolved, alerts.toString());
        assertTrue(refired < firing, "some fingerprint fires twice (a second episode): " + alerts);
        long tombstones = workload.phaseTwo().stream().filter(input -> input.value() == null).count();
        assertTrue(tombstones > 0);
        assertEquals(workload.clusters().size() - tombstones, outputs.plans().size(),
                "a deleted cluster has no final plan: " + outputs.plans().keySet());
    }
}
