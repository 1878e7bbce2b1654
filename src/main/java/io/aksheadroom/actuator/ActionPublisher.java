package io.aksheadroom.actuator;

import java.time.Instant;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.aksheadroom.actuator.core.Decision;
import io.aksheadroom.config.Channels;
import io.aksheadroom.json.OutgoingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Records every decision on {@code aks.actions} and counts it in {@code aks_headroom_actuator_decisions_total}. */
@ApplicationScoped
public class ActionPublisher {

    @Inject
    @Channel(Channels.ACTIONS)
    MutinyEmitter<Record<String, String>> actions;

    @Inject
    OutgoingRecords records;

    @Inject
    MeterRegistry registry;

    void record(Decision decision, String mode, String armId, Instant at) {
        registry.counter("aks_headroom_actuator_decisions", "outcome", decision.outcome().wireName()).increment();
        ActionRecord record = ActionRecord.of(decision, mode, armId, at);
        // Append-only: the id tells two decisions about one cluster apart, so none replaces another.
        actions.sendMessageAndForget(records.of(decision.clusterId(), record,
                decision.clusterId() + "/" + at + "/" + decision.outcome().wireName(), decision.clusterId(), at));
    }
}
