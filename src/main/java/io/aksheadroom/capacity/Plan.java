package io.aksheadroom.capacity;

import java.util.List;

/**
 * The answer for one cluster: figures, findings and the commands that fix them. Field names are the API contract.
 *
 * @param plannedNodes {@code N_plan}, surge included
 * @param podCidr null for modes that do not carve the pod CIDR
 */
public record Plan(
        String clusterId,
        String pluginMode,
        int plannedNodes,
        int currentNodes,
        SnatFigures snat,
        List<SubnetFigures> subnets,
        List<PoolFigures> pools,
        PodCidrFigures podCidr,
        List<Finding> findings,
        List<String> actions) {

    public Plan {
        subnets = List.copyOf(subnets);
        pools = List.copyOf(pools);
        findings = List.copyOf(findings);
        actions = List.copyOf(actions);
    }

    public boolean hasFinding(String rule) {
        return findings.stream().anyMatch(finding -> finding.rule().equals(rule));
    }
}
