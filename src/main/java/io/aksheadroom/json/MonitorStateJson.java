package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.ClusterState;
import io.aksheadroom.monitor.NodeInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The {@code aks.monitor-state} records (docs/schemas/monitor-state.v1.schema.json): the service's own, read only by
 * the service. A cluster's state, with the profile record it was built on as it came and the input offsets it covers;
 * and per input partition a manifest, naming the cut the partition's snapshots were taken at and each cluster's.
 */
public final class MonitorStateJson {

    /** The schema version written; a reader takes no other. */
    public static final int VERSION = 1;
    /** A manifest's key: no cluster id starts with it (profiles are keyed by clusterId, which it is not). */
    public static final String MANIFEST_PREFIX = "~partition-";

    private MonitorStateJson() {
    }

    /**
     * A cluster's snapshot.
     *
     * @param covers per input topic, the next offset of the cluster's partition its state reflects
     * @param profileRecord the profile record's value the state was built on, as it came
     */
    public record ClusterSnapshot(int version, int partition, int partitionCount, Map<String, Long> covers,
            String profileRecord, ClusterState state) {
    }

    /**
     * A partition's manifest.
     *
     * @param covers per input topic, the offset every cluster's state of the partition reflects (the cut)
     * @param clusters every cluster of the partition at the cut, with the {@code covers} of its newest snapshot
     */
    public record Manifest(int version, int partition, int partitionCount, Map<String, Long> covers,
            Map<String, Map<String, Long>> clusters) {
    }

    public static String manifestKey(int partition) {
        return MANIFEST_PREFIX + partition;
    }

