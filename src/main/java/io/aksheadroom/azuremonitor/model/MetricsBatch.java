package io.aksheadroom.azuremonitor.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources one batch metrics call asks about: the API takes resources of one subscription (it is in the URL),
 * one region (the endpoint is regional) and one metric namespace, at most {@link #MAX_RESOURCES} at a time.
 */
public record MetricsBatch(String subscription, String region, OutboundResourceKind kind, int part,
        List<MetricsTarget> targets) {

    /** The batch API's documented limit of resource ids per call. */
    public static final int MAX_RESOURCES = 50;

    public MetricsBatch {
        targets = List.copyOf(targets);
    }

    /**
     * Groups the targets by subscription, region and kind, then cuts each group into calls of at most
     * {@code maxPerCall}. The order is stable (by subscription, region, kind, then resource id), so the same
     * configuration always makes the same calls.
     */
    public static List<MetricsBatch> plan(List<MetricsTarget> targets, int maxPerCall) {
        if (maxPerCall < 1 || maxPerCall > MAX_RESOURCES) {
            throw new IllegalArgumentException("maxPerCall must be within 1.." + MAX_RESOURCES);
        }
        List<MetricsTarget> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparing((MetricsTarget t) -> t.resource().subscription())
                .thenComparing(MetricsTarget::region).thenComparing(t -> t.resource().kind())
                .thenComparing(t -> t.resource().key()));
        Map<List<Object>, List<MetricsTarget>> groups = new LinkedHashMap<>();
        for (MetricsTarget target : sorted) {
            groups.computeIfAbsent(List.of(target.resource().subscription(), target.region(), target.resource().kind()),
                    k -> new ArrayList<>()).add(target);
        }
        List<MetricsBatch> batches = new ArrayList<>();
        groups.forEach((key, group) -> {
            for (int i = 0; i < group.size(); i += maxPerCall) {
                MetricsTarget first = group.get(i);
                batches.add(new MetricsBatch(first.resource().subscription(), first.region(),
                        first.resource().kind(), i / maxPerCall + 1,
                        group.subList(i, Math.min(group.size(), i + maxPerCall))));
            }
        });
        return batches;
    }

    public List<String> resourceIds() {
        return targets.stream().map(t -> t.resource().id()).toList();
    }

    /** One {@code top} serves the whole call, so it is the largest any of its resources needs. */
    public int seriesTop() {
        return targets.stream().mapToInt(MetricsTarget::seriesTop).max().orElse(1);
    }

    /** A stable name for logs and health data: the group and which of its calls this is. */
    public String name() {
        return subscription + "/" + region + "/" + kind.namespace() + "#" + part;
    }
}
