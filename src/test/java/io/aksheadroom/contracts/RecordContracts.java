package io.aksheadroom.contracts;

import io.aksheadroom.json.DataSchema;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.Record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Every record the service publishes, checked against its schema wherever a test reads it: the schemas are what
 * consumers code against, so a record that leaves them fails the test that saw it. Its {@code ce_dataschema} must
 * name that schema (on every record but a dead letter, whose value is the input's), and an alert's runbook must
 * exist. The service's records are those with its {@code ce_source}; records a test wrote itself (hostile input among
 * them) are not the contract's.
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
            "aks-headroom.dead-letter.v1", "dead-letter.v1.schema.json",
            "aks-headroom.action.v1", "action.v1.schema.json");
    private static final String DEAD_LETTER = "aks-headroom.dead-letter.v1";
    private static final String LB_METRICS = "aks-headroom.lb-metrics.v1";
    private static final String LB_MINUTE = "lb-minute.v1.schema.json";
    private static final String ALERT = "aks-headroom.alert.v1";
    private static final Path RUNBOOKS = Path.of("docs/runbooks");

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
        if (LB_METRICS.equals(type) && (Contracts.BASE + LB_MINUTE).equals(cloudEvent.get("ce_dataschema"))) {
            // The topic carries two forms under one type: a sample per record, or a load balancer's whole minute.
            schema = LB_MINUTE;
        }
        if (schema == null) {
            throw new AssertionError(where + ": ce_type " + type + " has no schema in docs/schemas");
        }
        if (type.equals(DEAD_LETTER)) {
            // The value is the input's own, unchanged: the envelope is the contract.
            fail(where + " envelope", Contracts.strict().errors(schema, Contracts.JSON.valueToTree(deadLetter)
                    .toString()));
            return;
        }
        if (!(Contracts.BASE + schema).equals(cloudEvent.get("ce_dataschema"))) {
            throw new AssertionError(where + ": ce_dataschema " + cloudEvent.get("ce_dataschema") + " of a " + type
                    + " record, where its schema is " + Contracts.BASE + schema);
        }
        if (record.value() != null) {
            fail(where + " (" + type + ")", Contracts.strict().errors(schema, record.value()));
            if (type.equals(ALERT)) {
                assertRunbookExists(where, record.value());
            }
        }
    }

    /** Its runbook_url ends in a page of docs/runbooks, whatever the base it was given. */
    private static void assertRunbookExists(String where, String alert) {
        String url;
        try {
            url = Contracts.JSON.readTree(alert).path("runbook_url").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String page = url.substring(url.lastIndexOf('/') + 1);
        if (!Files.isRegularFile(RUNBOOKS.resolve(page))) {
            throw new AssertionError(where + ": runbook_url " + url + " names no page of " + RUNBOOKS);
        }
    }

    /** Fails when a record handed to a channel, read before it reaches Kafka, breaks the contract of {@code schema}. */
    public static void assertValid(DataSchema schema, Message<Record<String, String>> message) {
        Object named = message.getMetadata(OutgoingCloudEventMetadata.class)
                .flatMap(OutgoingCloudEventMetadata::getDataSchema).orElse(null);
        if (!schema.id().equals(named)) {
            throw new AssertionError("ce_dataschema " + named + " where the record's schema is " + schema.id());
        }
        if (message.getPayload().value() != null) {
            fail(schema.file(), Contracts.strict().errors(schema.file(), message.getPayload().value()));
        }
    }

    private static void fail(String what, List<String> errors) {
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " breaks its schema in docs/schemas: " + errors);
        }
    }
}
