package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.io.IOException;
import java.time.Instant;

/**
 * The {@code aks.lb-metrics} record read token by token, for the form its producers write
 * ({@link EventJson.SnatSampleWire}: the sample's fields once each, in their own case, strings and integers), without
 * building a JSON tree per record: this read is on the pipeline's path for every sample.
 *
 * <p>It reads only what it can read exactly as {@link EventJson#parseSample(com.fasterxml.jackson.databind.JsonNode)}
 * reads {@code mapper.readTree(value)}, and answers null for everything else, which the tree then reads: a field it
 * does not know (the tree ignores it, but it may be a case variant the tree matches, or hold what the tree refuses), a
 * repeated field (the tree keeps the last), a value of another type (a number as a string, a float, a null where one is
 * required), content after the object (refused or not by the mapper's settings), and every error, malformed JSON
 * included. So what is accepted, the values read and every refusal with its message stay the tree's.
 */
final class SampleStream {

    private static final int CLUSTER_ID = 0;
    private static final int AT = 1;
    private static final int BACKEND_IP = 2;
    private static final int PROTOCOL = 3;
    private static final int ALLOCATED = 4;
    private static final int USED = 5;
    private static final int FAILED = 6;
    private static final int REQUIRED = 1 << CLUSTER_ID | 1 << AT | 1 << BACKEND_IP | 1 << ALLOCATED | 1 << USED;
    /** The field names by index, in the order {@link EventJson.SnatSampleWire} writes them. */
    private static final SerializedString[] NAMES = StreamedFields.names("clusterId", "at", "backendIp", "protocol",
            "allocatedSnatPorts", "usedSnatPorts", "failedConnections");

    private SampleStream() {
    }

    /** The sample, or null when the tree must decide (see the class comment). */
    static SnatSample read(ObjectMapper mapper, String value) {
        // The mapper's own parser: the same read features and limits (number length, nesting) as its readTree.
        try (JsonParser parser = mapper.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String[] texts = new String[PROTOCOL + 1];
            long[] numbers = new long[FAILED + 1];
            int seen = 0;
            int nulls = 0;
            for (int field = StreamedFields.next(parser, NAMES, 0); field != StreamedFields.END;
                    field = StreamedFields.next(parser, NAMES, field + 1)) {
                if (field == StreamedFields.UNKNOWN || (seen & 1 << field) != 0) {
                    return null;
                }
                seen |= 1 << field;
                JsonToken token = parser.nextToken();
                if (token == JsonToken.VALUE_NULL && (field == PROTOCOL || field == FAILED)) {
                    nulls |= 1 << field; // absent and null are the same to the tree
                } else if (field <= PROTOCOL && token == JsonToken.VALUE_STRING) {
                    texts[field] = parser.getText();
                } else if (field >= ALLOCATED && token == JsonToken.VALUE_NUMBER_INT
                        && StreamedFields.fitsLong(parser)) {
                    numbers[field] = parser.getLongValue();
                } else {
                    return null;
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || (seen & REQUIRED) != REQUIRED
                    || texts[CLUSTER_ID].isBlank() || texts[BACKEND_IP].isBlank() || parser.nextToken() != null) {
                return null;
            }
            Instant at = Fields.canonicalUtc(texts[AT]);
            return new SnatSample(texts[CLUSTER_ID], at != null ? at : Instant.parse(texts[AT]), texts[BACKEND_IP],
                    texts[PROTOCOL] == null ? null : Protocol.fromWire(texts[PROTOCOL]), numbers[ALLOCATED],
                    numbers[USED], (seen & ~nulls & 1 << FAILED) != 0 ? numbers[FAILED] : null);
        } catch (IOException | RuntimeException e) {
            // Malformed JSON, a value the sample refuses: the tree reads it again and gives its own error.
            return null;
        }
    }
}
