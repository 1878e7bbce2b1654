package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * A replay that ends at the previous owner's last commit, not at the log end: the records after it are read again
 * live. Alerts the topic shows firing that the replay did not rebuild may be fired by those records, so the settle
 * keeps them (unconfirmed) and only {@link Fleet#confirm} resolves what nothing confirmed. Resolving them at the settle
 * published a false resolved, then the same episode firing again.
 */
class FleetReadAgainTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ClusterProfile profile = cluster().pool("p", 50, 30).build();

    private static Fleet fleet() {
        return new Fleet(MonitorSettings.DEFAULTS, new CapacityPlanner());
    }

    private static SnatSample sample(int minute, long used) {
        return new SnatSample("c1", T0.plus(Duration.ofMinutes(minute)), "10.240.0.4", Protocol.TCP, 1024, used, 0L);
    }

    /** What the previous owner published: the profile and three high samples, so SnatPortsHigh fires. */
    private Map<String, Alert> previousOwnersTopic() {
        Fleet first = fleet();
        Map<String, Alert> topic = new LinkedHashMap<>();
        first.profile("c1", 0, profile, T0).alerts().forEach(alert -> topic.put(alert.fingerprint(), alert));
        for (int m = 1; m <= 3; m++) {
            first.sample(0, sample(m, 900), null, T0).alerts().forEach(alert -> topic.put(alert.fingerprint(), alert));
        }
        assertTrue(topic.values().stream().anyMatch(alert -> alert.alertname().equals("SnatPortsHigh")));
        return topic;
    }

    private static long records(List<Outcome> outcomes, String alertname) {
        return outcomes.stream().flatMap(outcome -> outcome.alerts().stream())
                .filter(alert -> alert.alertname().equals(alertname)).count();
    }

    @Test
    void anAlertFiredAfterTheLastCommitIsNeitherResolvedNorFiredAgainWhenItsRecordIsReadAgain() {
        Map<String, Alert> topic = previousOwnersTopic();
        Fleet next = fleet();
        next.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        next.profile("c1", 0, profile, T0);
        next.sample(0, sample(1, 900), null, T0);
        next.sample(0, sample(2, 900), null, T0);

        List<Outcome> settled = next.settle(0, T0).outcomes();
        assertEquals(0, records(settled, "SnatPortsHigh"), "not resolved on the replay's word: " + settled);
        Outcome readAgain = next.sample(0, sample(3, 900), null, T0);
        assertEquals(0, records(List.of(readAgain), "SnatPortsHigh"), "already on the topic: " + readAgain);
        assertEquals(0, records(next.confirm(0, T0), "SnatPortsHigh"));
        assertTrue(next.view("c1").firingAlerts().stream().anyMatch(alert -> alert.alertname().equals("SnatPortsHigh")));
    }

    @Test
    void anAlertNothingConfirmsIsResolvedAtConfirmation() {
        Map<String, Alert> topic = previousOwnersTopic();
        Fleet next = fleet();
        next.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        next.profile("c1", 0, profile, T0);
        next.sample(0, sample(1, 900), null, T0);

        assertEquals(0, records(next.settle(0, T0).outcomes(), "SnatPortsHigh"));
        List<Outcome> confirmed = next.confirm(0, T0);
        assertEquals(List.of(AlertStatus.RESOLVED), confirmed.stream().flatMap(outcome -> outcome.alerts().stream())
                .filter(alert -> alert.alertname().equals("SnatPortsHigh")).map(Alert::status).toList());
    }

    @Test
    void aClusterWhoseProfileComesAfterTheLastCommitKeepsItsAlertsAndOneThatNeverComesIsForgotten() {
        Map<String, Alert> topic = previousOwnersTopic();
        Fleet back = fleet();
        back.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(back.settle(0, T0).outcomes().isEmpty());
        back.profile("c1", 0, profile, T0);
        for (int m = 1; m <= 3; m++) {
            back.sample(0, sample(m, 900), null, T0);
        }
        assertTrue(back.confirm(0, T0).isEmpty(), "the cluster came back with the same alerts");

        Fleet gone = fleet();
        gone.beginReplay(Set.of(0), topic.values(), clusterId -> 0);
        assertTrue(gone.settle(0, T0).outcomes().isEmpty());
        List<Outcome> confirmed = gone.confirm(0, T0);
        assertEquals(1, confirmed.size());
        assertTrue(confirmed.get(0).forgotten(), "its recommendation is tombstoned too");
        assertTrue(confirmed.get(0).alerts().stream().allMatch(alert -> alert.status() == AlertStatus.RESOLVED)
                && confirmed.get(0).alerts().size() == topic.values().stream().filter(Alert::isFiring).count());
    }
}
