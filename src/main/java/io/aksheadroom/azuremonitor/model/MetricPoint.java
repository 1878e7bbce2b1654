package io.aksheadroom.azuremonitor.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One data point of an Azure Monitor time series: the start of its time grain and the requested aggregation.
 *
 * @param value null when Azure Monitor has no data for that grain (it sends the timestamp alone)
 */
public record MetricPoint(Instant at, Double value) {

    public MetricPoint {
        Objects.requireNonNull(at, "at");
    }
}
