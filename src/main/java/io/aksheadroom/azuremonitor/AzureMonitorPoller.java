package io.aksheadroom.azuremonitor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.aksheadroom.azure.CallOutcome;
import io.aksheadroom.azuremonitor.AzureMonitorMetrics.Aggregation;
import io.aksheadroom.azuremonitor.AzureMonitorMetrics.Answer;
import io.aksheadroom.azuremonitor.AzureMonitorMetrics.Problem;
import io.aksheadroom.azuremonitor.AzureMonitorMetrics.Query;
import io.aksheadroom.azuremonitor.model.AzureResourceId;
import io.aksheadroom.azuremonitor.model.MetricSeries;
import io.aksheadroom.azuremonitor.model.MetricsBatch;
import io.aksheadroom.azuremonitor.model.MetricsTarget;
import io.aksheadroom.azuremonitor.model.MinuteWindow;
import io.aksheadroom.azuremonitor.model.NatGatewayAggregation;
import io.aksheadroom.discovery.DiscoveredTargets;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.azuremonitor.model.OutboundResourceKind;
import io.aksheadroom.azuremonitor.model.SnatAggregation;
import io.aksheadroom.monitor.SnatSample;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Polls Azure Monitor for every configured target and publishes one {@code aks.lb-metrics} record per load balancer
 * and minute with a sample per backend and protocol (one {@code aks.natgw-metrics} record per NAT gateway and
 * minute), in event time, never the same minute twice. Calls are grouped by subscription, region and namespace, at
 * most 50 resources each; a call that fails is counted, backed off and leaves every other call alone.
 */
@ApplicationScoped
public class AzureMonitorPoller {

    private static final Logger LOG = Logger.getLogger(AzureMonitorPoller.class);

    static final String PORTS_FILTER = SnatAggregation.BACKEND + " eq '*' and " + SnatAggregation.FRONTEND
            + " eq '*' and " + SnatAggregation.PROTOCOL + " eq '*' and " + SnatAggregation.AWAITING_REMOVAL + " eq '*'";
    static final String FAILED_FILTER = SnatAggregation.BACKEND + " eq '*' and " + SnatAggregation.CONNECTION_STATE
            + " eq '" + SnatAggregation.FAILED + "'";
    /**
     * Backends per {@code aks.lb-metrics} record at most: about 110 bytes each, so a record stays near 100 KB, far below
     * Kafka's default limit of 1 MB and the pipeline's {@code max-record-bytes}, for the largest cluster too (5,000
     * nodes, two protocols).
     */
    static final int MAX_SAMPLES_PER_RECORD = 1000;
    static final String NAT_FAILED_FILTER = SnatAggregation.CONNECTION_STATE + " eq '" + SnatAggregation.FAILED + "'";

    /** What one poll did, for logs and tests. */
    public record PollReport(boolean resumed, int calls, int failedCalls, int skippedBatches, int snatPublished,
            int natGatewayPublished, int unacknowledged, Map<String, Integer> skipped) {
    }

    private final AzureMonitorConfig config;
    private final Instance<AzureMonitorMetrics> monitor;
    private final SamplePublisher publisher;
    private final PublishedMinutes published;
    private final MeterRegistry registry;
    private final List<MetricsTarget> staticTargets;
    private final Map<String, String> staticClusterByResource = new HashMap<>();
    private final DiscoveredTargets discovered;
    private long plannedVersion;
    private List<MetricsBatch> batches;
    private Map<String, String> clusterByResource = Map.of();
    private BatchBackoff backoff;
    private final MinuteMarks marks = new MinuteMarks();
    private final AzureMonitorHealth health;
    private final Clock clock;
    private boolean resumed;

    /** A poller of the configured targets only, as the tests build it. */
    AzureMonitorPoller(AzureMonitorConfig config, Instance<AzureMonitorMetrics> monitor, SamplePublisher publisher,
            PublishedMinutes published, MeterRegistry registry, AzureMonitorHealth health, Clock clock) {
        this(config, monitor, publisher, published, registry, health, clock, new DiscoveredTargets());
    }