    public static String write(ObjectMapper mapper, ClusterSnapshot snapshot) {
        ClusterState state = snapshot.state();
        ObjectNode root = mapper.createObjectNode();
        root.put("version", VERSION);
        root.put("kind", "cluster");
        root.put("clusterId", state.clusterId());
        root.put("partition", snapshot.partition());
        root.put("partitionCount", snapshot.partitionCount());
        root.set("covers", offsets(mapper, snapshot.covers()));
        root.put("profileRecord", snapshot.profileRecord());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeInfo node : state.nodes()) {
            ObjectNode n = nodes.addObject().put("name", node.name()).put("pool", node.pool());
            if (node.ip() != null) {
                n.put("ip", node.ip());
            }
            if (node.maxPods() != null) {
                n.put("maxPods", node.maxPods());
            }
        }
        ObjectNode byIp = root.putObject("nodeByIp");
        new TreeMap<>(state.nodeByIp()).forEach(byIp::put);
        ObjectNode pools = root.putObject("poolCounts");
        new TreeMap<>(state.poolCounts()).forEach(pools::put);
        root.put("inventorySeen", state.inventorySeen());
        ArrayNode backends = root.putArray("backends");
        for (ClusterState.BackendState b : state.backends()) {
            backends.addObject().put("subject", b.subject()).put("at", b.at().toString())
                    .put("allocated", b.allocated()).put("used", b.used()).put("failed", b.failed())
                    .put("warningStreak", b.warningStreak()).put("criticalStreak", b.criticalStreak());
        }
        ObjectNode gateways = root.putObject("gateways");
        new TreeMap<>(state.gateways()).forEach((id, at) -> gateways.put(id, at.toString()));
        ArrayNode demand = root.putArray("demand");
        for (ClusterState.DemandMinute minute : state.demand()) {
            demand.addArray().add(minute.epochMinute()).add(minute.peakUsed()).add(minute.failed());
        }
        ArrayNode firing = root.putArray("firing");
        state.firing().forEach(alert -> firing.add(alert(mapper, alert)));
        ArrayNode unconfirmed = root.putArray("unconfirmed");
        state.unconfirmed().forEach(unconfirmed::add);
        putInstant(root, "lastEventAt", state.lastEventAt());
        putInstant(root, "newestSampleAt", state.newestSampleAt());
        return text(mapper, root);
    }

    public static String write(ObjectMapper mapper, Manifest manifest) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", VERSION);
        root.put("kind", "partition");
        root.put("partition", manifest.partition());
        root.put("partitionCount", manifest.partitionCount());
        root.set("covers", offsets(mapper, manifest.covers()));
        ObjectNode clusters = root.putObject("clusters");
        new TreeMap<>(manifest.clusters()).forEach((id, covers) -> clusters.set(id, offsets(mapper, covers)));
        return text(mapper, root);
    }

    /** The version a record says it is of, or -1 when it says none: a reader of another version leaves it. */
    public static int version(JsonNode root) {
        JsonNode version = root.get("version");
        return version != null && version.canConvertToInt() ? version.intValue() : -1;
    }

    public static boolean isManifest(JsonNode root) {
        return "partition".equals(root.path("kind").asText());
    }

    public static Manifest parseManifest(JsonNode root) {
        Map<String, Map<String, Long>> clusters = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = Fields.object(root, "clusters", "").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> cluster = fields.next();
            clusters.put(cluster.getKey(), offsets(cluster.getValue(), "clusters." + cluster.getKey()));
        }
        return new Manifest(version(root), Fields.requiredInt32(root, "partition", ""),
                Fields.requiredInt32(root, "partitionCount", ""), offsets(Fields.object(root, "covers", ""), "covers"),
                clusters);
    }

    /**
     * A cluster's snapshot; {@code profileReader} makes the profile of the record value it carries, for the cluster
     * id given.
     */
    public static ClusterSnapshot parseCluster(JsonNode root, BiFunction<String, String, ClusterProfile> profileReader) {
        String clusterId = Fields.requiredText(root, "clusterId", "");
        String profileRecord = Fields.requiredText(root, "profileRecord", "");
        List<NodeInfo> nodes = new ArrayList<>();
        for (JsonNode n : Fields.array(root, "nodes", "")) {
            nodes.add(new NodeInfo(Fields.requiredText(n, "name", "nodes"), Fields.requiredText(n, "pool", "nodes"),
                    Fields.text(n, "ip", "nodes"), Fields.int32(n, "maxPods", "nodes")));
        }
        Map<String, String> byIp = new LinkedHashMap<>();
        Fields.object(root, "nodeByIp", "").fields().forEachRemaining(e -> byIp.put(e.getKey(), e.getValue().asText()));
        Map<String, Integer> pools = new LinkedHashMap<>();
        Fields.object(root, "poolCounts", "").fields()
                .forEachRemaining(e -> pools.put(e.getKey(), e.getValue().intValue()));
        List<ClusterState.BackendState> backends = new ArrayList<>();
        for (JsonNode b : Fields.array(root, "backends", "")) {
            backends.add(new ClusterState.BackendState(Fields.requiredText(b, "subject", "backends"),
                    Fields.instant(b, "at", "backends"), b.path("allocated").longValue(), b.path("used").longValue(),
                    b.path("failed").longValue(), b.path("warningStreak").intValue(),
                    b.path("criticalStreak").intValue()));
        }
        Map<String, Instant> gateways = new LinkedHashMap<>();
        Fields.object(root, "gateways", "").fields()
                .forEachRemaining(e -> gateways.put(e.getKey(), Instant.parse(e.getValue().asText())));
        List<ClusterState.DemandMinute> demand = new ArrayList<>();
        for (JsonNode m : Fields.array(root, "demand", "")) {
            demand.add(new ClusterState.DemandMinute(m.path(0).longValue(), m.path(1).longValue(),
                    m.path(2).longValue()));
        }
        List<Alert> firing = new ArrayList<>();
        for (JsonNode a : Fields.array(root, "firing", "")) {
            firing.add(AlertJson.parse(a));
        }
        List<String> unconfirmed = new ArrayList<>();
        Fields.array(root, "unconfirmed", "").forEach(f -> unconfirmed.add(f.asText()));
        ClusterState state = new ClusterState(clusterId, profileReader.apply(clusterId, profileRecord), nodes, byIp,
                pools, Fields.bool(root, "inventorySeen", "") == Boolean.TRUE, backends, gateways, demand, firing,
                unconfirmed, optionalInstant(root, "lastEventAt"), optionalInstant(root, "newestSampleAt"));
        return new ClusterSnapshot(version(root), Fields.requiredInt32(root, "partition", ""),
                Fields.requiredInt32(root, "partitionCount", ""), offsets(Fields.object(root, "covers", ""), "covers"),
                profileRecord, state);
    }

    private static ObjectNode alert(ObjectMapper mapper, Alert alert) {
        ObjectNode a = mapper.createObjectNode();
        a.put("fingerprint", alert.fingerprint());
        a.put("status", alert.status().wireName());
        a.put("alertname", alert.alertname());
        a.put("rule", alert.rule());
        a.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        a.put("clusterId", alert.clusterId());
        a.put("subject", alert.subject());
        if (alert.summary() != null) {
            a.put("summary", alert.summary());
        }
        if (alert.value() != null) {
            a.put("value", alert.value());
        }
        if (alert.threshold() != null) {
            a.put("threshold", alert.threshold());
        }
        a.put("startsAt", alert.startsAt().toString());
        putInstant(a, "endsAt", alert.endsAt());
        a.put("updatedAt", alert.updatedAt().toString());
        return a;
    }

    private static ObjectNode offsets(ObjectMapper mapper, Map<String, Long> offsets) {
        ObjectNode node = mapper.createObjectNode();
        new TreeMap<>(offsets).forEach(node::put);
        return node;
    }

    private static Map<String, Long> offsets(JsonNode node, String at) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> offsets.put(e.getKey(), Fields.integerValue(e.getValue(),
                at + "." + e.getKey())));
        return offsets;
    }

    private static void putInstant(ObjectNode node, String field, Instant at) {
        if (at != null) {
            node.put(field, at.toString());
        }
    }

    private static Instant optionalInstant(JsonNode root, String field) {
        return root.hasNonNull(field) ? Fields.instant(root, field, "") : null;
    }

    private static String text(ObjectMapper mapper, ObjectNode root) {
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always writes", e);
        }
    }
}
