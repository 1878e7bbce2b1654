package io.aksheadroom.config;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.PlanSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Hands the framework-free core to the adapters, configured from {@link PlanConfig}. */
public class CoreProducers {

    @Produces
    @Singleton
    PlanSettings planSettings(PlanConfig config) {
        return new PlanSettings(config.headroomFactor(), config.minPortsPerNode(), config.utilizationWarning(),
                config.utilizationCritical());
    }

    /** The adapters' wall clock (the core takes Instants); a bean so tests can pin it. */
    @Produces
    @Singleton
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    @Produces
    @Singleton
    CapacityPlanner capacityPlanner(PlanSettings settings) {
        return new CapacityPlanner(settings);
    }
}
