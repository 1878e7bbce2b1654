package io.aksheadroom.azuremonitor;

import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether Azure Monitor answers, as the poller saw it: the {@code azure-monitor} check under {@code /q/health/well}
 * and the gauge {@code aks_headroom_azure_monitor_reachable}.
 */
@ApplicationScoped
public class AzureMonitorHealth {

    private final int unhealthyAfter;
    private volatile int batches;
    private volatile Instant lastPollAt;
    private volatile Instant lastSuccessAt;
    private volatile int failedPollsInARow;
    private volatile String lastError;
    private volatile boolean resumed;
    private volatile String resumeError;

    AzureMonitorHealth(AzureMonitorConfig config, MeterRegistry registry) {
        this.unhealthyAfter = config.unhealthyAfter();
        registry.gauge("aks_headroom_azure_monitor_reachable", this, h -> h.reachable() ? 1 : 0);
    }

    void configured(int batches) {
        this.batches = batches;
    }

    /** A poll made {@code calls} calls, {@code failed} of them without an answer. */
    void polled(Instant at, int calls, int failed, String error) {
        lastPollAt = at;
        if (calls == 0) {
            return; // every batch was backing off: nothing learned
        }
        if (failed < calls) {
            lastSuccessAt = at;
            failedPollsInARow = 0;
        } else {
            failedPollsInARow++;
        }
        if (error != null) {
            lastError = error;
        }
    }

    void resumed() {
        resumed = true;
        resumeError = null;
    }

    void resumeFailed(String error) {
        resumeError = error;
    }

    boolean reachable() {
        return failedPollsInARow < unhealthyAfter;
    }

    HealthCheckResponse response() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("azure-monitor").status(reachable())
                .withData("enabled", batches > 0);
        if (batches == 0) {
            return response.build();
        }
        response.withData("batches", batches).withData("failedPollsInARow", failedPollsInARow)
                .withData("resumed", resumed);
        putIfSet(response, "lastPollAt", lastPollAt);
        putIfSet(response, "lastSuccessAt", lastSuccessAt);
        putIfSet(response, "lastError", lastError);
        putIfSet(response, "resumeError", resumeError);
        return response.build();
    }

    private static void putIfSet(HealthCheckResponseBuilder response, String name, Object value) {
        if (value != null) {
            response.withData(name, value.toString());
        }
    }
}
