package io.aksheadroom.config;

import io.aksheadroom.domain.CapacityPlanner;
import io.aksheadroom.domain.Fleet;
import io.aksheadroom.domain.MonitorSettings;
import io.aksheadroom.domain.PlanSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The pipeline's one shared state: every cluster this instance owns. */
public class PipelineProducers {

    @Produces
    @Singleton
    MonitorSettings monitorSettings(PlanSettings plan, PipelineConfig config) {
        return new MonitorSettings(plan, config.highSamples(), config.resendInterval(), config.demandWindow(),
                config.subnetFreeShareWarning(), config.unknownClusterGrace(), config.maxHeldEvents());
    }

    @Produces
    @Singleton
    Fleet fleet(MonitorSettings settings, CapacityPlanner planner) {
        return new Fleet(settings, planner);
    }
}
