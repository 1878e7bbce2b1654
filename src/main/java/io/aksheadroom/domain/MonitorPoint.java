package io.aksheadroom.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One data point of an Azure Monitor time series: the start of its time grain and the requested aggregation.
 *
 * @param value null when Azure Monitor has no data for that grain (it sends the timestamp alone)
 */
public record MonitorPoint(Instant at, Double value) {

    public MonitorPoint {
        Objects.requireNonNull(at, "at");
    }
}
