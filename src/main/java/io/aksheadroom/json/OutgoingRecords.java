package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.SnatSample;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadataBuilder;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Objects;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Every record the service writes to Kafka is made here: its key, its value written by databind (in the forms of
 * {@link DomainJsonModule}), and CloudEvents attributes of its own; type and source come from the channel's
 * configuration. Fresh, never derived from an incoming message, so nothing an input carries can redirect an output.
 *
 * <p>The id names the record so that a subscriber can drop a replayed or re-sent duplicate: the same id is the same
 * content. The subject is the cluster; the time is the event time the record is about; the data schema is the JSON
 * Schema of the record's kind (docs/schemas), a tombstone's included, so a consumer can pick its reader by it.
 */
@Singleton
public class OutgoingRecords {

    private final ObjectMapper mapper;

    public OutgoingRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * {@code value}, a record of {@code schema}, written by databind, or a tombstone when null; {@code subject} and
     * {@code time} may be null.
     */
    public Message<Record<String, String>> of(DataSchema schema, String key, Object value, String id, String subject,
            Instant time) {
        return verbatim(schema, key, value == null ? null : write(value), id, subject, time);
    }

    /**
     * A record whose value is kept as it is, not written again; a null {@code schema} when the value follows none of
     * the service's (a dead letter keeps the bytes it was refused for). A null {@code time} leaves it to the
     * connector, which stamps the moment of sending.
     */
    public static Message<Record<String, String>> verbatim(DataSchema schema, String key, String value, String id,
            String subject, Instant time) {
        OutgoingCloudEventMetadataBuilder<Object> attributes = OutgoingCloudEventMetadata.builder().withId(id)
                .withSubject(subject);
        if (schema != null) {
            attributes.withDataSchema(schema.id());
        }
        if (time != null) {
            attributes.withTimestamp(time.atZone(ZoneOffset.UTC));
        }
        return Message.of(Record.of(key, value)).addMetadata(attributes.build());
    }

    /** A minute of one backend and protocol is one sample: sent again after a failure, it is the same record. */
    public Message<Record<String, String>> of(SnatSample sample) {
        return of(DataSchema.LB_METRICS, sample.clusterId(), sample, sample.clusterId() + "/" + sample.backendIp() + "/"
                + sample.protocol().name() + "/" + sample.at(), sample.clusterId(), sample.at());
    }

    /**
     * A load balancer's minute, or a part of it. The id ends in a digest of the content: a minute too large for one
     * record goes out in parts of the same cluster, balancer and minute.
     */
    public Message<Record<String, String>> of(LoadBalancerMinute minute) {
        String value = write(minute);
        String id = minute.clusterId() + "/" + Objects.requireNonNullElse(minute.loadBalancer(), "lb") + "/"
                + minute.at() + "/" + digest(value);
        return verbatim(DataSchema.LB_MINUTE, minute.clusterId(), value, id, minute.clusterId(), minute.at());
    }

    /** A minute of one NAT gateway is one sample. */
    public Message<Record<String, String>> of(NatGatewaySample sample) {
        return of(DataSchema.NATGW_METRICS, sample.clusterId(), sample, sample.clusterId() + "/" + sample.resourceId()
                + "/" + sample.at(), sample.clusterId(), sample.at());
    }

    /**
     * The id ends in a digest of the content: the node watcher may say twice that a node was added at its creation
     * time, with its pool or address changed in between, and a subscriber must not drop the second as a duplicate.
     */
    public Message<Record<String, String>> of(NodeEvent event) {
        String value = write(event);
        String id = event.clusterId() + "/" + event.type().wireName() + "/" + event.at() + "/" + digest(value);
        return verbatim(DataSchema.NODE_EVENT, event.clusterId(), value, id, event.clusterId(), event.at());
    }

    /** A profile as it stood at {@code at}. */
    public Message<Record<String, String>> of(ClusterProfile profile, Instant at) {
        return of(DataSchema.CLUSTER_PROFILE, profile.clusterId(), profile, profile.clusterId() + "/profile/" + at,
                profile.clusterId(), at);
    }

    /** The JSON of {@code value} as every record carries it. */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("every record of the service serializes: " + value.getClass(), e);
        }
    }

    /** The first 16 hex digits of the SHA-256 of {@code text}. */
    public static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
