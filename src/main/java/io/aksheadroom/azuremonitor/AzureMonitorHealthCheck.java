package io.aksheadroom.azuremonitor;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Azure Monitor reachability as a wellness check ({@code /q/health/well}, also in {@code /q/health}), not readiness
 * or liveness: an Azure Monitor outage must neither take the pod out of its Service nor restart it. The pipeline
 * keeps consuming what else arrives, and the poller catches up within its lookback once Azure Monitor is back.
 */
@Wellness
@ApplicationScoped
public class AzureMonitorHealthCheck implements HealthCheck {

    private final AzureMonitorHealth health;

    AzureMonitorHealthCheck(AzureMonitorHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.response();
    }
}
