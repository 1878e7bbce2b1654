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

    public void publish(Outcome outcome) {
        if (outcome.isEmpty()) {
            return;
        }
        recommendations.publish(outcome);
        alerts.publish(outcome.alerts());
    }
}
