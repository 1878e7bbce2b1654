package io.aksheadroom.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.json.MonitorStateJson;
import io.aksheadroom.monitor.ClusterState;
import io.aksheadroom.support.CleanRun;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.Test;

/** When a partition's snapshots may be restored, and when it is replayed over the whole window instead, and why. */
class SnapshotRestoreTest {

    private static final String P = "aks.cluster-profiles";
    private static final String N = "aks.node-events";
    private static final String L = "aks.lb-metrics";
    private static final String G = "aks.natgw-metrics";
    private static final Set<String> INPUTS = Set.of(P, N, L, G);
    private static final Map<String, Long> CUT = Map.of(P, 5L, N, 20L, L, 300L, G, 0L);
    private static final Map<String, Long> C1 = Map.of(P, 5L, N, 20L, L, 290L, G, 0L);
    private static final ClusterProfile PROFILE = io.aksheadroom.support.ProfileBuilder.cluster().pool("p", 3, 30).build();
    private static final BiFunction<String, String, ClusterProfile> PROFILES = (id, text) -> PROFILE;

    private static String manifest(int partition, int count, Map<String, Long> cut, Map<String, Map<String, Long>> of) {
        return MonitorStateJson.write(CleanRun.MAPPER, new MonitorStateJson.Manifest(1, partition, count, cut, of));
    }

    private static String snapshot(String id, int partition, Map<String, Long> covers) {
        ClusterState state = new ClusterState(id, PROFILE, List.of(), Map.of(), Map.of(), false, List.of(), Map.of(),
                List.of(), List.of(), List.of(), null, null);
        return MonitorStateJson.write(CleanRun.MAPPER, new MonitorStateJson.ClusterSnapshot(1, partition, 6, covers,
                "{}", state));
    }

    private static Map<String, Long> with(Map<String, Long> offsets, String topic, long offset) {
        Map<String, Long> changed = new HashMap<>(offsets);
        changed.put(topic, offset);
        return changed;
    }

    private static Map<String, Long> without(Map<String, Long> offsets, String topic) {
        Map<String, Long> changed = new HashMap<>(offsets);
        changed.remove(topic);
        return changed;
    }

    private static final String GOOD_MANIFEST = manifest(2, 6, CUT, Map.of("c1", C1));
    private static final Map<String, String> GOOD = Map.of("c1", snapshot("c1", 2, C1), "~partition-2",
            GOOD_MANIFEST);
    private static final Map<String, Long> WINDOW = Map.of(N, 10L, L, 250L, G, 0L);

    private static SnapshotRestore.Decision decide(String manifest, Map<String, String> snapshots,
            Map<String, Long> committed, Map<String, Long> windowStarts) {
        return SnapshotRestore.decide(2, 6, manifest, snapshots, INPUTS, committed, windowStarts, CleanRun.MAPPER,
                PROFILES);
    }

    @Test
    void aManifestInsideTheMarkerAndTheWindowsWithEachClusterAsItNamesIsRestoredFromItsCut() {
        SnapshotRestore.Restore restore = assertInstanceOf(SnapshotRestore.Restore.class,
                decide(GOOD_MANIFEST, GOOD, CUT, WINDOW));
        assertEquals(CUT, restore.cut());
        assertEquals(List.of("c1"), restore.clusters().stream().map(s -> s.state().clusterId()).toList());
        assertEquals(C1, restore.clusters().get(0).covers());
        // The marker beyond the cut: the records between are replayed silently, as without snapshots.
        assertInstanceOf(SnapshotRestore.Restore.class, decide(GOOD_MANIFEST, GOOD, with(CUT, L, 400), WINDOW));
    }

    static List<Arguments> fallbacks() {
        Map<String, String> tombstoned = new HashMap<>(GOOD);
        tombstoned.put("c1", null);
        return List.of(
                Arguments.of("no snapshot manifest", null, GOOD, CUT, WINDOW),
                Arguments.of("manifest of version 2", GOOD_MANIFEST.replace("\"version\":1", "\"version\":2"), GOOD,
                        CUT, WINDOW),
                Arguments.of("unreadable manifest", "{\"version\":1,\"kind\":\"partition\"}", GOOD, CUT, WINDOW),
                Arguments.of("the inputs have 6", manifest(2, 12, CUT, Map.of("c1", C1)), GOOD, CUT, WINDOW),
                Arguments.of("manifest of partition 3", manifest(3, 6, CUT, Map.of("c1", C1)), GOOD, CUT, WINDOW),
                Arguments.of("the inputs are", manifest(2, 6, without(CUT, G), Map.of("c1", C1)), GOOD, CUT, WINDOW),
                Arguments.of("no committed marker on aks.lb-metrics", GOOD_MANIFEST, GOOD, without(CUT, L), WINDOW),
                Arguments.of("beyond the committed 299", GOOD_MANIFEST, GOOD, with(CUT, L, 299), WINDOW),
                Arguments.of("before the replay window starts at 21", GOOD_MANIFEST, GOOD, CUT, with(WINDOW, N, 21)),
                Arguments.of("no snapshot of c1", GOOD_MANIFEST, tombstoned, CUT, WINDOW),
                Arguments.of("no snapshot of c2", manifest(2, 6, CUT, Map.of("c1", C1, "c2", C1)), GOOD, CUT, WINDOW),
                Arguments.of("not the one the manifest names", manifest(2, 6, CUT, Map.of("c1", CUT)), GOOD, CUT,
                        WINDOW),
                Arguments.of("snapshot of c1 of version 7", GOOD_MANIFEST,
                        Map.of("c1", snapshot("c1", 2, C1).replace("\"version\":1", "\"version\":7")), CUT, WINDOW),
                Arguments.of("unreadable snapshot of c1", GOOD_MANIFEST, Map.of("c1", "{\"version\":1}"), CUT,
                        WINDOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbacks")
    void otherwiseThePartitionIsReplayedOverTheWholeWindowForAReason(String reason, String manifest,
            Map<String, String> snapshots, Map<String, Long> committed, Map<String, Long> windowStarts) {
        SnapshotRestore.FullReplay replay = assertInstanceOf(SnapshotRestore.FullReplay.class,
                decide(manifest, snapshots, committed, windowStarts));
        assertTrue(replay.reason().contains(reason), replay.reason());
    }
}
