package io.aksheadroom.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.json.ProfileJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** What-if planning for a cluster that need not exist: the same engine the pipeline runs. */
@Path("/api/v1/plan")
public class PlanResource {

    private final CapacityPlanner planner;
    private final ObjectMapper mapper;

    public PlanResource(CapacityPlanner planner, ObjectMapper mapper) {
        this.planner = planner;
        this.mapper = mapper;
    }

    // The body is read as text so malformed JSON reaches our problem mapper with its line and column.
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Plan SNAT ports and subnet IPs for a cluster profile",
            description = "Takes the output of `az aks show -o json` plus `subnets` (subnet id -> CIDR), and optionally "
                    + "`vnetAddressSpace`, `subnetConsumers` and `observed`. Unknown fields are ignored.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = SharedSchemas.PROFILE),
            examples = @ExampleObject(name = "tier-drop", summary = "48 nodes autoscaling to 52 with default allocation",
                    value = PlanExamples.PROFILE)))
    @APIResponse(responseCode = "200", description = "The plan",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = SharedSchemas.PLAN)))
    @APIResponse(responseCode = "400", description = "A profile that cannot exist in Azure; `field` names the value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "negative-count", value = PlanExamples.PROBLEM)))
    public Plan plan(String body) throws JsonProcessingException {
        return planner.plan(ProfileJson.parse(mapper.readTree(body == null ? "" : body)));
    }
}
