package io.aksheadroom.rest;

import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the pipeline knows now, for people. Each instance answers for the clusters it owns (its input partitions);
 * behind a Service with several replicas, ask each or read the recommendations and alerts topics.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private static final Comparator<Alert> MOST_URGENT_FIRST = Comparator.comparing(Alert::severity).reversed()
            .thenComparing(Alert::clusterId).thenComparing(Alert::alertname).thenComparing(Alert::subject);

    private final Fleet<?> fleet;

    public ClusterResource(Fleet<?> fleet) {
        this.fleet = fleet;
    }

    /** One line per cluster. */
    public record ClusterSummary(String clusterId, Integer currentNodes, Integer plannedNodes, String snatMode,
            Integer portsPerNode, Integer portsPerNodeAtPlannedNodes, Integer recommendedOutboundIps,
            Integer recommendedPortsPerNode, int firingAlerts, Severity worstSeverity, int trackedNodes,
            int trackedBackends, Instant lastEventAt) {
    }

    /** A cluster in full: its current plan and firing alerts. */
    public record ClusterDetail(String clusterId, Plan plan, List<Alert> firingAlerts, int trackedNodes,
            int trackedBackends, Instant lastEventAt) {
    }

    @GET
    @Path("/clusters")
    @Operation(summary = "The clusters this instance monitors, worst first")
    public List<ClusterSummary> clusters() {
        return fleet.view().stream().map(ClusterResource::summary)
                .sorted(Comparator.comparing((ClusterSummary s) -> s.worstSeverity() == null ? -1
                        : s.worstSeverity().ordinal()).reversed().thenComparing(ClusterSummary::clusterId))
                .toList();
    }

    @GET
    @Path("/clusters/{id}")
    @Operation(summary = "One cluster's state, figures and firing alerts")
    public Response cluster(@PathParam("id") String clusterId) {
        ClusterView view = fleet.view(clusterId);
        if (view == null) {
            return ProblemMappers.problem(Problem.notFound("cluster '" + clusterId
                    + "' is not monitored by this instance"));
        }
        List<Alert> alerts = view.firingAlerts().stream().sorted(MOST_URGENT_FIRST).toList();
        return Response.ok(new ClusterDetail(view.clusterId(), view.plan(), alerts, view.nodes(), view.backends(),
                view.lastEventAt())).build();
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Alerts firing now, most urgent first; filter by cluster and minimum severity")
    public List<Alert> alerts(@QueryParam("cluster") String clusterId, @QueryParam("severity") String severity) {
        Severity floor = severity == null ? Severity.INFO : parseSeverity(severity);
        return fleet.view().stream()
                .filter(view -> clusterId == null || view.clusterId().equals(clusterId))
                .flatMap(view -> view.firingAlerts().stream())
                .filter(alert -> alert.severity().atLeast(floor))
                .sorted(MOST_URGENT_FIRST).toList();
    }

    private static Severity parseSeverity(String text) {
        try {
            return Severity.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.aksheadroom.capacity.InvalidInputException("severity",
                    "'" + text + "' is not one of info, warning, critical");
        }
    }

    private static ClusterSummary summary(ClusterView view) {
        Plan plan = view.plan();
        Severity worst = view.firingAlerts().stream().map(Alert::severity).max(Comparator.naturalOrder()).orElse(null);
        return new ClusterSummary(view.clusterId(), plan == null ? null : plan.currentNodes(),
                plan == null ? null : plan.plannedNodes(), plan == null ? null : plan.snat().mode().wireName(),
                plan == null ? null : plan.snat().portsPerNode(),
                plan == null ? null : plan.snat().portsPerNodeAtPlannedNodes(),
                plan == null ? null : plan.snat().recommendedOutboundIps(),
                plan == null ? null : plan.snat().recommendedPortsPerNode(), view.firingAlerts().size(), worst,
                view.nodes(), view.backends(), view.lastEventAt());
    }
}
