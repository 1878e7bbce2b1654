package io.aksheadroom.pipeline;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.Record;

import java.time.Instant;
import java.time.ZoneOffset;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A fresh keyed record with CloudEvents attributes of its own; type and source come from the channel's configuration.
 * Fresh, never derived from an incoming message, so nothing an input carries can redirect an output.
 */
final class OutgoingRecords {

    private OutgoingRecords() {
    }

    /** {@code id} names this record so a subscriber can drop a replayed duplicate; {@code time} is event time. */
    static Message<Record<String, String>> of(String key, String value, String id, String subject, Instant time) {
        return Message.of(Record.of(key, value)).addMetadata(OutgoingCloudEventMetadata.builder().withId(id)
                .withSubject(subject).withTimestamp(time.atZone(ZoneOffset.UTC)).build());
    }
}
