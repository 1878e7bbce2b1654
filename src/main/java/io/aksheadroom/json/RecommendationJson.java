package io.aksheadroom.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.Plan;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;
import java.time.Instant;

/**
 * The {@code aks.recommendations} record, key = clusterId: the plan's fields, then {@code generatedAt}, the event time
 * of the input that produced it, and {@code newestSampleAt}, the event time of the newest sample the plan had (absent
 * before the first sample), which tells a subscriber such as the actuator how current the demand behind it is.
 */
@RegisterForReflection
public record RecommendationJson(@JsonUnwrapped Plan plan, String generatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String newestSampleAt) {

    public static RecommendationJson of(Plan plan, Instant generatedAt) {
        return of(plan, generatedAt, null);
    }

    public static RecommendationJson of(Plan plan, Instant generatedAt, Instant newestSampleAt) {
        return new RecommendationJson(plan, generatedAt.toString(),
                newestSampleAt == null ? null : newestSampleAt.toString());
    }

    /**
     * The plan a record on the topic holds, in the text {@link OutgoingRecords#write} gives that plan, so a restarted
     * publisher can tell whether its next plan is news; null when the record is no JSON object.
     */
    public static String planText(ObjectMapper mapper, String recordValue) throws IOException {
        JsonNode record = mapper.readTree(recordValue);
        if (!(record instanceof ObjectNode plan)) {
            return null;
        }
        plan.remove("generatedAt");
        plan.remove("newestSampleAt");
        return plan.toString();
    }
}
