package io.aksheadroom.actuator;

import org.jboss.logging.Logger;

import io.aksheadroom.actuator.core.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Counts every decision in {@code aks_headroom_actuator_decisions_total{outcome}} and logs it. The {@code aks.actions}
 * topic (its record schema, AsyncAPI channel and released contract) is still to come.
 */
@ApplicationScoped
public class ActionPublisher {

    private static final Logger LOG = Logger.getLogger(ActionPublisher.class);

    @Inject
    MeterRegistry registry;

    void record(Decision decision, String mode, String armId) {
        registry.counter("aks_headroom_actuator_decisions", "outcome", decision.outcome().wireName()).increment();
        LOG.infof("actuator %s: %s %s %s on %s: %s %s", mode, decision.clusterId(), decision.outcome().wireName(),
                decision.reason() == null ? "" : decision.reason(), armId, decision.detail(), decision.changes());
    }
}
