package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.OutgoingRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Records the pipeline cannot use go to the dead-letter topic unchanged (or, when oversized, the first bytes of their
 * value and key), with the reason and their origin in headers named as the connector's own dead-letter strategy names
 * them. The CloudEvents id is that origin, so a record dead-lettered again after a replay is known for the same one.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String TRUNCATED = "dead-letter-truncated";
    public static final String KEY_TRUNCATED = "dead-letter-key-truncated";
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final PipelineMetrics metrics;

    public DeadLetterPublisher(@Channel(Channels.DEAD_LETTER) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 10_000) MutinyEmitter<Record<String, String>> emitter, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /**
     * The most of a value a dead letter keeps. With its key and headers the record stays under 1 MiB, what a producer
     * sends and a broker takes by default: a dead letter that does not fit is lost, and with it the reason.
     */
    static final int MAX_KEPT_BYTES = 1024 * 1024 - 16 * 1024;

    /**
     * The most of a key a dead letter keeps, in the key and the CloudEvents subject: with the headers, within the
     * 16 KiB {@link #MAX_KEPT_BYTES} leaves.
     */
    static final int MAX_KEPT_KEY_BYTES = 4 * 1024;

    /**
     * Sends {@code record} with {@code reason}; values above {@code maxBytes} (or {@link #MAX_KEPT_BYTES}) keep only
     * their first bytes, cut on a character boundary. {@code hold} learns when the broker has it.
     */
    public void send(ConsumerRecord<String, String> record, String reason, int maxBytes, OutputLedger.Hold hold) {
        metrics.deadLettered(record.topic(), reasonKind(reason));
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        String value = record.value() == null ? null : firstBytes(record.value(), Math.min(maxBytes, MAX_KEPT_BYTES));
        if (value != null && value.length() < record.value().length()) {
            headers.add(TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
        }
        String key = record.key() == null ? null : firstBytes(record.key(), MAX_KEPT_KEY_BYTES);
        if (key != null && key.length() < record.key().length()) {
            headers.add(KEY_TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
        }
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        // No time: the connector stamps the moment the record is refused. No data schema: the value is the input's.
        Message<Record<String, String>> letter = OutgoingRecords.verbatim(null, key, value == null ? "" : value,
                origin, key, null);
        hold.send(() -> emitter.sendMessage(letter.addMetadata(OutgoingKafkaRecordMetadata.builder()
                .withHeaders(headers).build())), () -> { },
                failure -> LOG.errorf(failure, "Could not dead-letter %s (%s)", origin, reason));
    }

    /** The longest prefix of {@code text} whose UTF-8 form has at most {@code limit} bytes. */
    static String firstBytes(String text, int limit) {
        // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): most values need no encoding to know.
        if ((long) text.length() * 3 <= limit) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limit) {
            return text;
        }
        int end = limit;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A bounded label for metrics: the reason's first words, not its variable details. */
    static String reasonKind(String reason) {
        int colon = reason.indexOf(':');
        return (colon > 0 ? reason.substring(0, colon) : reason).trim();
    }
}
