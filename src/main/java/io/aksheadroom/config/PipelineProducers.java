package io.aksheadroom.config;

import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.json.Runbooks;
import io.aksheadroom.monitor.MonitorSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The live monitor's tunables and what its alert records link to, from the pipeline's configuration. */
public class PipelineProducers {

    @Produces
    @Singleton
    MonitorSettings monitorSettings(PlanSettings plan, PipelineConfig config) {
        return new MonitorSettings(plan, config.highSamples(), config.resendInterval(), config.demandWindow(),
                config.subnetFreeShareWarning(), config.unknownClusterGrace(), config.maxHeldEvents());
    }

    /** Made at startup, so a base that is no URL stops the service at once rather than at its first alert. */
    @Produces
    @Singleton
    @Startup
    Runbooks runbooks(AlertsConfig config) {
        try {
            return new Runbooks(config.runbookBaseUrl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aks-headroom.alerts.runbook-base-url: " + e.getMessage(), e);
        }
    }
}
