package io.aksheadroom.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.config.Channels;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.monitor.ClusterEvent;
import io.aksheadroom.monitor.Outcome;
import io.aksheadroom.monitor.UnknownClusterException;
import io.aksheadroom.json.EventJson;
import io.aksheadroom.json.ProfileJson;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The one consumer of the input topics: parses each record by its topic into a profile or a {@link ClusterEvent},
 * hands it to the fleet through its {@link SilentReplays} and publishes what changed. Bad records go to the
 * dead-letter topic with the reason; the stream goes on.
 */
@ApplicationScoped
public class ClusterEventsListener {

    private static final Logger LOG = Logger.getLogger(ClusterEventsListener.class);

    // The beans called for every record (the replays, the sink, the replay tracker, the metrics) are @Singleton:
    // through an @ApplicationScoped bean's client proxy each call would look the instance up in the application
    // context. They need no proxy: nothing intercepts them and no dependency cycle runs through them.
    private final SilentReplays<ConsumerRecord<String, String>> replays;
    private final TopicsConfig topics;
    private final PipelineConfig config;
    private final ObjectMapper mapper;
    private final OutcomeSink sink;
    private final DeadLetterPublisher deadLetters;
    private final ReplayTracker replay;
    private final OutputLedger ledger;
    private final PipelineMetrics metrics;
    private final StateSnapshots snapshots;
    private final Clock clock;

    public ClusterEventsListener(SilentReplays<ConsumerRecord<String, String>> replays, TopicsConfig topics,
            PipelineConfig config, ObjectMapper mapper, OutcomeSink sink, DeadLetterPublisher deadLetters,
            ReplayTracker replay, OutputLedger ledger, PipelineMetrics metrics, StateSnapshots snapshots, Clock clock) {
        this.replays = replays;
        this.topics = topics;
        this.config = config;
        this.mapper = mapper;
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.replay = replay;
        this.ledger = ledger;
        this.metrics = metrics;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    // Ordered: a cluster's records must be applied in the order of their partition. A whole poll at a time
    // (batch=true): one record per message costs more in the messaging layer's hand-off to a worker thread, context
    // propagation and acknowledgement than parsing and applying the record.
    @Incoming(Channels.CLUSTER_EVENTS)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) {
        snapshots.batchStarted();
        // Partition by partition, as the records' own iteration order is: each partition's TopicPartition is then
        // the poll's own instance (its hash cached), not a new one per record for the replay tracker's lookups.
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, String> record : records.records(partition)) {
                consume(partition, record);
            }
        }
        replay.polled(records.nextOffsets());
        snapshots.afterPoll();
    }

    private void consume(TopicPartition partition, ConsumerRecord<String, String> record) {
        ReplayTracker.Admission admission = replay.admit(partition, record.offset());
        if (admission == ReplayTracker.Admission.SKIP) {
            return;
        }
        if (admission != ReplayTracker.Admission.PAST_END) {
            // Replayed records were published by the previous owner, whose marker covered them: nothing waits on them.
            OutputLedger.Hold hold = admission == ReplayTracker.Admission.LIVE
                    ? ledger.record(partition, record.offset()) : OutputLedger.NONE;
            try {
                process(record, hold);
            } finally {
                hold.close();
            }
        }
        replay.passed(partition, record.offset() + 1);
    }

    private void process(ConsumerRecord<String, String> record, OutputLedger.Hold hold) {
        long started = System.nanoTime();
        metrics.consumed(record.topic());
        try {
            String problem = refusal(record);
            if (problem != null) {
                deadLetters.send(record, problem, config.maxRecordBytes(), hold);
            } else {
                sink.publish(apply(record), hold);
            }
        } catch (JsonProcessingException e) {
            deadLetters.send(record, "malformed JSON: " + e.getOriginalMessage(), config.maxRecordBytes(), hold);
        } catch (InvalidInputException e) {
            deadLetters.send(record, "invalid value: " + e.getMessage(), config.maxRecordBytes(), hold);
        } catch (UnknownClusterException e) {
            deadLetters.send(record, "unknown cluster: " + e.clusterId(), config.maxRecordBytes(), hold);
        } catch (RuntimeException e) {
            // A bug must not stop the stream for every other cluster: the record is kept for a human to replay.
            LOG.errorf(e, "Failed on %s-%d@%d", record.topic(), record.partition(), record.offset());
            deadLetters.send(record, "internal error: " + e, config.maxRecordBytes(), hold);
        } finally {
            metrics.processed(System.nanoTime() - started);
        }
    }

    private String refusal(ConsumerRecord<String, String> record) {
        // Bytes as Kafka carried them, not characters: a value of multi-byte characters is up to 4 times its length.
        if (record.value() != null && record.serializedValueSize() > config.maxRecordBytes()) {
            return "oversized: " + record.serializedValueSize() + " bytes, the limit is " + config.maxRecordBytes();
        }
        if (record.key() == null || record.key().isBlank()) {
            return "missing key: input records are keyed by clusterId";
        }
        if (record.serializedKeySize() > config.maxKeyBytes()) {
            return "oversized key: " + record.serializedKeySize() + " bytes, the limit is " + config.maxKeyBytes();
        }
        return null;
    }

    private Outcome apply(ConsumerRecord<String, String> record) throws JsonProcessingException {
        String clusterId = record.key();
        InputTopic topic = InputTopic.of(record.topic(), topics);
        if (topic == InputTopic.PROFILES) {
            Instant recordTime = Instant.ofEpochMilli(record.timestamp());
            if (record.value() == null) {
                return replays.forget(clusterId, record.partition(), recordTime);
            }
            JsonNode json = mapper.readTree(record.value());
            ClusterProfile profile = ProfileJson.parse(json);
            requireKeyMatches(clusterId, json.hasNonNull("clusterId") ? profile.clusterId() : null);
            return replays.profile(clusterId, record.partition(), withId(profile, clusterId), recordTime,
                    record.value());
        }
        ClusterEvent event = parse(topic, Objects.requireNonNullElse(record.value(), ""));
        requireKeyMatches(clusterId, event.clusterId());
        return replays.apply(record.partition(), event, record, clock.instant());
    }

    private ClusterEvent parse(InputTopic topic, String value) throws JsonProcessingException {
        return switch (topic) {
            case NODE_EVENTS -> EventJson.parseNodeEvent(mapper.readTree(value));
            case LB_METRICS -> EventJson.parseLbMetrics(mapper, value);
            case NATGW_METRICS -> EventJson.parseNatGatewaySample(mapper.readTree(value));
            case PROFILES -> throw new IllegalArgumentException("a profile is not an event");
        };
    }

    /** Co-partitioning rests on the key: a body naming another cluster would land in the wrong instance. */
    private static void requireKeyMatches(String key, String clusterId) {
        if (clusterId != null && !clusterId.equals(key)) {
            throw new InvalidInputException("clusterId", "'" + clusterId + "' differs from the record key '" + key
                    + "'; records are keyed by clusterId");
        }
    }

    static ClusterProfile withId(ClusterProfile profile, String clusterId) {
        return profile.clusterId().equals(clusterId) ? profile
                : new ClusterProfile(clusterId, profile.name(), profile.resourceGroup(), profile.networkPlugin(),
                        profile.overlay(), profile.podCidr(), profile.serviceCidr(), profile.dnsServiceIp(),
                        profile.outboundType(), profile.loadBalancer(), profile.natGateway(), profile.pools(),
                        profile.subnets(), profile.vnetAddressSpace(), profile.subnetConsumers(), profile.observed(),
                        profile.armId());
    }
}
