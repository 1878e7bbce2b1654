package io.aksheadroom.json;

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
 * of the input that produced it.
 */
@RegisterForReflection
public record RecommendationJson(@JsonUnwrapped Plan plan, String generatedAt) {

    public static RecommendationJson of(Plan plan, Instant generatedAt) {
        return new RecommendationJson(plan, generatedAt.toString());
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
        return plan.toString();
    }
}
