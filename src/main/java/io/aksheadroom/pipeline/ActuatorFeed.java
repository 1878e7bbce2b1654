package io.aksheadroom.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.actuator.ActionPublisher;
import io.aksheadroom.actuator.Actuation;
import io.aksheadroom.actuator.ActuatorConfig;
import io.aksheadroom.actuator.ManagedClusters;
import io.aksheadroom.actuator.core.Actuator;
import io.aksheadroom.actuator.core.Guardrails;
import io.aksheadroom.actuator.core.Mode;
import io.aksheadroom.actuator.core.Recommendation;
import io.aksheadroom.actuator.core.Situation;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.config.Channels;
import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.json.ProfileJson;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The actuator's feed: its own consumer of {@code aks.recommendations} and {@code aks.cluster-profiles}. It keeps each
 * cluster's newest profile with the time it was published, and decides each recommendation once, as soon as the
 * cluster's profile is known, with the newest sample time the recommendation carries and the time of the last write.
 * Those times of the last write come back from {@code aks.actions} before the first decision, with where the newest
 * recommendation each cluster was decided on was read, so that a restart, which reads both topics from their
 * beginning again, decides nothing twice and keeps every cooldown. Decisions run on a worker thread: they call Azure Resource Manager.
 */
@ApplicationScoped
public class ActuatorFeed {

    private static final Logger LOG = Logger.getLogger(ActuatorFeed.class);
    /** How long the first decision waits to read {@code aks.actions} back. */
    static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(60);

    /** A cluster's profile and when it was published (the record's time). */
    private record Known(ClusterProfile profile, Instant at) {
    }

    /** A recommendation not decided yet, with the newest sample time its record carries, and where it was read. */
    private record Pending(Recommendation recommendation, Instant newestSampleAt, Actuation.Origin origin) {
    }

    private final ActuatorConfig config;
    private final TopicsConfig topics;
    private final PipelineConfig pipeline;
    private final TopicReader reader;
    private final DeadLetterPublisher deadLetters;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Actuation actuation;
    private final Map<String, Known> profiles = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /**
     * Where the newest recommendation decided per cluster was read: a cluster's recommendations share one partition,
     * so a record at or before it was decided already (the feed reads the topic from its beginning on every start).
     */
    private final Map<String, Actuation.Origin> decided = new ConcurrentHashMap<>();
    private volatile boolean readBack;

    public ActuatorFeed(ActuatorConfig config, TopicsConfig topics, PipelineConfig pipeline, TopicReader reader,
            DeadLetterPublisher deadLetters, ObjectMapper mapper, Clock clock, CapacityPlanner planner,
            ManagedClusters clusters, ActionPublisher publisher) {
        this.config = config;
        this.topics = topics;
        this.pipeline = pipeline;
        this.reader = reader;
        this.deadLetters = deadLetters;
        this.mapper = mapper;
        this.clock = clock;
        this.actuation = new Actuation(new Actuator(new Guardrails(config.mode(), config.clusters().orElse(null),
                config.maxIpStep(), config.cooldown(), Guardrails.MAX_INPUT_AGE, config.capMaxCount()), planner),
                clusters, publisher);
    }

