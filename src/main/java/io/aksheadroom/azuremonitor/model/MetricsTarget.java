package io.aksheadroom.azuremonitor.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One resource to watch for one cluster.
 *
 * @param region the resource's Azure region; the batch metrics API is regional
 * @param maxBackends the most nodes the cluster can have behind the resource (sizes {@code top})
 * @param frontendIps the outbound frontend IPs of a load balancer (each splits every backend's series once more)
 */
public record MetricsTarget(String clusterId, AzureResourceId resource, String region, int maxBackends,
        int frontendIps) {

    /** Protocol (TCP, UDP) times IsAwaitingRemoval (true, false): the series one backend and frontend can have. */
    static final int SERIES_PER_BACKEND_AND_FRONTEND = 4;

    public MetricsTarget {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("missing clusterId");
        }
        Objects.requireNonNull(resource, "resource");
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(clusterId + ": missing region for " + resource.id());
        }
        // "West Europe" and "westeurope" are the same region; the endpoint host wants the latter.
        region = region.replace(" ", "").toLowerCase(Locale.ROOT);
        if (maxBackends < 1 || frontendIps < 1) {
            throw new IllegalArgumentException(clusterId + ": maxBackends and frontendIps must be at least 1");
        }
    }

    /**
     * The {@code top} that returns every series of this resource rather than Azure's default of 10: per backend,
     * each frontend IP, protocol and awaiting-removal state can have its own series.
     */
    public int seriesTop() {
        long top = resource.kind() == OutboundResourceKind.LOAD_BALANCER
                ? (long) maxBackends * frontendIps * SERIES_PER_BACKEND_AND_FRONTEND
                : maxBackends;
        return (int) Math.min(top, Integer.MAX_VALUE);
    }
}
