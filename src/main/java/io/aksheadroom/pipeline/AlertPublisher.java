package io.aksheadroom.pipeline;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.AlertJson;
import io.aksheadroom.json.DataSchema;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.json.Runbooks;
import io.aksheadroom.monitor.Alert;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Publishes alert lifecycle records to the compacted alerts topic, keyed by fingerprint, each with its runbook. */
@ApplicationScoped
public class AlertPublisher {

    private static final Logger LOG = Logger.getLogger(AlertPublisher.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final OutgoingRecords records;
    private final Runbooks runbooks;
    private final PipelineMetrics metrics;
    private final Clock clock;

    public AlertPublisher(@Channel(Channels.ALERTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 10_000) MutinyEmitter<Record<String, String>> emitter, OutgoingRecords records,
            Runbooks runbooks, PipelineMetrics metrics, Clock clock) {
        this.emitter = emitter;
        this.records = records;
        this.runbooks = runbooks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Publishes {@code alerts} in order; {@code hold} learns when the broker has each. */
    public void publish(List<Alert> alerts, OutputLedger.Hold hold) {
        for (Alert alert : alerts) {
            String id = alert.fingerprint() + "/" + alert.status().wireName() + "/" + alert.updatedAt();
            hold.send(() -> emitter.sendMessage(records.of(DataSchema.ALERT, alert.fingerprint(),
                    AlertJson.of(alert, runbooks), id, alert.clusterId(), alert.updatedAt())),
                    () -> metrics.published("alert-" + alert.status().wireName()),
                    failure -> LOG.errorf(failure, "Could not publish alert %s (%s %s of %s)",
                            alert.fingerprint(), alert.status().wireName(), alert.alertname(), alert.clusterId()));
            metrics.lag(Duration.between(alert.updatedAt(), clock.instant()));
        }
    }
}
