package io.aksheadroom.pipeline;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The pipeline's one shared state, every cluster this instance owns, the silent replays every change to it goes
 * through, and the ledger of the outputs in flight that the processed-offset marker waits for. A held event hands back
 * its record, to be dead-lettered should its cluster never come; readers outside the pipeline inject
 * {@code Fleet<?>}.
 */
public class FleetProducers {

    @Produces
    @Singleton
    Fleet<ConsumerRecord<String, String>> fleet(MonitorSettings settings, CapacityPlanner planner) {
        return new Fleet<>(settings, planner);
    }

    @Produces
    @Singleton
    OutputLedger ledger(Clock clock) {
        return new OutputLedger(clock);
    }

    @Produces
    @Singleton
    SilentReplays<ConsumerRecord<String, String>> replays(Fleet<ConsumerRecord<String, String>> fleet) {
        return new SilentReplays<>(fleet);
    }
}
