package io.aksheadroom.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How each subscription's listing went, as the {@code discovery} check under {@code /q/health/well} (down while a
 * subscription's latest listing failed, naming it) and the gauges {@code aks_headroom_discovery_clusters} and
 * {@code aks_headroom_discovery_last_success_timestamp_seconds} per subscription.
 */
@ApplicationScoped
public class DiscoveryHealth {

    private static final class Subscription {
        volatile int clusters;
        volatile Instant lastAttemptAt;
        volatile Instant lastSuccessAt;
        volatile String error;
        volatile String deferred;
    }

    private final MeterRegistry registry;
    private final Map<String, Subscription> subscriptions = new TreeMap<>();
    private volatile boolean resumed;
    private volatile String resumeError;
    private volatile int shortfalls;
    private volatile Map<String, String> unresolved = Map.of();

    DiscoveryHealth(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("aks_headroom_discovery_subnet_shortfalls", this, h -> h.shortfalls)
                .description("Subnets where Azure counts fewer IP configurations than the model (IP-12)")
                .register(registry);
    }

    synchronized void configured(List<String> ids) {
        for (String id : ids) {
            Subscription subscription = new Subscription();
            if (subscriptions.putIfAbsent(id, subscription) == null) {
                Gauge.builder("aks_headroom_discovery_clusters", subscription, s -> s.clusters)
                        .tag("subscription", id).description("Clusters the latest successful listing found")
                        .register(registry);
                Gauge.builder("aks_headroom_discovery_last_success_timestamp_seconds", subscription,
                        s -> s.lastSuccessAt == null ? 0 : s.lastSuccessAt.getEpochSecond())
                        .tag("subscription", id).description("When the subscription was last listed successfully")
                        .register(registry);
            }
        }
    }

    void listed(String subscription, Instant at, int clusters) {
        Subscription s = subscriptions.get(subscription);
        s.lastAttemptAt = at;
        s.lastSuccessAt = at;
        s.clusters = clusters;
        s.error = null;
        s.deferred = null;
    }

    void failed(String subscription, Instant at, String error) {
        Subscription s = subscriptions.get(subscription);
        s.lastAttemptAt = at;
        s.error = error;
    }

    /** Not listed this time, by choice (Retry-After, few reads left): neither a failure nor a success. */
    void deferred(String subscription, String reason) {
        subscriptions.get(subscription).deferred = reason;
    }

    void resumed() {
        resumed = true;
        resumeError = null;
    }

    void resumeFailed(String error) {
        resumeError = error;
    }

    /** The clusters the latest listing found but could not make a profile of, and why. */
    void unresolved(Map<String, String> reasonByClusterId) {
        unresolved = Map.copyOf(reasonByClusterId);
    }

    void shortfalls(int count) {
        shortfalls = count;
    }

    /** {@code subscription: error} of every subscription whose latest listing failed. */
    List<String> failing() {
        List<String> failing = new ArrayList<>();
        subscriptions.forEach((id, s) -> {
            if (s.error != null) {
                failing.add(id + ": " + s.error);
            }
        });
        return failing;
    }

    HealthCheckResponse response() {
        boolean enabled = !subscriptions.isEmpty();
        List<String> failing = failing();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("discovery")
                .status(failing.isEmpty() && resumeError == null).withData("enabled", enabled);
        if (!enabled) {
            return response.build();
        }
        response.withData("subscriptions", subscriptions.size()).withData("resumed", resumed)
                .withData("subnetShortfalls", shortfalls);
        if (!failing.isEmpty()) {
            response.withData("failing", String.join("; ", failing));
        }
        List<String> deferred = new ArrayList<>();
        subscriptions.forEach((id, s) -> {
            if (s.deferred != null) {
                deferred.add(id + ": " + s.deferred);
            }
        });
        if (!deferred.isEmpty()) {
            response.withData("deferred", String.join("; ", deferred));
        }
        Instant lastSuccess = subscriptions.values().stream().map(s -> s.lastSuccessAt)
                .filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        if (lastSuccess != null) {
            response.withData("oldestLastSuccessAt", lastSuccess.toString());
        }
        if (!unresolved.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            new TreeMap<>(unresolved).forEach((clusterId, reason) -> reasons.add(clusterId + ": " + reason));
            response.withData("notProfiled", String.join("; ", reasons));
        }
        if (resumeError != null) {
            response.withData("resumeError", resumeError);
        }
        return response.build();
    }
}