    @Incoming(Channels.ACTUATOR_FEED)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        if (config.mode() == Mode.OFF || record.key() == null) {
            return;
        }
        if (!readBack) {
            readBack();
        }
        if (record.topic().equals(topics.clusterProfiles())) {
            takeProfile(record);
        } else if (record.topic().equals(topics.recommendations())) {
            takeRecommendation(record);
        }
    }

    /** When the actuator last wrote to {@code clusterId}, as far as this instance knows; null when never. */
    public Instant lastAction(String clusterId) {
        return actuation.lastAction(clusterId);
    }

    /**
     * Forgets what this instance decided and wrote, then takes it back from {@code aks.actions}: what a restart does
     * before its first decision.
     */
    public synchronized void readBack() {
        Map<String, String> latest = reader.latestByKey(topics.actions(), READ_BACK_TIMEOUT);
        actuation.forgetAll();
        decided.clear();
        latest.forEach((clusterId, value) -> {
            if (value == null) {
                return;
            }
            try {
                JsonNode action = mapper.readTree(value);
                Instant applied = instant(action, "lastAppliedAt");
                if (applied != null) {
                    actuation.restore(clusterId, applied);
                }
                JsonNode partition = action.path("recommendationPartition");
                JsonNode offset = action.path("recommendationOffset");
                if (partition.canConvertToInt() && offset.canConvertToLong()) {
                    decided.put(clusterId, new Actuation.Origin(partition.intValue(), offset.longValue()));
                }
            } catch (JsonProcessingException | DateTimeParseException e) {
                LOG.warnf("Ignoring an unreadable record of %s on %s: %s", clusterId, topics.actions(), e.getMessage());
            }
        });
        readBack = true;
        LOG.infof("Actuator: read back %d clusters' decisions from %s", latest.size(), topics.actions());
    }

    private void takeProfile(ConsumerRecord<String, String> record) {
        String clusterId = record.key();
        if (record.value() == null) {
            profiles.remove(clusterId);
            pending.remove(clusterId);
            return;
        }
        try {
            JsonNode json = mapper.readTree(record.value());
            ClusterProfile profile = ClusterEventsListener.withId(ProfileJson.parse(json), clusterId);
            if (json.hasNonNull("clusterId") && !json.get("clusterId").asText().equals(clusterId)) {
                return;
            }
            profiles.put(clusterId, new Known(profile, Instant.ofEpochMilli(record.timestamp())));
        } catch (JsonProcessingException | InvalidInputException e) {
            // The pipeline's consumer dead-letters it; the actuator keeps the profile it had, if any.
            LOG.debugf("Actuator: skipping an unusable profile of %s: %s", clusterId, e.getMessage());
            return;
        }
        if (pending.containsKey(clusterId)) {
            decide(clusterId);
        }
    }

    private void takeRecommendation(ConsumerRecord<String, String> record) {
        String clusterId = record.key();
        if (record.value() == null) {
            pending.remove(clusterId);
            return;
        }
        Pending read;
        try {
            read = parse(clusterId, mapper.readTree(record.value()),
                    new Actuation.Origin(record.partition(), record.offset()));
        } catch (JsonProcessingException e) {
            deadLetters.send(record, "malformed JSON: " + e.getOriginalMessage(), pipeline.maxRecordBytes(),
                    OutputLedger.NONE);
            return;
        } catch (InvalidInputException e) {
            deadLetters.send(record, "invalid value: " + e.getMessage(), pipeline.maxRecordBytes(), OutputLedger.NONE);
            return;
        }
        Actuation.Origin done = decided.get(clusterId);
        if (done != null && done.partition() == record.partition() && record.offset() <= done.offset()) {
            return;
        }
        pending.put(clusterId, read);
        if (profiles.containsKey(clusterId)) {
            decide(clusterId);
        }
    }

    private void decide(String clusterId) {
        Pending next = pending.remove(clusterId);
        Known known = profiles.get(clusterId);
        Situation situation = new Situation(next.recommendation(), known.profile(), known.at(), next.newestSampleAt(),
                actuation.lastAction(clusterId), clock.instant());
        try {
            actuation.act(situation, next.origin());
            actuation.capPools(situation, next.origin());
        } finally {
            decided.put(clusterId, next.origin());
        }
    }

    /** The fields of a recommendation record the actuator acts on. */
    private static Pending parse(String clusterId, JsonNode json, Actuation.Origin origin) {
        if (!json.isObject()) {
            throw new InvalidInputException("recommendation", "must be a JSON object");
        }
        if (!clusterId.equals(json.path("clusterId").asText(null))) {
            throw new InvalidInputException("clusterId", "'" + json.path("clusterId").asText(null)
                    + "' differs from the record key '" + clusterId + "'; records are keyed by clusterId");
        }
        Instant generatedAt = requiredInstant(json, "generatedAt");
        Instant newestSampleAt;
        try {
            newestSampleAt = instant(json, "newestSampleAt");
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("newestSampleAt", "must be an ISO-8601 instant");
        }
        JsonNode snat = json.path("snat");
        Map<String, Integer> ceilings = new LinkedHashMap<>();
        for (JsonNode pool : json.path("pools")) {
            JsonNode ceiling = pool.path("maxCountCeiling");
            if (ceiling.canConvertToInt() && ceiling.isIntegralNumber()) {
                ceilings.put(pool.path("name").asText(), ceiling.intValue());
            }
        }
        try {
            return new Pending(new Recommendation(clusterId, integer(snat, "recommendedOutboundIps"),
                    integer(snat, "recommendedPortsPerNode"), generatedAt, ceilings), newestSampleAt, origin);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("snat", e.getMessage());
        }
    }

    private static Integer integer(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidInputException("snat." + field, "must be an integer");
        }
        return value.intValue();
    }

    private static Instant requiredInstant(JsonNode json, String field) {
        try {
            Instant at = instant(json, field);
            if (at == null) {
                throw new InvalidInputException(field, "is required");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 instant");
        }
    }

    private static Instant instant(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isTextual() ? Instant.parse(value.asText()) : null;
    }
}
