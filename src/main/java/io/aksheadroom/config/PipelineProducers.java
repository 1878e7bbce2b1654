package io.aksheadroom.config;

import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.monitor.MonitorSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The live monitor's tunables, from the pipeline's configuration. */
public class PipelineProducers {

    @Produces
    @Singleton
    MonitorSettings monitorSettings(PlanSettings plan, PipelineConfig config) {
        return new MonitorSettings(plan, config.highSamples(), config.resendInterval(), config.demandWindow(),
                config.subnetFreeShareWarning(), config.unknownClusterGrace(), config.maxHeldEvents());
    }
}
