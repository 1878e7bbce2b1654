package io.aksheadroom.config;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.capacity.PlanSettings;
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
