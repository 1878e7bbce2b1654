package io.aksheadroom.azuremonitor;

import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one poll; the skip reasons also go to {@code aks_headroom_azure_monitor_skipped_total}. */
final class PollTally {

    private final MeterRegistry registry;
    private final Map<String, Integer> skipped = new TreeMap<>();
    int calls;
    int failedCalls;
    int skippedBatches;
    int snatPublished;
    int natGatewayPublished;
    int unacknowledged;
    String lastError;

    PollTally(MeterRegistry registry) {
        this.registry = registry;
    }

    void skip(String reason, int count) {
        skipped.merge(reason, count, Integer::sum);
        registry.counter("aks_headroom_azure_monitor_skipped", "reason", reason).increment(count);
    }

    AzureMonitorPoller.PollReport report(boolean resumed) {
        registry.counter("aks_headroom_azure_monitor_samples_published", "record", "snat").increment(snatPublished);
        registry.counter("aks_headroom_azure_monitor_samples_published", "record", "natgw")
                .increment(natGatewayPublished);
        return new AzureMonitorPoller.PollReport(resumed, calls, failedCalls, skippedBatches, snatPublished,
                natGatewayPublished, unacknowledged, new LinkedHashMap<>(skipped));
    }
}
