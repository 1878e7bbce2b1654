package io.aksheadroom.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.json.MonitorStateJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Whether a new owner of an input partition may start from the partition's state snapshots, and from where: the
 * partition's manifest and its clusters' snapshots as the monitor-state topic holds them, against the previous
 * owner's committed marker and the replay windows. When anything is amiss the partition is replayed over the whole
 * window as without snapshots; the reason is logged.
 */
final class SnapshotRestore {

    private SnapshotRestore() {
    }

    /** What to do with one partition. */
    sealed interface Decision permits Restore, FullReplay {
    }

    /**
     * Restore these clusters and read every input of the partition from {@code cut}.
     *
     * @param cut per input topic, the offset to read from: every record before it is in the restored state
     */
    record Restore(Map<String, Long> cut, List<MonitorStateJson.ClusterSnapshot> clusters) implements Decision {
    }

    /** Replay the whole window, as without snapshots, for {@code reason}. */
    record FullReplay(String reason) implements Decision {
    }

    /**
     * @param manifest the partition's manifest record value; null when there is none
     * @param snapshots the topic's newest record value per key (null for a tombstone)
     * @param inputs the input topics' names
     * @param committed per input topic, the previous owner's committed marker of this partition; absent when none
     * @param windowStarts per windowed input topic, the offset its replay window starts at now
     * @param profileReader the profile of a profile record value, for a cluster id
     */
    static Decision decide(int partition, int partitionCount, String manifest, Map<String, String> snapshots,
            Set<String> inputs, Map<String, Long> committed, Map<String, Long> windowStarts, ObjectMapper mapper,
            BiFunction<String, String, ClusterProfile> profileReader) {
        if (manifest == null) {
            return new FullReplay("no snapshot manifest");
        }
        MonitorStateJson.Manifest read;
        try {
            JsonNode root = mapper.readTree(manifest);
            if (MonitorStateJson.version(root) != MonitorStateJson.VERSION) {
                return new FullReplay("manifest of version " + MonitorStateJson.version(root) + ", this reads "
                        + MonitorStateJson.VERSION);
            }
            read = MonitorStateJson.parseManifest(root);
        } catch (Exception e) {
            return new FullReplay("unreadable manifest: " + e.getMessage());
        }
        if (read.partition() != partition || read.partitionCount() != partitionCount) {
            return new FullReplay("manifest of partition " + read.partition() + " of " + read.partitionCount()
                    + ", the inputs have " + partitionCount);
        }
        if (!read.covers().keySet().equals(inputs)) {
            return new FullReplay("manifest covers " + read.covers().keySet() + ", the inputs are " + inputs);
        }
        for (String topic : inputs) {
            long cut = read.covers().get(topic);
            Long marker = committed.get(topic);
            if (marker == null) {
                return new FullReplay("no committed marker on " + topic);
            }
            // Records past the marker may have lost their outputs and are processed live again: a state that already
            // holds them cannot be where that starts.
            if (cut > marker) {
                return new FullReplay("snapshots cover " + topic + " to " + cut + ", beyond the committed " + marker);
            }
            Long windowStart = windowStarts.get(topic);
            if (windowStart != null && cut < windowStart) {
                return new FullReplay("snapshots cover " + topic + " to " + cut + ", before the replay window starts"
                        + " at " + windowStart);
            }
        }
        List<MonitorStateJson.ClusterSnapshot> clusters = new ArrayList<>(read.clusters().size());
        for (Map.Entry<String, Map<String, Long>> listed : read.clusters().entrySet()) {
            String clusterId = listed.getKey();
            String value = snapshots.get(clusterId);
            if (value == null) {
                return new FullReplay("no snapshot of " + clusterId);
            }
            try {
                JsonNode root = mapper.readTree(value);
                if (MonitorStateJson.version(root) != MonitorStateJson.VERSION) {
                    return new FullReplay("snapshot of " + clusterId + " of version " + MonitorStateJson.version(root));
                }
                MonitorStateJson.ClusterSnapshot snapshot = MonitorStateJson.parseCluster(root, profileReader);
                // Another one than the manifest names: a round cut short, whose cut this is not.
                if (!snapshot.covers().equals(listed.getValue()) || snapshot.partition() != partition
                        || !snapshot.state().clusterId().equals(clusterId)) {
                    return new FullReplay("the snapshot of " + clusterId + " is not the one the manifest names");
                }
                clusters.add(snapshot);
            } catch (Exception e) {
                return new FullReplay("unreadable snapshot of " + clusterId + ": " + e.getMessage());
            }
        }
        return new Restore(read.covers(), clusters);
    }
}
