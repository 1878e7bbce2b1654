package io.aksheadroom.pipeline;

import io.aksheadroom.monitor.Outcome;
import jakarta.inject.Singleton;

/** Where every outcome goes, whether a live record or the end of a replay produced it. */
// Called for every input record: @Singleton, so without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class OutcomeSink {

    private final RecommendationPublisher recommendations;
    private final AlertPublisher alerts;

    public OutcomeSink(RecommendationPublisher recommendations, AlertPublisher alerts) {
        this.recommendations = recommendations;
        this.alerts = alerts;
    }

    /** Publishes what {@code outcome} changed; {@code hold} learns when the broker has each record. */
    public void publish(Outcome outcome, OutputLedger.Hold hold) {
        if (outcome.isEmpty()) {
            return;
        }
        recommendations.publish(outcome, hold);
        alerts.publish(outcome.alerts(), hold);
    }
}
