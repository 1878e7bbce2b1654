package io.aksheadroom.monitor;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.json.MonitorStateJson;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.WireJson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * A cluster restored from its state snapshot is the cluster that was never stopped: random event sequences (node
 * events, samples, minutes, NAT gateway minutes, profile changes, some out of order) spanning hours, so the demand
 * window ages minutes out before and after the cut. State A applies them all; state B applies a prefix, is exported,
 * written and read as the {@code aks.monitor-state} record, restored, and applies the rest. After every later event
 * both give the same outputs (plan, alert records per fingerprint, times), and end with the same plan, alert book,
 * backends and state.
 */
class SnapshotRestoreProperties {

    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    private static final String LB = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/loadBalancers/k";
    private static final String NATGW = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/natGateways/g";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CapacityPlanner PLANNER = new CapacityPlanner();

    @Test
    void aRestoredClusterGivesWhatTheClusterThatKeptRunningGives() {
        Coverage kinds = Coverage.ofOneRun();
        qt().withFixedSeed(kinds.seed()).withExamples(200).forAll(Generate.longRange(0, Long.MAX_VALUE))
                .checkAssert(seed -> {
                    Random random = new Random(seed);
                    List<Object> events = events(random);
                    int cut = 1 + random.nextInt(events.size());
                    ClusterMonitor kept = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, PLANNER);
                    ClusterMonitor stopped = new ClusterMonitor("c1", MonitorSettings.DEFAULTS, PLANNER);
                    for (int i = 0; i < cut; i++) {
                        apply(kept, events.get(i));
                        apply(stopped, events.get(i));
                    }
                    ClusterMonitor restored = roundTrip(stopped.export());
                    long oldestAtCut = oldestMinute(stopped);
                    kinds.count(oldestAtCut > T0.getEpochSecond() / 60 + 1 ? "minutes aged out before the cut"
                            : "nothing aged out before the cut");
                    kinds.count(stopped.firingCount() > 0 ? "alerts firing at the cut" : "none firing at the cut");
                    assertEquals(kept.plan(), restored.plan(), "plan at the cut");
                    boolean alertsAfter = false;
                    for (int i = cut; i < events.size(); i++) {
                        Outcome expected = apply(kept, events.get(i));
                        Outcome actual = apply(restored, events.get(i));
                        String at = "event " + i + " of " + events.size() + " (cut at " + cut + "): " + events.get(i);
                        assertEquals(expected.plan(), actual.plan(), at);
                        assertEquals(expected.generatedAt(), actual.generatedAt(), at);
                        assertEquals(expected.newestSampleAt(), actual.newestSampleAt(), at);
                        assertEquals(byFingerprint(expected.alerts()), byFingerprint(actual.alerts()), at);
                        alertsAfter |= !expected.alerts().isEmpty();
                    }
                    kinds.count(alertsAfter ? "alert records after the cut" : "no alert record after the cut");
                    kinds.count(oldestMinute(kept) > oldestAtCut ? "minutes aged out after the cut"
                            : "nothing aged out after the cut");
                    assertEquals(kept.plan(), restored.plan());
                    assertEquals(sorted(kept.firingAlerts(), Alert::fingerprint),
                            sorted(restored.firingAlerts(), Alert::fingerprint));
                    assertEquals(sorted(kept.backendUsage(), BackendUsage::subject),
                            sorted(restored.backendUsage(), BackendUsage::subject));
                    assertEquals(normal(kept.export()), normal(restored.export()));
                });
        // Four kinds counted per example: a share of 5 % of the counts is 20 % of the examples.
        kinds.assertShareAbove("minutes aged out before the cut", 5).assertShareAbove("alerts firing at the cut", 5)
                .assertShareAbove("alert records after the cut", 5).assertShareAbove("minutes aged out after the cut", 5)
                .assertShareAbove("nothing aged out before the cut", 2);
    }

    private static long oldestMinute(ClusterMonitor monitor) {
        List<ClusterState.DemandMinute> demand = monitor.export().demand();
        return demand.isEmpty() ? Long.MIN_VALUE : demand.get(0).epochMinute();
    }

    /** Exported, written as the record, read back and restored, as a new owner restores it. */
    private static ClusterMonitor roundTrip(ClusterState state) {
        String profileRecord = WireJson.write(state.profile());
        String record = MonitorStateJson.write(MAPPER, new MonitorStateJson.ClusterSnapshot(MonitorStateJson.VERSION,
                0, 6, Map.of("aks.lb-metrics", 12L), profileRecord, state));
        try {
            MonitorStateJson.ClusterSnapshot read = MonitorStateJson.parseCluster(MAPPER.readTree(record),
                    (id, text) -> {
                        try {
                            return ProfileJson.parse(MAPPER.readTree(text));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertEquals(Map.of("aks.lb-metrics", 12L), read.covers());
            return ClusterMonitor.restore(read.state(), MonitorSettings.DEFAULTS, PLANNER);
        } catch (Exception e) {
            throw new IllegalStateException(record, e);
        }
    }

    private static Outcome apply(ClusterMonitor monitor, Object event) {
        return event instanceof ClusterProfile profile ? monitor.applyProfile(profile, T0)
                : ((ClusterEvent) event).applyTo(monitor);
    }

    /** A profile first, then hours of events a minute or a few apart, now and then one older than the last. */
    private static List<Object> events(Random random) {
        List<Object> events = new ArrayList<>();
        events.add(profile(random));
        int count = 20 + random.nextInt(140);
        Instant now = T0;
        for (int i = 0; i < count; i++) {
            now = now.plus(Duration.ofMinutes(random.nextInt(10) == 0 ? 30 + random.nextInt(40) : random.nextInt(3)));
            Instant at = random.nextInt(15) == 0 ? now.minus(Duration.ofMinutes(1 + random.nextInt(5))) : now;
            events.add(switch (random.nextInt(12)) {
                case 0 -> NodeEvent.added("c1", at, node(random));
                case 1 -> NodeEvent.removed("c1", at, node(random));
                case 2 -> {
                    List<NodeInfo> nodes = new ArrayList<>();
                    for (int n = 0; n < 8; n++) {
                        if (random.nextBoolean()) {
                            nodes.add(node(n, random));
                        }
                    }
                    yield NodeEvent.inventory("c1", at, nodes);
                }
                case 3 -> new NatGatewaySample("c1", at, NATGW, (long) (random.nextInt(3) == 0 ? random.nextInt(4) : 0),
                        100L, 0L);
                case 4 -> random.nextInt(4) == 0 ? profile(random) : sample(random, at, 0);
                case 5, 6, 7 -> {
                    List<SnatSample> samples = new ArrayList<>();
                    for (int b = 0; b < 8; b++) {
                        if (random.nextInt(3) > 0) {
                            samples.add(sample(random, at, b));
                        }
                    }
                    yield new LoadBalancerMinute("c1", at, LB, samples);
                }
                default -> sample(random, at, random.nextInt(8));
            });
        }
        return events;
    }

    private static ClusterProfile profile(Random random) {
        return cluster().pool("p", 2 + random.nextInt(6), 30).pool("q", 1 + random.nextInt(4), 30).build();
    }

    private static NodeInfo node(Random random) {
        return node(random.nextInt(8), random);
    }

    /** Node n has backend IP 10.0.0.(4+n); now and then another IP, or none. */
    private static NodeInfo node(int n, Random random) {
        String ip = random.nextInt(10) == 0 ? null : "10.0.0." + (4 + (random.nextInt(10) == 0 ? (n + 1) % 8 : n));
        return new NodeInfo("node-" + n, n % 3 == 0 ? "q" : "p", ip, 30);
    }

    private static SnatSample sample(Random random, Instant at, int backend) {
        long allocated = random.nextInt(8) == 0 ? 512 : 1024;
        long used = random.nextInt(3) == 0 ? 850 + random.nextInt(200) : random.nextInt(900);
        Long failed = random.nextInt(10) == 0 ? Long.valueOf(random.nextInt(3)) : random.nextBoolean() ? Long.valueOf(0) : null;
        return new SnatSample("c1", at, "10.0.0." + (4 + backend), random.nextBoolean() ? Protocol.TCP : Protocol.UDP,
                allocated, Math.min(used, allocated), failed);
    }

    /** Alert records per fingerprint, in the order they came: records of different fingerprints have no order. */
    private static Map<String, List<Alert>> byFingerprint(List<Alert> alerts) {
        Map<String, List<Alert>> by = new TreeMap<>();
        alerts.forEach(alert -> by.computeIfAbsent(alert.fingerprint(), f -> new ArrayList<>()).add(alert));
        return by;
    }

    private static <T> List<T> sorted(List<T> values, Function<T, String> key) {
        return values.stream().sorted(Comparator.comparing(key)).toList();
    }

    /** The state with its lists in one order: maps iterate as their hashing has it. */
    private static ClusterState normal(ClusterState state) {
        return new ClusterState(state.clusterId(), state.profile(), sorted(state.nodes(), NodeInfo::name),
                state.nodeByIp(), state.poolCounts(), state.inventorySeen(),
                sorted(state.backends(), ClusterState.BackendState::subject), state.gateways(), state.demand(),
                sorted(state.firing(), Alert::fingerprint), state.unconfirmed().stream().sorted().toList(),
                state.lastEventAt(), state.newestSampleAt());
    }
}
