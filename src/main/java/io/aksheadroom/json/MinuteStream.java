package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.SnatSample;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code aks.lb-metrics} record of a load balancer's minute read token by token, for the form the poller writes
 * ({@link EventJson.LoadBalancerMinuteWire}), without building a JSON tree: this read is on the pipeline's path for
 * every minute of every load balancer.
 *
 * <p>As {@link SampleStream} does for the one-sample form, it reads only what it can read exactly as
 * {@link EventJson#parseLbMetrics(com.fasterxml.jackson.databind.JsonNode)} reads {@code mapper.readTree(value)}, and
 * answers null for everything else, which the tree then reads: a field it does not know, a repeated field, a value
 * of another type, content after the object, and every error. So what is accepted, the values read and every
 * refusal with its message stay the tree's.
 */
final class MinuteStream {

    private static final int CLUSTER_ID = 0;
    private static final int AT = 1;
    private static final int LOAD_BALANCER = 2;
    private static final int SAMPLES = 3;
    private static final int REQUIRED = 1 << CLUSTER_ID | 1 << AT | 1 << SAMPLES;
    private static final SerializedString[] NAMES = StreamedFields.names("clusterId", "at", "loadBalancer",
            "samples");
    private static final SerializedString[] BACKEND_NAMES = StreamedFields.names(StreamedFields.Backend.NAMES);

    private MinuteStream() {
    }

    /** The minute, or null when the tree must decide (see the class comment). */
    static LoadBalancerMinute read(ObjectMapper mapper, String value) {
        // The mapper's own parser: the same read features and limits (number length, nesting) as its readTree.
        try (JsonParser parser = mapper.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String[] texts = new String[LOAD_BALANCER + 1];
            Samples samples = new Samples(parser);
            int seen = StreamedFields.object(parser, NAMES, (field, token) -> {
                if (field == SAMPLES) {
                    return token == JsonToken.START_ARRAY && samples.read(texts[CLUSTER_ID], texts[AT]);
                }
                if (token == JsonToken.VALUE_STRING) {
                    texts[field] = parser.getText();
                    return true;
                }
                return field == LOAD_BALANCER && token == JsonToken.VALUE_NULL; // a null balancer is an absent one
            });
            if (seen < 0 || (seen & REQUIRED) != REQUIRED || texts[CLUSTER_ID].isBlank() || parser.nextToken() != null) {
                return null;
            }
            String clusterId = texts[CLUSTER_ID];
            Instant at = instant(texts[AT]);
            return new LoadBalancerMinute(clusterId, at, texts[LOAD_BALANCER], samples.of(clusterId, at));
        } catch (IOException | RuntimeException e) {
            // Malformed JSON, a value a sample or the minute refuses: the tree reads it again and gives its own error.
            return null;
        }
    }

    private static Instant instant(String text) {
        Instant canonical = Fields.canonicalUtc(text);
        return canonical != null ? canonical : Instant.parse(text);
    }

    /**
     * The samples array. When the record's cluster and minute came before it (as the poller writes them), each backend
     * becomes its sample as soon as it is read, through one reused reader; else the backends are kept as read until
     * the cluster and minute are known.
     */
    private static final class Samples {

        private final JsonParser parser;
        private final List<SnatSample> samples = new ArrayList<>();
        private final List<StreamedFields.Backend> pending = new ArrayList<>();

        Samples(JsonParser parser) {
            this.parser = parser;
        }

        /** Reads the array, the parser on its start; false when the tree must decide. */
        boolean read(String clusterId, String atText) throws IOException {
            Instant at = clusterId == null || atText == null ? null : instant(atText);
            StreamedFields.Backend backend = new StreamedFields.Backend(parser);
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    return false;
                }
                backend.clear();
                if (StreamedFields.object(parser, BACKEND_NAMES, backend::take) < 0 || !backend.complete()) {
                    return false;
                }
                if (at != null) {
                    samples.add(backend.sample(clusterId, at));
                } else {
                    pending.add(backend.copy());
                }
            }
            return true;
        }

        /** Every sample, once the record's cluster and minute are known. */
        List<SnatSample> of(String clusterId, Instant at) {
            if (pending.isEmpty()) {
                return samples;
            }
            List<SnatSample> all = new ArrayList<>(pending.size());
            for (StreamedFields.Backend backend : pending) {
                all.add(backend.sample(clusterId, at));
            }
            return all;
        }
    }
}
