package io.aksheadroom.contracts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Every record the service publishes, checked against its schema wherever a test reads it: the schemas are what
 * consumers code against, so a record that leaves them fails the test that saw it. The service's records are those
 * with its {@code ce_source}; records a test wrote itself (hostile input among them) are not the contract's.
 */
public final class RecordContracts {

    public static final String SOURCE = "aks-headroom";
    /** The schema of each record type, by its {@code ce_type}. */
    static final Map<String, String> SCHEMAS = Map.of(
            "aks-headroom.recommendation.v1", "recommendation.v1.schema.json",
            "aks-headroom.alert.v1", "alert.v1.schema.json",
            "aks-headroom.lb-metrics.v1", "lb-metrics.v1.schema.json",
            "aks-headroom.natgw-metrics.v1", "natgw-metrics.v1.schema.json",
            "aks-headroom.node-event.v1", "node-event.v1.schema.json",
            "aks-headroom.cluster-profile.v1", "cluster-profile.v1.schema.json",
            "aks-headroom.dead-letter.v1", "dead-letter.v1.schema.json");
    private static final String DEAD_LETTER = "aks-headroom.dead-letter.v1";

    private RecordContracts() {
    }

    /** Fails when {@code record} is the service's and breaks its contract; other records pass untouched. */
    public static void assertValid(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new TreeMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        if (!SOURCE.equals(headers.get("ce_source"))) {
            return;
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        Map<String, String> cloudEvent = new TreeMap<>();
        Map<String, String> deadLetter = new TreeMap<>();
        headers.forEach((name, value) -> (name.startsWith("ce_") ? cloudEvent : deadLetter).put(name, value));
        fail(where + " headers", Contracts.strict().errors("cloudevents-headers.v1.schema.json",
                Contracts.JSON.valueToTree(cloudEvent).toString()));
        String type = cloudEvent.get("ce_type");
        String schema = SCHEMAS.get(type);
        if (schema == null) {
            throw new AssertionError(where + ": ce_type " + type + " has no schema in docs/schemas");
        }
        if (type.equals(DEAD_LETTER)) {
            // The value is the input's own, unchanged: the envelope is the contract.
            fail(where + " envelope", Contracts.strict().errors(schema, Contracts.JSON.valueToTree(deadLetter)
                    .toString()));
        } else if (record.value() != null) {
            fail(where + " (" + type + ")", Contracts.strict().errors(schema, record.value()));
        }
    }

    /** Fails when {@code json} breaks the schema {@code schema}, for records read before they reach Kafka. */
    public static void assertValid(String schema, String json) {
        fail(schema, Contracts.strict().errors(schema, json));
    }

    private static void fail(String what, List<String> errors) {
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " breaks its schema in docs/schemas: " + errors);
        }
    }
}
