package io.aksheadroom.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.DataSchema;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.json.RecommendationJson;
import io.aksheadroom.monitor.Outcome;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes a cluster's plan to the compacted recommendations topic when it differs from the last one published,
 * restart included (the last digests are read back from the topic), and a tombstone when the cluster is forgotten.
 */
@ApplicationScoped
public class RecommendationPublisher {

    private static final Logger LOG = Logger.getLogger(RecommendationPublisher.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final OutgoingRecords records;
    private final ObjectMapper mapper;
    private final PipelineMetrics metrics;
    private final Clock clock;
    /** Digest of the plan last published per cluster; absent when nothing is known to be on the topic. */
    private final Map<String, String> published = new ConcurrentHashMap<>();

    public RecommendationPublisher(@Channel(Channels.RECOMMENDATIONS) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 10_000) MutinyEmitter<Record<String, String>> emitter, OutgoingRecords records,
            ObjectMapper mapper, PipelineMetrics metrics, Clock clock) {
        this.emitter = emitter;
        this.records = records;
        this.mapper = mapper;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Publishes the plan of {@code outcome} if it changed, or its tombstone; {@code hold} learns when it is out. */
    public void publish(Outcome outcome, OutputLedger.Hold hold) {
        if (outcome.forgotten()) {
            published.remove(outcome.clusterId());
            send(outcome.clusterId(), null, outcome.generatedAt(), "tombstone", hold);
            return;
        }
        if (outcome.plan() == null) {
            return;
        }
        String digest = OutgoingRecords.digest(records.write(outcome.plan()));
        if (digest.equals(published.put(outcome.clusterId(), digest))) {
            return;
        }
        send(outcome.clusterId(), RecommendationJson.of(outcome.plan(), outcome.generatedAt(), outcome.newestSampleAt()),
                outcome.generatedAt(),
                digest, hold);
        metrics.lag(Duration.between(outcome.generatedAt(), clock.instant()));
    }

    /** Takes back what the topic holds for a cluster, so an unchanged plan is not published again after a restart. */
    public void restore(String clusterId, String recordValue) {
        if (recordValue == null) {
            published.remove(clusterId);
            return;
        }
        try {
            String plan = RecommendationJson.planText(mapper, recordValue);
            if (plan != null) {
                published.put(clusterId, OutgoingRecords.digest(plan));
            }
        } catch (Exception e) {
            LOG.warnf("Ignoring unreadable recommendation of %s on the topic: %s", clusterId, e.getMessage());
        }
    }

    public void forget(Iterable<String> clusterIds) {
        clusterIds.forEach(published::remove);
    }

    private void send(String clusterId, RecommendationJson value, Instant at, String idPart, OutputLedger.Hold hold) {
        String id = clusterId + "/" + idPart + "/" + at;
        hold.send(() -> emitter.sendMessage(records.of(DataSchema.RECOMMENDATION, clusterId, value, id, clusterId,
                at)),
                () -> metrics.published(value == null ? "recommendation-tombstone" : "recommendation"),
                failure -> {
                    // Forget the digest so the next change of this cluster publishes the current plan again.
                    published.remove(clusterId);
                    LOG.errorf(failure, "Could not publish the recommendation of %s", clusterId);
                });
    }
}
