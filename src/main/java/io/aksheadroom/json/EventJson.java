package io.aksheadroom.json;

import static io.aksheadroom.json.Fields.array;
import static io.aksheadroom.json.Fields.child;
import static io.aksheadroom.json.Fields.construct;
import static io.aksheadroom.json.Fields.enumValue;
import static io.aksheadroom.json.Fields.instant;
import static io.aksheadroom.json.Fields.int32;
import static io.aksheadroom.json.Fields.integer;
import static io.aksheadroom.json.Fields.kind;
import static io.aksheadroom.json.Fields.object;
import static io.aksheadroom.json.Fields.requiredText;
import static io.aksheadroom.json.Fields.text;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of the {@code aks.lb-metrics}, {@code aks.natgw-metrics} and {@code aks.node-events} records, both
 * ways: read field by field, so an error names the field; written by databind as the records below, which
 * {@link DomainJsonModule} puts in place of the events.
 */
public final class EventJson {

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
        return backend(root, "", clusterId, at);
    }

    /**
     * An {@code aks.lb-metrics} record in either form: a load balancer's minute (it has {@code samples}) or one
     * sample. Read as {@link #parseLbMetrics(JsonNode)} reads {@code mapper.readTree(value)}, the same refusals and
     * messages included; the forms the poller writes are read token by token without building the tree.
     */
    public static ClusterEvent parseLbMetrics(ObjectMapper mapper, String value) throws JsonProcessingException {
        LoadBalancerMinute minute = MinuteStream.read(mapper, value);
        if (minute != null) {
            return minute;
        }
        SnatSample sample = SampleStream.read(mapper, value);
        return sample != null ? sample : parseLbMetrics(mapper.readTree(value));
    }

    /** An {@code aks.lb-metrics} record: a load balancer's minute when it has {@code samples}, else one sample. */
    public static ClusterEvent parseLbMetrics(JsonNode root) {
        requireObject(root);
        return child(root, "samples") != null ? parseMinute(root) : parseSample(root);
    }

    /** A load balancer's minute: every sample carries the record's cluster and minute. */
    public static LoadBalancerMinute parseMinute(JsonNode root) {
        requireObject(root);
        String clusterId = requiredText(root, "clusterId", "");
        Instant at = instant(root, "at", "");
        String loadBalancer = text(root, "loadBalancer", "");
        JsonNode list = array(root, "samples", "");
        if (list == null) {
            throw new InvalidInputException("samples", "required");
        }
        List<SnatSample> samples = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String path = "samples[" + i + "]";
            if (!list.get(i).isObject()) {
                throw new InvalidInputException(path, "expected an object, got " + kind(list.get(i)));
            }
            samples.add(backend(list.get(i), path, clusterId, at));
        }
        return construct("", () -> new LoadBalancerMinute(clusterId, at, loadBalancer, samples));
    }

    /** One backend's figures at {@code path} ({@code ""} for the record itself): a sample of that cluster and minute. */
    private static SnatSample backend(JsonNode json, String path, String clusterId, Instant at) {
        String backendIp = requiredText(json, "backendIp", path);
        Protocol protocol = enumValue(json, "protocol", path, Protocol::fromWire);
        Long allocated = required(integer(json, "allocatedSnatPorts", path), Fields.path(path, "allocatedSnatPorts"));
        Long used = required(integer(json, "usedSnatPorts", path), Fields.path(path, "usedSnatPorts"));
        Long failed = integer(json, "failedConnections", path);
        return construct(path, () -> new SnatSample(clusterId, at, backendIp, protocol, allocated, used, failed));
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

    /** The {@code aks.lb-metrics} record as it is written: {@code failedConnections} left out when unknown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record SnatSampleWire(String clusterId, String at, String backendIp, String protocol, long allocatedSnatPorts,
            long usedSnatPorts, Long failedConnections) {

        static SnatSampleWire of(SnatSample sample) {
            return new SnatSampleWire(sample.clusterId(), sample.at().toString(), sample.backendIp(),
                    sample.protocol().name(), sample.allocatedSnatPorts(), sample.usedSnatPorts(),
                    sample.failedConnections());
        }
    }

    /**
     * The {@code aks.lb-metrics} record of a load balancer's minute: its backends in the poller's order, each without
     * the cluster and minute the record carries once.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record LoadBalancerMinuteWire(String clusterId, String at, String loadBalancer, List<BackendWire> samples) {

        static LoadBalancerMinuteWire of(LoadBalancerMinute minute) {
            return new LoadBalancerMinuteWire(minute.clusterId(), minute.at().toString(), minute.loadBalancer(),
                    minute.samples().stream().map(BackendWire::of).toList());
        }
    }

    /** One backend of a {@link LoadBalancerMinuteWire}: {@code failedConnections} left out when unknown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record BackendWire(String backendIp, String protocol, long allocatedSnatPorts, long usedSnatPorts,
            Long failedConnections) {

        static BackendWire of(SnatSample sample) {
            return new BackendWire(sample.backendIp(), sample.protocol().name(), sample.allocatedSnatPorts(),
                    sample.usedSnatPorts(), sample.failedConnections());
        }
    }

    /** The {@code aks.natgw-metrics} record: figures Azure Monitor did not report are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NatGatewaySampleWire(String clusterId, String at, String resourceId, Long failedConnections,
            Long totalConnections, Long packetDrops) {

        static NatGatewaySampleWire of(NatGatewaySample sample) {
            return new NatGatewaySampleWire(sample.clusterId(), sample.at().toString(), sample.resourceId(),
                    sample.failedConnections(), sample.totalConnections(), sample.packetDrops());
        }
    }

    /**
     * The {@code aks.node-events} record: {@code node} for an add or a removal, {@code nodes} for an inventory only,
     * and there even when empty (an inventory of no nodes says the cluster has none).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NodeEventWire(String clusterId, String type, String at, NodeWire node, List<NodeWire> nodes) {

        static NodeEventWire of(NodeEvent event) {
            return new NodeEventWire(event.clusterId(), event.type().wireName(), event.at().toString(),
                    event.node() == null ? null : NodeWire.of(event.node()),
                    event.type() == NodeEventType.NODE_INVENTORY ? event.nodes().stream().map(NodeWire::of).toList()
                            : null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NodeWire(String name, String pool, String ip, Integer maxPods) {

        static NodeWire of(NodeInfo node) {
            return new NodeWire(node.name(), node.pool(), node.ip(), node.maxPods());
        }
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