    @Inject
    AzureMonitorPoller(AzureMonitorConfig config, Instance<AzureMonitorMetrics> monitor, SamplePublisher publisher,
            PublishedMinutes published, MeterRegistry registry, AzureMonitorHealth health, Clock clock,
            DiscoveredTargets discovered) {
        this.config = config;
        this.clock = clock;
        this.monitor = monitor;
        this.publisher = publisher;
        this.published = published;
        this.registry = registry;
        this.health = health;
        this.discovered = discovered;
        List<MetricsTarget> targets = new ArrayList<>();
        config.targets().forEach((clusterId, target) -> {
            for (String id : target.resourceIds()) {
                AzureResourceId resource = AzureResourceId.parse(id);
                String previous = staticClusterByResource.put(resource.key(), clusterId);
                if (previous != null && !previous.equals(clusterId)) {
                    throw new IllegalArgumentException(id + " is configured for both " + previous + " and " + clusterId
                            + ": its samples would be published twice under two clusters");
                }
                targets.add(new MetricsTarget(clusterId, resource, target.region(), target.maxBackends(),
                        target.frontendIps()));
            }
        });
        this.staticTargets = List.copyOf(targets);
        planTargets();
    }

    /**
     * The calls to make: the configured targets, and the discovered clusters that are not configured (a configured
     * clusterId wins). Planned again only when discovery found something new.
     */
    private void planTargets() {
        long version = discovered.version();
        if (batches != null && version == plannedVersion) {
            return;
        }
        plannedVersion = version;
        Map<String, String> byResource = new HashMap<>(staticClusterByResource);
        List<MetricsTarget> targets = new ArrayList<>(staticTargets);
        for (DiscoveredTargets.Target target : discovered.targets().values()) {
            if (config.targets().containsKey(target.clusterId())) {
                continue;
            }
            for (String id : target.resourceIds()) {
                AzureResourceId resource;
                try {
                    resource = AzureResourceId.parse(id);
                } catch (IllegalArgumentException e) {
                    LOG.warnf("Azure Monitor: discovered cluster %s: %s", target.clusterId(), e.getMessage());
                    continue;
                }
                String previous = byResource.putIfAbsent(resource.key(), target.clusterId());
                if (previous != null && !previous.equals(target.clusterId())) {
                    LOG.warnf("Azure Monitor: %s is watched for %s, not also for discovered cluster %s", id, previous,
                            target.clusterId());
                    continue;
                }
                targets.add(new MetricsTarget(target.clusterId(), resource, target.region(), target.maxBackends(),
                        target.frontendIps()));
            }
        }
        batches = MetricsBatch.plan(targets, config.maxResourcesPerCall());
        clusterByResource = byResource;
        if (backoff == null) {
            backoff = new BatchBackoff(batches, config.pollInterval(), config.maxBackoff());
        }
        health.configured(batches.size());
    }

    /** Builds the poller at start, so a malformed target fails the start rather than every poll. */
    void onStart(@Observes StartupEvent event) {
        if (enabled()) {
            LOG.infof("Azure Monitor poller: %d configured clusters in %d batches%s, polled every %s",
                    config.targets().size(), batches.size(), discovered.enabled() ? ", and the discovered ones" : "",
                    config.pollInterval());
        }
    }

    public boolean enabled() {
        return !staticTargets.isEmpty() || discovered.enabled();
    }

