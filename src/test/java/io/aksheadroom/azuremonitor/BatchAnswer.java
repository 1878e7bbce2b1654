package io.aksheadroom.azuremonitor;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer of {@code POST /subscriptions/{sub}/metrics:getBatch} in Azure's REST shape:
 * {@code {"values":[{"starttime","endtime","interval","value":[{"id","type","name":{"value","localizedValue"},
 * "unit","timeseries":[{"metadatavalues":[{"name":{"value"},"value"}],"data":[{"timeStamp","average"}]}],
 * "errorCode"}],"namespace","resourceregion","resourceid"}]}}. Dimension names come lower-cased, as Azure sends them.
 */
public final class BatchAnswer {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final ObjectNode root = JSON.objectNode();
    private final ArrayNode values = root.putArray("values");
    private final Instant start;
    private final Instant end;

    private BatchAnswer(Instant start, Instant end) {
        this.start = start;
        this.end = end;
    }

    public static BatchAnswer window(Instant start, Instant end) {
        return new BatchAnswer(start, end);
    }

    /** One resource's entry; its metrics are added to it. */
    public Resource resource(String resourceId, String namespace) {
        ObjectNode entry = values.addObject();
        entry.put("starttime", start.toString());
        entry.put("endtime", end.toString());
        entry.put("interval", "PT1M");
        ArrayNode metrics = entry.putArray("value");
        entry.put("namespace", namespace);
        entry.put("resourceregion", "westeurope");
        entry.put("resourceid", resourceId);
        return new Resource(resourceId, metrics);
    }

    public String json() {
        return root.toString();
    }

    public final class Resource {
        private final String resourceId;
        private final ArrayNode metrics;

        Resource(String resourceId, ArrayNode metrics) {
            this.resourceId = resourceId;
            this.metrics = metrics;
        }

        public Metric metric(String name) {
            ObjectNode metric = metrics.addObject();
            metric.put("id", resourceId + "/providers/Microsoft.Insights/metrics/" + name);
            metric.put("type", "Microsoft.Insights/metrics");
            metric.putObject("name").put("value", name).put("localizedValue", name);
            metric.put("displayDescription", name);
            metric.put("unit", "Count");
            ArrayNode series = metric.putArray("timeseries");
            metric.put("errorCode", "Success");
            return new Metric(this, metric, series);
        }

        public BatchAnswer done() {
            return BatchAnswer.this;
        }
    }

    public final class Metric {
        private final Resource resource;
        private final ObjectNode metric;
        private final ArrayNode series;

        Metric(Resource resource, ObjectNode metric, ArrayNode series) {
            this.resource = resource;
            this.metric = metric;
            this.series = series;
        }

        /** A series with these dimensions; {@code values} are per minute from the window's start, null = no data. */
        public Metric series(Map<String, String> dimensions, String aggregation, Double... values) {
            ObjectNode element = series.addObject();
            ArrayNode metadata = element.putArray("metadatavalues");
            dimensions.forEach((name, value) -> {
                ObjectNode entry = metadata.addObject();
                entry.putObject("name").put("value", name.toLowerCase()).put("localizedValue", name.toLowerCase());
                entry.put("value", value);
            });
            ArrayNode data = element.putArray("data");
            for (int minute = 0; minute < values.length; minute++) {
                ObjectNode point = data.addObject();
                point.put("timeStamp", start.plusSeconds(60L * minute).toString());
                if (values[minute] != null) {
                    point.put(aggregation, values[minute]);
                }
            }
            return this;
        }

        /** Azure's per-metric failure inside a 200 answer. */
        Metric error(String code, String message) {
            metric.put("errorCode", code);
            metric.put("errorMessage", message);
            return this;
        }

        /** Back to the resource, for its next metric. */
        public Resource and() {
            return resource;
        }

        public BatchAnswer done() {
            return BatchAnswer.this;
        }
    }
}
