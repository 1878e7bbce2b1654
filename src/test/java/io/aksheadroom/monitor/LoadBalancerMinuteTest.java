package io.aksheadroom.monitor;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.support.Coverage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * A load balancer's minute is its backends' samples taken together: the same state as the samples one by one, with
 * the plan looked at once.
 */
class LoadBalancerMinuteTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final String LB = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/loadBalancers/k";

    private static SnatSample sample(String cluster, Instant at, String ip, Protocol protocol, long used) {
        return new SnatSample(cluster, at, ip, protocol, 1024, used, 0L);
    }

    private static String refusal(Runnable construct) {
        InvalidInputException e = assertThrows(InvalidInputException.class, construct::run);
        return e.getMessage();
    }

    @Test
    void refusesWhatIsNotOneMinuteOfOneClusterNamingTheField() {
        SnatSample ok = sample("c1", T0, "10.0.0.4", Protocol.TCP, 1);
        assertTrue(refusal(() -> new LoadBalancerMinute(" ", T0, LB, List.of())).startsWith("clusterId"));
        assertTrue(refusal(() -> new LoadBalancerMinute("c1", null, LB, List.of())).startsWith("at"));
        assertTrue(refusal(() -> new LoadBalancerMinute("c1", T0, "", List.of())).startsWith("loadBalancer"));
        assertTrue(refusal(() -> new LoadBalancerMinute("c1", T0, LB, null)).startsWith("samples"));
        assertTrue(refusal(() -> new LoadBalancerMinute("c1", T0, LB,
                List.of(ok, sample("c2", T0, "10.0.0.5", Protocol.TCP, 1)))).startsWith("samples[1]"));
        assertTrue(refusal(() -> new LoadBalancerMinute("c1", T0, LB,
                List.of(ok, sample("c1", T0.plusSeconds(60), "10.0.0.5", Protocol.TCP, 1)))).startsWith("samples[1]"));
        String twice = refusal(() -> new LoadBalancerMinute("c1", T0, LB,
                List.of(ok, sample("c1", T0, "10.0.0.5", Protocol.TCP, 1), sample("c1", T0, "10.0.0.4", Protocol.TCP,
                        9))));
        assertTrue(twice.startsWith("samples[2]") && twice.contains("10.0.0.4/TCP"), twice);
        String afterOtherProtocol = refusal(() -> new LoadBalancerMinute("c1", T0, LB,
                List.of(ok, sample("c1", T0, "10.0.0.4", Protocol.UDP, 1), sample("c1", T0, "10.0.0.4", Protocol.TCP,
                        9))));
        assertTrue(afterOtherProtocol.startsWith("samples[2]") && afterOtherProtocol.contains("10.0.0.4/TCP"),
                afterOtherProtocol);
        // The same backend on another protocol is another subject; a balancer may be unnamed; a minute may be empty.
        assertEquals(2, new LoadBalancerMinute("c1", T0, null,
                List.of(ok, sample("c1", T0, "10.0.0.4", Protocol.UDP, 1))).samples().size());
        assertEquals(List.of(), new LoadBalancerMinute("c1", T0, LB, List.of()).samples());
    }

    @Test
    void aMinuteNotNewerThanWhatTheBackendsHaveChangesNothing() {
        ClusterMonitor monitor = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, new CapacityPlanner());
        monitor.applyProfile(cluster().pool("p", 10, 30).build(), T0);
        LoadBalancerMinute minute = new LoadBalancerMinute("c1", T0.plusSeconds(60), LB,
                List.of(sample("c1", T0.plusSeconds(60), "10.0.0.4", Protocol.TCP, 900)));
        assertEquals(T0.plusSeconds(60), monitor.applyMinute(minute).generatedAt());
        Outcome again = monitor.applyMinute(minute);
        assertTrue(again.isEmpty(), "the same minute again: " + again);
        assertNull(again.generatedAt());
    }

    /**
     * Random fleets of backends over random minutes, some backends silent in some minutes, some minutes repeated:
     * applied as minutes and as samples one by one, the cluster ends each minute in the same state (plan, backends,
     * the same alerts firing since the same minute), and each backend alert fires and resolves alike. Only the
     * plans in between, looked at after each sample, are left out: so a plan alert that fires in a minute carries
     * the figures of the whole minute, not those of its first backends (its value and summary may differ).
     */
    @Test
    void aMinuteLeavesTheStateItsSamplesOneByOneLeave() {
        Coverage alerts = Coverage.ofOneRun();
        qt().withFixedSeed(alerts.seed()).withExamples(300).forAll(Generate.longRange(0, Long.MAX_VALUE))
                .checkAssert(seed -> {
                    Random random = new Random(seed);
                    ClusterProfile profile = cluster().pool("p", 4 + random.nextInt(20), 30).build();
                    ClusterMonitor byMinute = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, new CapacityPlanner());
                    ClusterMonitor bySample = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, new CapacityPlanner());
                    byMinute.applyProfile(profile, T0);
                    bySample.applyProfile(profile, T0);
                    int backends = 1 + random.nextInt(8);
                    int minutes = 1 + random.nextInt(12);
                    boolean fired = false;
                    for (int m = 1; m <= minutes; m++) {
                        // Now and then a minute again, or an older one: nothing new in it for the backends.
                        int at = random.nextInt(8) == 0 ? Math.max(1, m - 1 - random.nextInt(2)) : m;
                        Instant minute = T0.plus(Duration.ofMinutes(at));
                        List<SnatSample> samples = new ArrayList<>();
                        for (int b = 0; b < backends; b++) {
                            if (random.nextInt(5) > 0) {
                                samples.add(new SnatSample("c1", minute, "10.0.0." + (4 + b),
                                        random.nextBoolean() ? Protocol.TCP : Protocol.UDP, 1024,
                                        random.nextInt(1100), failed(random)));
                            }
                        }
                        samples = distinctSubjects(samples);
                        Outcome whole = byMinute.applyMinute(new LoadBalancerMinute("c1", minute, LB, samples));
                        List<Alert> oneByOne = new ArrayList<>();
                        samples.forEach(sample -> oneByOne.addAll(bySample.applySample(sample).alerts()));

                        assertEquals(backendAlerts(oneByOne), backendAlerts(whole.alerts()), "minute " + m);
                        assertTrue(resent(whole.alerts()) <= resent(oneByOne), "minute " + m);
                        assertEquals(bySample.plan(), byMinute.plan(), "minute " + m);
                        assertEquals(bySample.backendUsage(), byMinute.backendUsage(), "minute " + m);
                        assertEquals(firing(bySample), firing(byMinute), "minute " + m);
                        fired |= !whole.alerts().isEmpty();
                    }
                    alerts.count(fired);
                });
        // Worth comparing only if alerts come often enough, and not always.
        alerts.assertShareAbove(true, 10).assertShareAbove(false, 2);
    }

    /** Failed connections: some, none, or unknown. */
    private static Long failed(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.valueOf(random.nextInt(5));
            case 1 -> null;
            default -> 0L;
        };
    }

    private static List<SnatSample> distinctSubjects(List<SnatSample> samples) {
        List<SnatSample> distinct = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (SnatSample sample : samples) {
            String subject = ClusterMonitor.subjectOf(sample.backendIp(), sample.protocol());
            if (!subjects.contains(subject)) {
                subjects.add(subject);
                distinct.add(sample);
            }
        }
        return distinct;
    }

    /**
     * The records about backends (their subject names one) that fire or resolve an alert, per alert in order. Left
     * out are the firing records sent again because they are due: those go out when the plan is looked at, once per
     * sample one by one, once per minute else, so a minute sends fewer (none for an alert that resolves in it).
     */
    private static Map<String, List<Alert>> backendAlerts(List<Alert> alerts) {
        Map<String, List<Alert>> byAlert = new TreeMap<>();
        alerts.stream().filter(alert -> alert.subject() != null && alert.subject().contains("/"))
                .filter(alert -> !isResent(alert))
                .forEach(alert -> byAlert.computeIfAbsent(alert.fingerprint(), f -> new ArrayList<>()).add(alert));
        return byAlert;
    }

    private static boolean isResent(Alert alert) {
        return alert.status() == AlertStatus.FIRING && !alert.updatedAt().equals(alert.startsAt());
    }

    private static long resent(List<Alert> alerts) {
        return alerts.stream().filter(LoadBalancerMinuteTest::isResent).count();
    }

    /** Which alerts fire, and since when. */
    private static List<String> firing(ClusterMonitor monitor) {
        return monitor.firingAlerts().stream().map(alert -> alert.fingerprint() + " " + alert.alertname() + " "
                + alert.subject() + " " + alert.startsAt()).sorted().toList();
    }
}
