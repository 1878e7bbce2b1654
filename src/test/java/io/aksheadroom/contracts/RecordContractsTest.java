package io.aksheadroom.contracts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The check every test's reads go through: it fails the service's broken records and only those. */
class RecordContractsTest {

    private static final ObjectNode ALERT = (ObjectNode) Contracts.read(Contracts.DIRECTORY.resolve(
            "alert.v1.schema.json")).path("examples").get(0);

    private static ConsumerRecord<String, String> record(String topic, String value, Map<String, String> headers) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 7L, "key", value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static Map<String, String> cloudEvent(String type) {
        Map<String, String> headers = new HashMap<>(Map.of("ce_specversion", "1.0", "ce_id", "id-1", "ce_source",
                RecordContracts.SOURCE, "ce_type", type, "ce_subject", "c1", "ce_time", "2026-12-07T10:00:00Z"));
        String schema = RecordContracts.SCHEMAS.get(type);
        if (schema != null && !type.endsWith(".dead-letter.v1")) {
            headers.put("ce_dataschema", Contracts.BASE + schema);
        }
        return headers;
    }

    @Test
    void theServicesRecordsMustKeepTheirSchema() {
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.alerts", ALERT.toString(),
                cloudEvent("aks-headroom.alert.v1"))));
        ObjectNode broken = ALERT.deepCopy();
        broken.remove("severity");
        AssertionError error = assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record(
                "aks.alerts", broken.toString(), cloudEvent("aks-headroom.alert.v1"))));
        assertTrue(error.getMessage().contains("severity"), error.getMessage());
        ObjectNode undocumented = ALERT.deepCopy();
        undocumented.put("undocumented", true);
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts",
                undocumented.toString(), cloudEvent("aks-headroom.alert.v1"))), "a field the schema does not name");
    }

    @Test
    void theyNameTheirSchemaAndAnAlertItsRunbook() {
        Map<String, String> unnamed = cloudEvent("aks-headroom.alert.v1");
        unnamed.remove("ce_dataschema");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts", ALERT.toString(),
                unnamed)), "a record without its ce_dataschema");
        Map<String, String> misnamed = cloudEvent("aks-headroom.alert.v1");
        misnamed.put("ce_dataschema", Contracts.BASE + "recommendation.v1.schema.json");
        AssertionError error = assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record(
                "aks.alerts", ALERT.toString(), misnamed)));
        assertTrue(error.getMessage().contains("ce_dataschema"), error.getMessage());
        Map<String, String> tombstone = cloudEvent("aks-headroom.recommendation.v1");
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.recommendations", null, tombstone)),
                "a tombstone names the schema of its topic's records");
        tombstone.remove("ce_dataschema");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.recommendations", null,
                tombstone)));
        Map<String, String> deadLetter = cloudEvent("aks-headroom.dead-letter.v1");
        deadLetter.putAll(Map.of("dead-letter-reason", "malformed JSON", "dead-letter-topic", "aks.lb-metrics",
                "dead-letter-partition", "3", "dead-letter-offset", "41"));
        deadLetter.put("ce_dataschema", Contracts.BASE + "lb-metrics.v1.schema.json");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.dead-letter", "{not json",
                deadLetter)), "a dead letter's value follows no schema of the service's");

        ObjectNode elsewhere = ALERT.deepCopy();
        elsewhere.put("runbook_url", "https://wiki.example.com/runbooks/SnatExhaustionProjected.md");
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.alerts", elsewhere.toString(),
                cloudEvent("aks-headroom.alert.v1"))), "any base, as configured");
        ObjectNode nowhere = ALERT.deepCopy();
        nowhere.put("runbook_url", "https://wiki.example.com/runbooks/NoSuchAlert.md");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts", nowhere.toString(),
                cloudEvent("aks-headroom.alert.v1"))), "a page docs/runbooks does not have");
        ObjectNode none = ALERT.deepCopy();
        none.remove("runbook_url");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts", none.toString(),
                cloudEvent("aks-headroom.alert.v1"))), "an alert without its runbook");
    }

    @Test
    void theirHeadersAndEnvelopesToo() {
        Map<String, String> noId = cloudEvent("aks-headroom.alert.v1");
        noId.remove("ce_id");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts", ALERT.toString(),
                noId)));
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.alerts", ALERT.toString(),
                cloudEvent("aks-headroom.unknown.v1"))), "a record type without a schema");
        Map<String, String> deadLetter = cloudEvent("aks-headroom.dead-letter.v1");
        deadLetter.putAll(Map.of("dead-letter-reason", "malformed JSON", "dead-letter-topic", "aks.lb-metrics",
                "dead-letter-partition", "3", "dead-letter-offset", "41"));
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.dead-letter", "{not json", deadLetter)),
                "a dead letter's value is the input's, whatever it is");
        deadLetter.remove("dead-letter-reason");
        assertThrows(AssertionError.class, () -> RecordContracts.assertValid(record("aks.dead-letter", "{not json",
                deadLetter)), "a dead letter says why");
    }

    @Test
    void recordsTheTestsWroteThemselvesAreNotTheContracts() {
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.lb-metrics", "{not json", Map.of())));
        assertDoesNotThrow(() -> RecordContracts.assertValid(record("aks.alerts", "{}", Map.of("ce_source",
                "someone-else"))));
    }
}
