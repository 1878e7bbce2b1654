package io.aksheadroom.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once an output (recommendation, alert, dead letter) could not be published after the producer's own retries
 * ({@code delivery.timeout.ms}): the processed-offset marker of its partition then stops before its cause for good,
 * and only a restart (a new owner replays up to that marker and processes the rest again, live) publishes it. A
 * broker outage shorter than the delivery timeout fails nothing: readiness reports it.
 */
@Liveness
@ApplicationScoped
public class OutputsHealthCheck implements HealthCheck {

    private final OutputLedger ledger;

    OutputsHealthCheck(OutputLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        OutputLedger.Failure failure = ledger.firstFailure();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("pipeline-outputs")
                .withData("unacknowledged", ledger.unacknowledged());
        if (failure == null) {
            return response.up().build();
        }
        return response.down().withData("failed", ledger.failures())
                .withData("first-failure", failure.cause())
                .withData("first-failure-at", failure.at().toString())
                .withData("partition", failure.partition())
                .withData("marker-stops-before", failure.input() == null ? "a settle of the partition"
                        : failure.input() + "@" + failure.offset())
                .build();
    }
}