    @Scheduled(every = "${aks-headroom.azure-monitor.poll-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "azure-monitor-poller")
    void scheduled() {
        if (enabled()) {
            pollOnce(clock.instant());
        }
    }

    /** One poll at {@code now}: the window, every batch that is not backing off, publishing what is new. */
    public synchronized PollReport pollOnce(Instant now) {
        Timer.Sample timer = Timer.start(registry);
        PollTally tally = new PollTally(registry);
        try {
            if (!resume(now)) {
                return tally.report(false);
            }
            planTargets();
            MinuteWindow window = MinuteWindow.endingAt(now, config.settleDelay(), config.lookback());
            for (MetricsBatch batch : batches) {
                if (backoff.waiting(batch, now)) {
                    tally.skippedBatches++;
                    continue;
                }
                try {
                    if (batch.kind() == OutboundResourceKind.LOAD_BALANCER) {
                        pollLoadBalancers(batch, window, now, tally);
                    } else {
                        pollNatGateways(batch, window, now, tally);
                    }
                } catch (RuntimeException e) {
                    // A fault of ours with one batch (a publisher refusing, an answer we mishandle) must not end
                    // the poll for every other batch; its minutes stay unmarked and are tried again next poll.
                    tally.skip("poll_error", 1);
                    LOG.errorf(e, "Azure Monitor %s: could not process the answer", batch.name());
                }
            }
            health.polled(now, tally.calls, tally.failedCalls, tally.lastError);
            PollReport report = tally.report(true);
            LOG.debugf("Azure Monitor poll %s: %s", window, report);
            return report;
        } finally {
            timer.stop(registry.timer("aks_headroom_azure_monitor_poll_duration"));
        }
    }

    /**
     * Seeds the minute marks from what the topics already hold. Until that worked nothing is published: the
     * alternative is publishing a minute twice after every restart.
     */
    private boolean resume(Instant now) {
        if (resumed) {
            return true;
        }
        if (!config.resumeFromTopics()) {
            resumed = true;
            return true;
        }
        try {
            PublishedMinutes.Tail tail = published.read(discovered.enabled() ? null : config.targets().keySet(),
                    now.minus(config.lookback()).minus(config.settleDelay()), config.resumeTimeout());
            resumeFrom(tail.snat(), tail.natGateway());
            LOG.infof("Azure Monitor poller resumes after %d published SNAT samples and %d NAT gateway samples",
                    tail.snat().size(), tail.natGateway().size());
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Azure Monitor poller waits: cannot read back what was published (%s)", e.getMessage());
            health.resumeFailed(e.getMessage());
            return false;
        }
    }

    /** Marks these minutes as already published, as a restart does with what it reads back. */
    public synchronized void resumeFrom(List<SnatSample> snat, List<NatGatewaySample> natGateway) {
        marks.published(snat, natGateway);
        resumed = true;
        health.resumed();
    }

    private void pollLoadBalancers(MetricsBatch batch, MinuteWindow window, Instant now, PollTally tally) {
        Query portsQuery = new Query(batch.region(), batch.kind().namespace(), batch.resourceIds(),
                List.of(SnatAggregation.ALLOCATED, SnatAggregation.USED), Aggregation.AVERAGE, PORTS_FILTER,
                batch.seriesTop(), window);
        Answer ports = call(batch, portsQuery, now, tally);
        if (ports == null) {
            return;
        }
        int maxBackends = batch.targets().stream().mapToInt(MetricsTarget::maxBackends).max().orElse(1);
        Answer failed = call(batch, new Query(batch.region(), batch.kind().namespace(), batch.resourceIds(),
                List.of(SnatAggregation.CONNECTIONS), Aggregation.TOTAL, FAILED_FILTER, maxBackends, window), now,
                tally);
        warnIfTruncated(batch, ports, batch.seriesTop(), tally);
        Map<String, List<MetricSeries>> portsByCluster = byCluster(ports.series());
        Map<String, List<MetricSeries>> failedByCluster = failed == null ? Map.of() : byCluster(failed.series());
        Set<String> failuresUnknown = failed == null ? Set.copyOf(clusters(batch)) : clustersWithProblems(failed);

        List<LoadBalancerMinute> fresh = new ArrayList<>();
        for (String clusterId : clusters(batch)) {
            SnatAggregation.Result result = SnatAggregation.aggregate(clusterId,
                    portsByCluster.getOrDefault(clusterId, List.of()),
                    failuresUnknown.contains(clusterId) ? null : failedByCluster.getOrDefault(clusterId, List.of()),
                    window);
            result.skipped().forEach((reason, count) -> tally.skip(reason.name().toLowerCase(), count));
            fresh.addAll(minutes(clusterId, loadBalancerOf(batch, clusterId),
                    result.samples().stream().filter(marks::isNew).toList()));
        }
        tally.snatPublished += marks.publishMinutes(fresh,
                minutes -> publisher.publishMinutes(minutes, config.publishTimeout()), tally);
    }

    /**
     * A cluster's samples, oldest minute first, as one record per minute: the poller's natural unit, which spares the
     * pipeline a record per backend. A minute of more than {@link #MAX_SAMPLES_PER_RECORD} backends goes in parts.
     */
    static List<LoadBalancerMinute> minutes(String clusterId, String loadBalancer, List<SnatSample> samples) {
        Map<Instant, List<SnatSample>> byMinute = new TreeMap<>();
        samples.forEach(sample -> byMinute.computeIfAbsent(sample.at(), at -> new ArrayList<>()).add(sample));
        List<LoadBalancerMinute> minutes = new ArrayList<>();
        byMinute.forEach((at, all) -> {
            for (int from = 0; from < all.size(); from += MAX_SAMPLES_PER_RECORD) {
                minutes.add(new LoadBalancerMinute(clusterId, at, loadBalancer,
                        all.subList(from, Math.min(all.size(), from + MAX_SAMPLES_PER_RECORD))));
            }
        });
        return minutes;
    }

    /** The cluster's load balancer in this batch, or null when it has several (their samples are summed). */
    private static String loadBalancerOf(MetricsBatch batch, String clusterId) {
        List<String> ids = batch.targets().stream().filter(target -> target.clusterId().equals(clusterId))
                .map(target -> target.resource().id()).distinct().toList();
        return ids.size() == 1 ? ids.get(0) : null;
    }

    private void pollNatGateways(MetricsBatch batch, MinuteWindow window, Instant now, PollTally tally) {
        String namespace = batch.kind().namespace();
        Answer failed = call(batch, new Query(batch.region(), namespace, batch.resourceIds(),
                List.of(NatGatewayAggregation.SNAT_CONNECTIONS), Aggregation.TOTAL, NAT_FAILED_FILTER, null, window),
                now, tally);
        Answer totals = call(batch, new Query(batch.region(), namespace, batch.resourceIds(),
                List.of(NatGatewayAggregation.TOTAL_CONNECTIONS, NatGatewayAggregation.PACKET_DROPS), Aggregation.TOTAL,
                null, null, window), now, tally);
        if (failed == null && totals == null) {
            return;
        }
        List<MetricSeries> series = new ArrayList<>();
        if (failed != null) {
            series.addAll(failed.series());
        }
        if (totals != null) {
            series.addAll(totals.series());
        }
        Map<String, List<MetricSeries>> byCluster = byCluster(series);
        List<NatGatewaySample> fresh = new ArrayList<>();
        for (String clusterId : clusters(batch)) {
            NatGatewayAggregation.aggregate(clusterId, byCluster.getOrDefault(clusterId, List.of()), window).stream()
                    .filter(marks::isNew).forEach(fresh::add);
        }
        tally.natGatewayPublished += marks.publishNatGateway(fresh,
                samples -> publisher.publishNatGateway(samples, config.publishTimeout()), tally);
    }

    /** One call with its timer and outcome counter; null (and backoff) when it failed. */
    private Answer call(MetricsBatch batch, Query query, Instant now, PollTally tally) {
        tally.calls++;
        String namespace = batch.kind().namespace();
        Timer.Sample timer = Timer.start(registry);
        CallOutcome outcome = CallOutcome.SUCCESS;
        try {
            Answer answer = monitor.get().query(query);
            backoff.succeeded(batch);
            answer.problems().forEach(p -> tally.skip(p.reason(), 1));
            return answer;
        } catch (AzureMonitorException e) {
            outcome = e.outcome();
            tally.failedCalls++;
            tally.lastError = batch.name() + " " + String.join(",", query.metrics()) + ": " + e.outcome().tag() + " "
                    + e.getMessage();
            LOG.warnf("Azure Monitor %s (next try not before %s)", tally.lastError,
                    backoff.failed(batch, now, e.retryAfter()));
            return null;
        } finally {
            timer.stop(registry.timer("aks_headroom_azure_monitor_call_duration", "namespace", namespace));
            registry.counter("aks_headroom_azure_monitor_calls", "outcome", outcome.tag(), "namespace", namespace)
                    .increment();
        }
    }

    private void warnIfTruncated(MetricsBatch batch, Answer answer, int top, PollTally tally) {
        Map<String, Integer> perResourceAndMetric = new HashMap<>();
        answer.series().forEach(s -> perResourceAndMetric.merge(s.resourceId() + " " + s.metric(), 1, Integer::sum));
        perResourceAndMetric.forEach((what, count) -> {
            if (count >= top) {
                tally.skip("series_truncated", 1);
                LOG.warnf("Azure Monitor %s: %s returned %d series, the top asked for: some backends may be missing; "
                        + "raise max-backends or frontend-ips of its target", batch.name(), what, count);
            }
        });
    }

    private Map<String, List<MetricSeries>> byCluster(List<MetricSeries> series) {
        Map<String, List<MetricSeries>> byCluster = new HashMap<>();
        for (MetricSeries s : series) {
            String clusterId = clusterByResource.get(AzureResourceId.key(s.resourceId()));
            if (clusterId != null) {
                byCluster.computeIfAbsent(clusterId, k -> new ArrayList<>()).add(s);
            }
        }
        return byCluster;
    }

    private static List<String> clusters(MetricsBatch batch) {
        return batch.targets().stream().map(MetricsTarget::clusterId).distinct().toList();
    }

    /** Clusters with a resource the failed-connections answer said nothing usable about: their failures are unknown. */
    private Set<String> clustersWithProblems(Answer answer) {
        Set<String> clusters = new HashSet<>();
        for (Problem problem : answer.problems()) {
            String clusterId = clusterByResource.get(AzureResourceId.key(problem.resourceId()));
            if (clusterId != null) {
                clusters.add(clusterId);
            }
        }
        return clusters;
    }
}
