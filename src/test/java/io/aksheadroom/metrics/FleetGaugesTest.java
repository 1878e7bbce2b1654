package io.aksheadroom.metrics;

import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The gauges of what the fleet holds follow it as clusters come, fire, wait and go. */
class FleetGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void clustersAlertsAndHeldEventsCountUpAndBackToZero() {
        Fleet<Void> fleet = SyntheticFleet.of(0, 0, 1);
        FleetGauges.register(registry, fleet);
        assertEquals(0, gauge(FleetGauges.CLUSTERS));
        assertEquals(0, gauge(FleetGauges.ALERTS));
        assertEquals(0, gauge(FleetGauges.HELD));

        // 50 nodes at 30 pods each: the profile alone raises a plan alert.
        fleet.profile("a", 0, cluster().pool("p", 50, 30).build(), SyntheticFleet.AT);
        fleet.profile("b", 1, cluster().pool("p", 50, 30).build(), SyntheticFleet.AT);
        // Three samples past the warning level: cluster a fires more than its plan alert.
        for (int minute = 1; minute <= 3; minute++) {
            fleet.apply(0, new SnatSample("a", SyntheticFleet.AT.plusSeconds(60L * minute), "10.240.0.4", Protocol.TCP,
                    1024, 900L, 0L), null, SyntheticFleet.AT, false);
        }
        int firingInA = fleet.view("a").firingAlerts().size();
        int firingInB = fleet.view("b").firingAlerts().size();
        assertEquals(1, firingInB, "b: its plan alert");
        assertTrue(firingInA > 1, "a: its plan alert and the busy backend's");
        assertEquals(2, gauge(FleetGauges.CLUSTERS));
        assertEquals(firingInA + firingInB, gauge(FleetGauges.ALERTS));

        fleet.apply(0, new SnatSample("not-yet", SyntheticFleet.AT, "10.240.0.4", Protocol.TCP, 1024, 10L, 0L), null,
                SyntheticFleet.AT, false);
        fleet.apply(0, new SnatSample("not-yet", SyntheticFleet.AT.plusSeconds(60), "10.240.0.4", Protocol.TCP, 1024,
                10L, 0L), null, SyntheticFleet.AT, false);
        assertEquals(2, gauge(FleetGauges.HELD), "two events wait for their cluster's profile");

        fleet.forget("a", SyntheticFleet.AT.plusSeconds(120));
        assertEquals(1, gauge(FleetGauges.CLUSTERS));
        assertEquals(firingInB, gauge(FleetGauges.ALERTS), "the tombstoned cluster's alerts are gone with it");

        fleet.expireHeld(SyntheticFleet.AT.plus(Duration.ofMinutes(5)));
        assertEquals(0, gauge(FleetGauges.HELD), "expired events are no longer held");
        fleet.release(Set.of(1));
        assertEquals(0, gauge(FleetGauges.CLUSTERS));
        assertEquals(0, gauge(FleetGauges.ALERTS));
    }
}
