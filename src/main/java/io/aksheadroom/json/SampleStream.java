package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    /** Where the backend's fields start among {@link #NAMES}. */
    private static final int BACKEND = 2;
    private static final int REQUIRED = 1 << CLUSTER_ID | 1 << AT;
    /** The field names by index, in the order {@link EventJson.SnatSampleWire} writes them. */
    private static final SerializedString[] NAMES;

    static {
        String[] names = new String[BACKEND + StreamedFields.Backend.NAMES.length];
        names[CLUSTER_ID] = "clusterId";
        names[AT] = "at";
        System.arraycopy(StreamedFields.Backend.NAMES, 0, names, BACKEND, StreamedFields.Backend.NAMES.length);
        NAMES = StreamedFields.names(names);
    }

    private SampleStream() {
    }

    /** The sample, or null when the tree must decide (see the class comment). */
    static SnatSample read(ObjectMapper mapper, String value) {
        // The mapper's own parser: the same read features and limits (number length, nesting) as its readTree.
        try (JsonParser parser = mapper.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String[] texts = new String[AT + 1];
            StreamedFields.Backend backend = new StreamedFields.Backend(parser);
            int seen = StreamedFields.object(parser, NAMES, (field, token) -> {
                if (field >= BACKEND) {
                    return backend.take(field - BACKEND, token);
                }
                texts[field] = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                return texts[field] != null;
            });
            if (seen < 0 || (seen & REQUIRED) != REQUIRED || texts[CLUSTER_ID].isBlank() || !backend.complete()
                    || parser.nextToken() != null) {
                return null;
            }
            Instant at = Fields.canonicalUtc(texts[AT]);
            return backend.sample(texts[CLUSTER_ID], at != null ? at : Instant.parse(texts[AT]));
        } catch (IOException | RuntimeException e) {
            // Malformed JSON, a value the sample refuses: the tree reads it again and gives its own error.
            return null;
        }
    }
}
