package io.aksheadroom.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse Azure Monitor series for tests: {@code series("UsedSnatPorts").dim("BackendIPAddress", ip).at(t, 3.0)}. */
final class MonitorSeriesBuilder {

    static final String LB = "/subscriptions/s1/resourceGroups/mc_rg/providers/Microsoft.Network/loadBalancers/kubernetes";

    private final String metric;
    private String resourceId = LB;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final List<MonitorPoint> points = new ArrayList<>();

    private MonitorSeriesBuilder(String metric) {
        this.metric = metric;
    }

    static MonitorSeriesBuilder series(String metric) {
        return new MonitorSeriesBuilder(metric);
    }

    /** A port series of one backend, frontend and protocol, not awaiting removal. */
    static MonitorSeriesBuilder ports(String metric, String backend, String frontend, String protocol) {
        return series(metric).dim(SnatAggregation.BACKEND, backend).dim(SnatAggregation.FRONTEND, frontend)
                .dim(SnatAggregation.PROTOCOL, protocol).dim(SnatAggregation.AWAITING_REMOVAL, "false");
    }

    static MonitorSeriesBuilder failed(String backend) {
        return series(SnatAggregation.CONNECTIONS).dim(SnatAggregation.BACKEND, backend)
                .dim(SnatAggregation.CONNECTION_STATE, SnatAggregation.FAILED);
    }

    MonitorSeriesBuilder resource(String id) {
        this.resourceId = id;
        return this;
    }

    MonitorSeriesBuilder dim(String name, String value) {
        dimensions.put(name, value);
        return this;
    }

    MonitorSeriesBuilder at(Instant at, Double value) {
        points.add(new MonitorPoint(at, value));
        return this;
    }

    MonitorSeries build() {
        return new MonitorSeries(resourceId, metric, dimensions, points);
    }
}
