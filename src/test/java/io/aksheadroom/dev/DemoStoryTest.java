package io.aksheadroom.dev;

import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_EXHAUSTION_PROJECTED;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertRules;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.MonitorSettings;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.Outcome;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The demo tells the story it promises a newcomer, through the same fleet the pipeline runs. */
class DemoStoryTest {

    private final Fleet<Void> fleet = new Fleet<>(MonitorSettings.DEFAULTS, new CapacityPlanner());
    private final List<Alert> alerts = new ArrayList<>();
    private final Map<Long, Plan> plans = new LinkedHashMap<>();

    private void play(DemoStory story, long from, long to) {
        for (long n = from; n < to; n++) {
            DemoStory.Tick tick = story.tick(n);
            if (tick.profile() != null) {
                record(n, fleet.profile(DemoStory.CLUSTER_ID, 0, tick.profile(), tick.at()));
            }
            for (NodeEvent event : tick.nodeEvents()) {
                record(n, fleet.apply(0, event, null, tick.at(), false));
            }
            for (SnatSample sample : tick.samples()) {
                record(n, fleet.apply(0, sample, null, tick.at(), false));
            }
        }
    }

    private void record(long tick, Outcome outcome) {
        alerts.addAll(outcome.alerts());
        if (outcome.plan() != null) {
            plans.put(tick, outcome.plan());
        }
    }

    private List<String> transitions(AlertRules alert) {
        return alerts.stream().filter(alert::is).map(a -> a.status().wireName()).distinct().toList();
    }

    @Test
    void alertsFireAsTheClusterGrowsAndResolveOnceTheRecommendationIsApplied() {
        play(new DemoStory(Instant.parse("2026-11-26T08:00:00Z")), 0, DemoStory.LENGTH);
        for (AlertRules alert : List.of(SNAT_TIER_DROP, SNAT_PORTS_HIGH, SNAT_CONNECTIONS_FAILING,
                SNAT_EXHAUSTION_PROJECTED)) {
            assertEquals(List.of("firing", "resolved"), transitions(alert), alert.alertname() + " in " + alerts);
        }
        assertTrue(fleet.view(DemoStory.CLUSTER_ID).firingAlerts().isEmpty(), "all clear at the end of the story");
        assertEquals(1, plans.get(0L).snat().recommendedOutboundIps(), "61 planned nodes x 1,024 ports fit one IP");
        Plan before = plans.entrySet().stream().filter(e -> e.getKey() < DemoStory.FIX_TICK)
                .reduce((a, b) -> b).orElseThrow().getValue();
        assertEquals(2, before.snat().recommendedOutboundIps(), "the recommendation grows with demand");
        Plan after = plans.get((long) DemoStory.FIX_TICK);
        assertEquals(2, after.snat().outboundIps(), "the operator applied it");
        assertEquals(60, fleet.view(DemoStory.CLUSTER_ID).plan().currentNodes());
    }

    @Test
    void theStoryStartsOverAndFiresAgain() {
        play(new DemoStory(Instant.parse("2026-11-26T08:00:00Z")), 0, DemoStory.LENGTH + 1);
        long tierDrops = alerts.stream().filter(a -> SNAT_TIER_DROP.is(a) && a.status() == AlertStatus.FIRING)
                .map(Alert::startsAt).distinct().count();
        assertEquals(2, tierDrops, "a second episode at the restart of the story");
        assertEquals(DemoStory.START_NODES, fleet.view(DemoStory.CLUSTER_ID).plan().currentNodes());
    }
}
