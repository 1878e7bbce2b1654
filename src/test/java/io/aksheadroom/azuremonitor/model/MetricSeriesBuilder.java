package io.aksheadroom.azuremonitor.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse Azure Monitor series for tests: {@code series("UsedSnatPorts").dim("BackendIPAddress", ip).at(t, 3.0)}. */
final class MetricSeriesBuilder {

    static final String LB = "/subscriptions/s1/resourceGroups/mc_rg/providers/Microsoft.Network/loadBalancers/kubernetes";

    private final String metric;
    private String resourceId = LB;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final List<MetricPoint> points = new ArrayList<>();

    private MetricSeriesBuilder(String metric) {
        this.metric = metric;
    }

    static MetricSeriesBuilder series(String metric) {
        return new MetricSeriesBuilder(metric);
    }

    /** A port series of one backend, frontend and protocol, not awaiting removal. */
    static MetricSeriesBuilder ports(String metric, String backend, String frontend, String protocol) {
        return series(metric).dim(SnatAggregation.BACKEND, backend).dim(SnatAggregation.FRONTEND, frontend)
                .dim(SnatAggregation.PROTOCOL, protocol).dim(SnatAggregation.AWAITING_REMOVAL, "false");
    }

    static MetricSeriesBuilder failed(String backend) {
        return series(SnatAggregation.CONNECTIONS).dim(SnatAggregation.BACKEND, backend)
                .dim(SnatAggregation.CONNECTION_STATE, SnatAggregation.FAILED);
    }

    MetricSeriesBuilder resource(String id) {
        this.resourceId = id;
        return this;
    }

    MetricSeriesBuilder dim(String name, String value) {
        dimensions.put(name, value);
        return this;
    }

    MetricSeriesBuilder at(Instant at, Double value) {
        points.add(new MetricPoint(at, value));
        return this;
    }

    MetricSeries build() {
        return new MetricSeries(resourceId, metric, dimensions, points);
    }
}
