package io.aksheadroom.actuator;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.aksheadroom.actuator.core.Decision;
import io.aksheadroom.config.Channels;
import io.aksheadroom.json.DataSchema;
import io.aksheadroom.json.OutgoingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records every decision on {@code aks.actions} (key clusterId, CloudEvent type {@code aks-headroom.action.v1},
 * append-only), counts it in {@code aks_headroom_actuator_decisions_total{outcome}} and logs it. The record is waited
 * for: a write whose record is lost would leave a restarted actuator without the cluster's cooldown.
 */
@ApplicationScoped
public class ActionPublisher {

    private static final Logger LOG = Logger.getLogger(ActionPublisher.class);
    /** How long one decision waits for the broker to take its record. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final OutgoingRecords records;
    private final MeterRegistry registry;

    public ActionPublisher(@Channel(Channels.ACTIONS) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 1_000) MutinyEmitter<Record<String, String>> emitter, OutgoingRecords records,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.records = records;
        this.registry = registry;
    }

    /** Counts, logs and publishes {@code record}, the record of {@code decision}; false when the broker did not take it. */
    boolean record(Decision decision, ActionRecord record) {
        registry.counter("aks_headroom_actuator_decisions", "outcome", decision.outcome().wireName()).increment();
        LOG.infof("actuator %s: %s %s %s %s on %s: %s %s", record.mode(), decision.clusterId(), decision.target(),
                decision.outcome().wireName(), decision.reason() == null ? "" : decision.reason(), record.armId(),
                decision.detail(), decision.changes());
        String id = decision.clusterId() + "/" + decision.target() + "/" + decision.outcome().wireName() + "/"
                + record.decidedAt();
        try {
            emitter.sendMessage(records.of(DataSchema.ACTION, decision.clusterId(), record, id, decision.clusterId(),
                    Instant.parse(record.decidedAt()))).await().atMost(ACK_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not publish the actuator's decision for %s to aks.actions", decision.clusterId());
            registry.counter("aks_headroom_actuator_records_failed").increment();
            return false;
        }
    }
}
