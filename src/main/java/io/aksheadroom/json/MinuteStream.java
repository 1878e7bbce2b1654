package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.Protocol;
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

    private static final int BACKEND_IP = 0;
    private static final int PROTOCOL = 1;
    private static final int ALLOCATED = 2;
    private static final int USED = 3;
    private static final int FAILED = 4;
    private static final int BACKEND_REQUIRED = 1 << BACKEND_IP | 1 << ALLOCATED | 1 << USED;
    private static final SerializedString[] BACKEND_NAMES = StreamedFields.names("backendIp", "protocol",
            "allocatedSnatPorts", "usedSnatPorts", "failedConnections");

    /** One backend as read, before the record's cluster and minute are known (they may come after the samples). */
    private record Backend(String ip, String protocol, long allocated, long used, Long failed) {
    }

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
            List<Backend> backends = null;
            int seen = 0;
            for (int field = StreamedFields.next(parser, NAMES, 0); field != StreamedFields.END;
                    field = StreamedFields.next(parser, NAMES, field + 1)) {
                if (field == StreamedFields.UNKNOWN || (seen & 1 << field) != 0) {
                    return null;
                }
                seen |= 1 << field;
                JsonToken token = parser.nextToken();
                if (field == SAMPLES) {
                    backends = token == JsonToken.START_ARRAY ? backends(parser) : null;
                    if (backends == null) {
                        return null;
                    }
                } else if (token == JsonToken.VALUE_STRING) {
                    texts[field] = parser.getText();
                } else if (!(field == LOAD_BALANCER && token == JsonToken.VALUE_NULL)) {
                    return null; // a null balancer is an absent one to the tree
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || (seen & REQUIRED) != REQUIRED
                    || texts[CLUSTER_ID].isBlank() || parser.nextToken() != null) {
                return null;
            }
            String clusterId = texts[CLUSTER_ID];
            Instant canonical = Fields.canonicalUtc(texts[AT]);
            Instant at = canonical != null ? canonical : Instant.parse(texts[AT]);
            List<SnatSample> samples = new ArrayList<>(backends.size());
            for (Backend b : backends) {
                samples.add(new SnatSample(clusterId, at, b.ip(), b.protocol() == null ? null
                        : Protocol.fromWire(b.protocol()), b.allocated(), b.used(), b.failed()));
            }
            return new LoadBalancerMinute(clusterId, at, texts[LOAD_BALANCER], samples);
        } catch (IOException | RuntimeException e) {
            // Malformed JSON, a value a sample or the minute refuses: the tree reads it again and gives its own error.
            return null;
        }
    }

    /** The backends of the samples array, the parser on its start; null when the tree must decide. */
    private static List<Backend> backends(JsonParser parser) throws IOException {
        List<Backend> backends = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            Backend backend = token == JsonToken.START_OBJECT ? backend(parser) : null;
            if (backend == null) {
                return null;
            }
            backends.add(backend);
        }
        return backends;
    }

    /** One backend object, the parser on its start; null when the tree must decide. */
    private static Backend backend(JsonParser parser) throws IOException {
        String ip = null;
        String protocol = null;
        long[] numbers = new long[FAILED + 1];
        int seen = 0;
        int nulls = 0;
        for (int field = StreamedFields.next(parser, BACKEND_NAMES, 0); field != StreamedFields.END;
                field = StreamedFields.next(parser, BACKEND_NAMES, field + 1)) {
            if (field == StreamedFields.UNKNOWN || (seen & 1 << field) != 0) {
                return null;
            }
            seen |= 1 << field;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL && (field == PROTOCOL || field == FAILED)) {
                nulls |= 1 << field; // absent and null are the same to the tree
            } else if (field == BACKEND_IP && token == JsonToken.VALUE_STRING) {
                ip = parser.getText();
            } else if (field == PROTOCOL && token == JsonToken.VALUE_STRING) {
                protocol = parser.getText();
            } else if (field >= ALLOCATED && token == JsonToken.VALUE_NUMBER_INT && StreamedFields.fitsLong(parser)) {
                numbers[field] = parser.getLongValue();
            } else {
                return null;
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || (seen & BACKEND_REQUIRED) != BACKEND_REQUIRED
                || ip.isBlank()) {
            return null;
        }
        return new Backend(ip, protocol, numbers[ALLOCATED], numbers[USED],
                (seen & ~nulls & 1 << FAILED) != 0 ? numbers[FAILED] : null);
    }
}
