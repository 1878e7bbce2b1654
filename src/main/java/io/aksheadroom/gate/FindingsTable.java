package io.aksheadroom.gate;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Finding;
import io.aksheadroom.capacity.Numbers;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PoolFigures;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SnatFigures;
import io.aksheadroom.capacity.SnatMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A plan for a person reading a pipeline's log: the pools, the findings, the {@code az} commands, the verdict. */
final class FindingsTable {

    private FindingsTable() {
    }

    static String render(ClusterProfile profile, Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Cluster ").append(profile.name());
        if (plan.clusterId() != null && !plan.clusterId().equals(profile.name())) {
            out.append(" (").append(plan.clusterId()).append(')');
        }
        out.append(": ").append(plan.currentNodes()).append(" nodes now, ").append(plan.plannedNodes())
                .append(" planned (surge included)\n");
        outbound(plan.snat(), out);
        out.append('\n');
        List<List<String>> pools = new ArrayList<>();
        pools.add(List.of("POOL", "NOW", "PLANNED", "SURGE", "ROOM FOR (IP-5)", "MAXCOUNT CEILING"));
        for (PoolFigures pool : plan.pools()) {
            pools.add(List.of(pool.name(), String.valueOf(pool.currentNodes()), String.valueOf(pool.plannedNodes()),
                    String.valueOf(pool.surgeNodes()), String.valueOf(pool.additionalNodes()),
                    pool.maxCountCeiling() == null ? "none fits" : String.valueOf(pool.maxCountCeiling())));
        }
        table(pools, out);
        out.append('\n');
        if (plan.findings().isEmpty()) {
            out.append("No findings.\n");
        } else {
            List<List<String>> findings = new ArrayList<>();
            findings.add(List.of("SEVERITY", "RULE", "SUBJECT", "FINDING"));
            for (Finding finding : plan.findings()) {
                findings.add(List.of(finding.severity().wireName(), finding.rule(), lastSegment(finding.subject()),
                        finding.message()));
            }
            table(findings, out);
        }
        if (!plan.actions().isEmpty()) {
            out.append("\nFixes:\n");
            plan.actions().forEach(action -> out.append("  ").append(action).append('\n'));
        }
        out.append('\n').append(verdict(plan));
        return out.toString();
    }

    private static void outbound(SnatFigures snat, StringBuilder out) {
        out.append("Outbound: ").append(snat.mode().wireName());
        if (snat.mode() == SnatMode.NOT_APPLICABLE) {
            out.append(" (the outbound type gives this service no ports to count)\n");
            return;
        }
        if (snat.outboundIps() != null) {
            out.append(", ").append(snat.outboundIps()).append(snat.outboundIps() == 1 ? " IP" : " IPs");
        }
        if (snat.portsPerNode() != null) {
            out.append(", ").append(Numbers.grouped(snat.portsPerNode())).append(" ports per node now");
        }
        if (snat.portsPerNodeAtPlannedNodes() != null) {
            out.append(", ").append(Numbers.grouped(snat.portsPerNodeAtPlannedNodes())).append(" at the planned size");
        }
        out.append('\n');
    }

    private static String verdict(Plan plan) {
        Map<Severity, Integer> counts = new TreeMap<>();
        plan.findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        int critical = counts.getOrDefault(Severity.CRITICAL, 0);
        String tally = "%d critical, %d warning, %d info".formatted(critical,
                counts.getOrDefault(Severity.WARNING, 0), counts.getOrDefault(Severity.INFO, 0));
        return critical > 0 ? "FAIL: " + tally + ". Azure would refuse this plan or the cluster would run out.\n"
                : "PASS: " + tally + ".\n";
    }

    /** Subnet subjects are ARM ids; their last segment is the name a reader knows. */
    private static String lastSegment(String subject) {
        return subject.substring(subject.lastIndexOf('/') + 1);
    }

    private static void table(List<List<String>> rows, StringBuilder out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
