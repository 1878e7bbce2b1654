package io.aksheadroom.capacity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The capacity model of {@code capacity-model.md}: one pure function from a profile to a {@link Plan}. The planning
 * API and the event pipeline both call it, so there is one copy of the math.
 */
public final class CapacityPlanner {

    private static final Comparator<Finding> MOST_URGENT_FIRST =
            Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::rule);

    private final SnatPlanner snat;
    private final AddressPlanner addresses = new AddressPlanner();
    private final NetworkChecks network = new NetworkChecks();
    private final PoolChecks poolChecks = new PoolChecks();

    public CapacityPlanner(PlanSettings settings) {
        this.snat = new SnatPlanner(settings);
    }

    public CapacityPlanner() {
        this(PlanSettings.DEFAULTS);
    }

    public Plan plan(ClusterProfile profile) {
        List<Finding> findings = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        SnatFigures snatFigures = snat.plan(profile, findings, actions);
        AddressPlanner.Result addressFigures = addresses.plan(profile, new AutoscalerCeiling(profile), findings);
        AutoscalerCeiling.findingsAndActions(profile, addressFigures.pools(), findings, actions);
        poolChecks.check(profile, findings);
        network.check(profile, findings);
        findings.sort(MOST_URGENT_FIRST);
        return new Plan(profile.clusterId(), profile.pluginMode().wireName(), profile.plannedNodes(),
                profile.currentNodes(), snatFigures, addressFigures.subnets(), addressFigures.pools(),
                addressFigures.podCidr(), findings, actions);
    }
}
