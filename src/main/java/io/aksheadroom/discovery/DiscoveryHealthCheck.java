package io.aksheadroom.discovery;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fleet discovery as a wellness check ({@code /q/health/well}, also in {@code /q/health}), not readiness: a
 * subscription Azure refuses to list must not take the pod out of its Service. The pipeline keeps serving the
 * profiles the topic holds, and discovery tries again at its next interval.
 */
@Wellness
@ApplicationScoped
public class DiscoveryHealthCheck implements HealthCheck {

    private final DiscoveryHealth health;

    DiscoveryHealthCheck(DiscoveryHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.response();
    }
}
