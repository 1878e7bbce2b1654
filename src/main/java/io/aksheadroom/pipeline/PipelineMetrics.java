package io.aksheadroom.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Pipeline health: what came in, what was refused, how long a record took, how far behind event time we are. */
// Called for every input record: @Singleton, so without a client proxy's lookup per call (see ClusterEventsListener).
@Singleton
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Timer processing;
    private final Timer lag;

    public PipelineMetrics(MeterRegistry registry, OutputLedger ledger) {
        this.registry = registry;
        Gauge.builder("aks_headroom_outputs_in_flight", ledger, OutputLedger::inFlight)
                .description("Records published and not yet acknowledged by the broker; the processed-offset marker"
                        + " waits for them")
                .register(registry);
        Gauge.builder("aks_headroom_outputs_failed", ledger, OutputLedger::failures)
                .description("Records the broker never acknowledged (after the producer's retries); liveness is down"
                        + " from the first on")
                .register(registry);
        // Buckets: dashboards take quantiles over all replicas and over any window with histogram_quantile, which
        // client-side quantiles cannot give. A few fixed buckets keep it to about 15 series per timer where
        // Micrometer's default histogram would export some 70. This timer runs for every input record, so it has
        // buckets only: client-side quantiles (an HdrHistogram per time window) cost a share of every record's time
        // that shows, and no dashboard or rule reads them.
        this.processing = Timer.builder("aks_headroom_record_processing")
                .description("Time to parse a record, update the cluster's state and recompute what changed")
                .serviceLevelObjectives(millis(0.1), millis(0.25), millis(0.5), millis(1), millis(2.5), millis(5),
                        millis(10), millis(25), millis(50), millis(100), millis(250), millis(500), millis(1000))
                .register(registry);
        // Per published record (a fraction of the input records), so it keeps its per-instance quantiles too.
        this.lag = Timer.builder("aks_headroom_event_to_publish_lag")
                .description("Event time of the input record to the moment its recommendation or alert is published")
                .publishPercentiles(0.5, 0.99)
                .serviceLevelObjectives(millis(50), millis(100), millis(250), millis(500), millis(1000),
                        millis(2500), millis(5000), millis(10_000), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30))
                .register(registry);
    }

    void consumed(String topic) {
        consumed.computeIfAbsent(topic, t -> Counter.builder("aks_headroom_records_consumed")
                .description("Input records consumed").tag("topic", t).register(registry)).increment();
    }

    void deadLettered(String topic, String reason) {
        deadLettered.computeIfAbsent(topic + '\u0000' + reason, key -> Counter.builder("aks_headroom_records_dead_lettered")
                .description("Input records sent to the dead-letter topic").tag("topic", topic).tag("reason", reason)
                .register(registry)).increment();
    }

    void published(String kind) {
        published.computeIfAbsent(kind, k -> Counter.builder("aks_headroom_records_published")
                .description("Records published by kind").tag("kind", k).register(registry)).increment();
    }

    void processed(long nanos) {
        processing.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Duration millis(double millis) {
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    void lag(Duration behind) {
        if (!behind.isNegative()) {
            lag.record(behind);
        }
    }
}
