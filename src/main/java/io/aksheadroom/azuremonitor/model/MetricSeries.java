package io.aksheadroom.azuremonitor.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One time series of one metric of one Azure resource, as Azure Monitor splits it by dimension. Dimension names
 * are looked up without regard to case: Azure Monitor answers with the names lower-cased ({@code backendipaddress})
 * although the metric definitions and filters spell them {@code BackendIPAddress}.
 *
 * @param resourceId the resource the series belongs to, as Azure spells it
 * @param metric the metric name, for example {@code UsedSnatPorts}
 */
public record MetricSeries(String resourceId, String metric, Map<String, String> dimensions,
        List<MetricPoint> points) {

    public MetricSeries {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(metric, "metric");
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (dimensions != null) {
            byName.putAll(dimensions);
        }
        dimensions = Collections.unmodifiableMap(byName);
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** The dimension's value, or null when the series does not carry that dimension or carries it empty. */
    public String dimension(String name) {
        String value = dimensions.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
