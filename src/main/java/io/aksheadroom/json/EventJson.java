package io.aksheadroom.json;

import static io.aksheadroom.json.Fields.array;
import static io.aksheadroom.json.Fields.construct;
import static io.aksheadroom.json.Fields.enumValue;
import static io.aksheadroom.json.Fields.instant;
import static io.aksheadroom.json.Fields.int32;
import static io.aksheadroom.json.Fields.integer;
import static io.aksheadroom.json.Fields.kind;
import static io.aksheadroom.json.Fields.object;
import static io.aksheadroom.json.Fields.requiredText;
import static io.aksheadroom.json.Fields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The wire form of the {@code aks.lb-metrics}, {@code aks.natgw-metrics} and {@code aks.node-events} records, both ways. */
public final class EventJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventJson() {
    }

    /**
     * The sample in {@code value}, exactly as {@link #parseSample(JsonNode)} reads {@code mapper.readTree(value)}, the
     * same refusals and messages included; the usual form is read token by token without building the tree.
     */
    public static SnatSample parseSample(ObjectMapper mapper, String value) throws JsonProcessingException {
        SnatSample streamed = SampleStream.read(mapper, value);
        return streamed != null ? streamed : parseSample(mapper.readTree(value));
    }

    public static SnatSample parseSample(JsonNode root) {
        requireObject(root);
        String clusterId = requiredText(root, "clusterId", "");
        Instant at = instant(root, "at", "");
        String backendIp = requiredText(root, "backendIp", "");
        Protocol protocol = enumValue(root, "protocol", "", Protocol::fromWire);
        Long allocated = required(integer(root, "allocatedSnatPorts", ""), "allocatedSnatPorts");
        Long used = required(integer(root, "usedSnatPorts", ""), "usedSnatPorts");
        Long failed = integer(root, "failedConnections", "");
        return construct("", () -> new SnatSample(clusterId, at, backendIp, protocol, allocated, used, failed));
    }

    public static NatGatewaySample parseNatGatewaySample(JsonNode root) {
        requireObject(root);
        String clusterId = requiredText(root, "clusterId", "");
        Instant at = instant(root, "at", "");
        String resourceId = requiredText(root, "resourceId", "");
        Long failed = integer(root, "failedConnections", "");
        Long total = integer(root, "totalConnections", "");
        Long drops = integer(root, "packetDrops", "");
        return construct("", () -> new NatGatewaySample(clusterId, at, resourceId, failed, total, drops));
    }

    public static NodeEvent parseNodeEvent(JsonNode root) {
        requireObject(root);
        String clusterId = requiredText(root, "clusterId", "");
        NodeEventType type = enumValue(root, "type", "", NodeEventType::fromWire);
        if (type == null) {
            throw new InvalidInputException("type", "required");
        }
        Instant at = instant(root, "at", "");
        JsonNode nodeJson = object(root, "node", "");
        NodeInfo node = nodeJson == null ? null : node(nodeJson, "node");
        JsonNode list = array(root, "nodes", "");
        List<NodeInfo> nodes = new ArrayList<>();
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isObject()) {
                    throw new InvalidInputException("nodes[" + i + "]", "expected an object, got " + kind(list.get(i)));
                }
                nodes.add(node(list.get(i), "nodes[" + i + "]"));
            }
        }
        return construct("", () -> new NodeEvent(clusterId, type, at, node, nodes));
    }

    private static NodeInfo node(JsonNode json, String at) {
        String name = requiredText(json, "name", at);
        String pool = requiredText(json, "pool", at);
        String ip = text(json, "ip", at);
        Integer maxPods = int32(json, "maxPods", at);
        return construct(at, () -> new NodeInfo(name, pool, ip, maxPods));
    }

    public static ObjectNode toJson(SnatSample sample) {
        ObjectNode json = NODES.objectNode();
        json.put("clusterId", sample.clusterId());
        json.put("at", sample.at().toString());
        json.put("backendIp", sample.backendIp());
        json.put("protocol", sample.protocol().name());
        json.put("allocatedSnatPorts", sample.allocatedSnatPorts());
        json.put("usedSnatPorts", sample.usedSnatPorts());
        if (sample.failedConnections() != null) {
            json.put("failedConnections", sample.failedConnections());
        }
        return json;
    }

    /** Figures Azure Monitor did not report are left out, as {@code failedConnections} of a SNAT sample is. */
    public static ObjectNode toJson(NatGatewaySample sample) {
        ObjectNode json = NODES.objectNode();
        json.put("clusterId", sample.clusterId());
        json.put("at", sample.at().toString());
        json.put("resourceId", sample.resourceId());
        putIfKnown(json, "failedConnections", sample.failedConnections());
        putIfKnown(json, "totalConnections", sample.totalConnections());
        putIfKnown(json, "packetDrops", sample.packetDrops());
        return json;
    }

    private static void putIfKnown(ObjectNode json, String field, Long value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    public static ObjectNode toJson(NodeEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("clusterId", event.clusterId());
        json.put("type", event.type().wireName());
        json.put("at", event.at().toString());
        if (event.node() != null) {
            json.set("node", toJson(event.node()));
        }
        if (event.type() == NodeEventType.NODE_INVENTORY) {
            event.nodes().forEach(node -> json.withArray("nodes").add(toJson(node)));
            json.withArray("nodes");
        }
        return json;
    }

    private static ObjectNode toJson(NodeInfo node) {
        ObjectNode json = NODES.objectNode();
        json.put("name", node.name());
        json.put("pool", node.pool());
        if (node.ip() != null) {
            json.put("ip", node.ip());
        }
        if (node.maxPods() != null) {
            json.put("maxPods", node.maxPods());
        }
        return json;
    }

    private static void requireObject(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("", "the record must be a JSON object");
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, "required");
        }
        return value;
    }
}
