package io.aksheadroom.metrics;

import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static io.aksheadroom.monitor.AlertRules.SNAT_TIER_DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.BackendUsage;
import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertCondition;
import io.aksheadroom.monitor.AlertRules;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.NetworkPlugin;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.metrics.FleetSeries.Family;
import io.aksheadroom.metrics.FleetSeries.Metric;
import io.aksheadroom.metrics.FleetSeries.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The fleet's series read from cluster views: the model's figures as they are, bounded per-node series. */
class FleetSeriesTest {

    private static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");
    private static final String SUBNET = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/"
            + "virtualNetworks/vnet/subnets/aks";
    private static final CapacityPlanner PLANNER = new CapacityPlanner();

    private static ClusterProfile profile(String id, OutboundType outbound, LoadBalancerProfile lb,
            NatGatewayProfile nat, AgentPool... pools) {
        return new ClusterProfile(id, id, "rg", NetworkPlugin.AZURE, false, null, Cidr.parse("10.0.0.0/16"), null,
                outbound, lb, nat, List.of(pools), Map.of(SUBNET, Cidr.parse("10.240.0.0/22")),
                List.of(Cidr.parse("10.240.0.0/12")), Map.of(), null);
    }

    private static AgentPool pool(String name, int count, int maxCount) {
        return new AgentPool(name, count, 30, true, 1, maxCount, null, SUBNET, null, null, null);
    }

    private static ClusterView view(String id, Plan plan, List<Alert> alerts, Map<String, long[]> usage,
            Map<String, NodeInfo> nodes) {
        List<BackendUsage> backends = new ArrayList<>();
        usage.forEach((subject, figures) -> backends.add(new BackendUsage(subject, figures[0], figures[1], figures[2],
                nodes.get(subject))));
        return new ClusterView(id, plan, alerts, nodes.size(), usage.size(), AT, backends);
    }

    private static Map<List<String>, Double> samples(List<Family> families, Metric metric) {
        return families.stream().filter(family -> family.metric().equals(metric)).flatMap(f -> f.samples().stream())
                .collect(Collectors.toMap(Sample::labelValues, Sample::value));
    }

    @Test
    void theModelsFiguresAreExportedAsTheyAreUnderTheirCluster() {
        Plan plan = PLANNER.plan(profile("manual", OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(2, null, List.of(), 4000, null), null, pool("system", 3, 10),
                pool("user", 5, 20)));
        List<Family> families = FleetSeries.of(List.of(view("manual", plan, List.of(), Map.of(), Map.of())), 20);

        List<String> cluster = List.of("manual");
        assertEquals(Map.of(cluster, (double) plan.currentNodes()), samples(families, FleetSeries.CURRENT_NODES));
        assertEquals(Map.of(cluster, (double) plan.plannedNodes()), samples(families, FleetSeries.PLANNED_NODES));
        assertEquals(Map.of(cluster, 4000.0), samples(families, FleetSeries.PORTS_PER_NODE));
        assertEquals(Map.of(cluster, 4000.0), samples(families, FleetSeries.PORTS_AT_PLAN));
        assertEquals(Map.of(cluster, (double) plan.snat().maxNodes()), samples(families, FleetSeries.MAX_NODES));
        assertEquals(Map.of(cluster, 2.0), samples(families, FleetSeries.OUTBOUND_IPS));
        assertEquals(Map.of(cluster, (double) plan.snat().recommendedOutboundIps()),
                samples(families, FleetSeries.RECOMMENDED_IPS));
        assertEquals(Map.of(cluster, (double) plan.snat().recommendedPortsPerNode()),
                samples(families, FleetSeries.RECOMMENDED_PORTS));
        assertEquals(Map.of(cluster, 0.0), samples(families, FleetSeries.NAT_RECOMMENDED));
        assertEquals(Map.of(cluster, 128_000.0), samples(families, FleetSeries.CAPACITY_PORTS));
        assertEquals(Map.of(cluster, (double) plan.snat().requiredPortsAtPlannedNodes()),
                samples(families, FleetSeries.REQUIRED_PORTS));
        assertEquals(Map.of(cluster, AT.getEpochSecond() + 0.0), samples(families, FleetSeries.LAST_EVENT));
        assertEquals(Map.of(List.of("manual", plan.pluginMode(), "manual"), 1.0),
                samples(families, FleetSeries.CLUSTER_INFO));

        var subnet = plan.subnets().get(0);
        List<String> subnetLabels = List.of("manual", SUBNET);
        assertEquals(Map.of(subnetLabels, (double) subnet.usable()), samples(families, FleetSeries.SUBNET_USABLE));
        assertEquals(Map.of(subnetLabels, (double) subnet.used()), samples(families, FleetSeries.SUBNET_USED));
        assertEquals(Map.of(subnetLabels, (double) subnet.free()), samples(families, FleetSeries.SUBNET_FREE));
        assertEquals(Map.of(subnetLabels, (double) subnet.required()), samples(families, FleetSeries.SUBNET_REQUIRED));
        assertEquals(Map.of(subnetLabels, 2.0), samples(families, FleetSeries.SUBNET_POOLS));

        Map<List<String>, Double> additional = new HashMap<>();
        Map<List<String>, Double> planned = new HashMap<>();
        plan.pools().forEach(p -> {
            additional.put(List.of("manual", p.name()), (double) p.additionalNodes());
            planned.put(List.of("manual", p.name()), (double) p.plannedNodes());
        });
        assertEquals(additional, samples(families, FleetSeries.POOL_ADDITIONAL));
        assertEquals(planned, samples(families, FleetSeries.POOL_PLANNED));
        assertEquals(Map.of(List.of("manual", "system"), 3.0, List.of("manual", "user"), 5.0),
                samples(families, FleetSeries.POOL_CURRENT));
        // 2 IPs at 4,000 ports hold 32 nodes and the /22 holds 1,019 / 31 = 32 with surge: system (user at 20 + 2
        // surge) may have 9 + 1 surge, user (system at 10 + 1) 19 + 2.
        assertEquals(Map.of(List.of("manual", "system"), 9.0, List.of("manual", "user"), 19.0),
                samples(families, FleetSeries.POOL_CEILING));
        assertEquals(Map.of(List.of("manual", "system"), 10.0, List.of("manual", "user"), 20.0),
                samples(families, FleetSeries.POOL_MAX_COUNT));
    }

    @Test
    void aFixedSizePoolHasNoMaxCountSample() {
        AgentPool fixed = new AgentPool("fixed", 3, 30, false, null, null, null, SUBNET, null, null, null);
        Plan plan = PLANNER.plan(profile("fixed", OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(2, null, List.of(), 4000, null), null, fixed, pool("auto", 2, 6)));
        List<Family> families = FleetSeries.of(List.of(view("fixed", plan, List.of(), Map.of(), Map.of())), 20);
        assertEquals(Map.of(List.of("fixed", "auto"), 6.0), samples(families, FleetSeries.POOL_MAX_COUNT));
        assertEquals(2, samples(families, FleetSeries.POOL_CEILING).size());
    }

    @Test
    void aPoolWithNoCeilingHasNoCeilingSample() {
        // One IP at 64,000 ports holds one node; each pool's neighbour already plans two (one and its surge).
        Plan full = PLANNER.plan(profile("full", OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(1, null, List.of(), 64_000, null), null, pool("a", 1, 1), pool("b", 1, 1)));
        List<Family> families = FleetSeries.of(List.of(view("full", full, List.of(), Map.of(), Map.of())), 20);
        assertTrue(full.pools().stream().allMatch(pool -> pool.maxCountCeiling() == null), full.pools().toString());
        assertTrue(samples(families, FleetSeries.POOL_CEILING).isEmpty(), "null is no data, never a made-up zero");
        assertEquals(2, samples(families, FleetSeries.POOL_PLANNED).size());
    }

    @Test
    void figuresThatDoNotApplyHaveNoSampleNeverAZero() {
        Plan nat = PLANNER.plan(profile("nat", OutboundType.MANAGED_NAT_GATEWAY, null, new NatGatewayProfile(2, null),
                pool("user", 3, 10)));
        Plan defaults = PLANNER.plan(profile("default", OutboundType.LOAD_BALANCER, LoadBalancerProfile.AKS_DEFAULT,
                null, pool("user", 3, 10)));
        List<Family> families = FleetSeries.of(List.of(view("nat", nat, List.of(), Map.of(), Map.of()),
                view("default", defaults, List.of(), Map.of(), Map.of())), 20);

        assertEquals(Map.of(List.of("default"), 1024.0), samples(families, FleetSeries.PORTS_PER_NODE),
                "NAT gateway allocates on demand: no ports per node");
        assertFalse(samples(families, FleetSeries.PORTS_AT_PLAN).containsKey(List.of("nat")));
        assertTrue(samples(families, FleetSeries.MAX_NODES).isEmpty(), "SNAT-3 is for manual allocation only");
        assertTrue(samples(families, FleetSeries.DEMAND).isEmpty(), "nothing observed yet");
        assertTrue(samples(families, FleetSeries.POD_CIDR_CAPACITY).isEmpty(), "Azure CNI node subnet: no pod CIDR");
        assertEquals(Map.of(List.of("nat"), 129_024.0, List.of("default"), 64_000.0),
                samples(families, FleetSeries.CAPACITY_PORTS));
        assertTrue(families.stream().noneMatch(family -> family.samples().isEmpty()), "empty families are left out");
    }

    @Test
    void perNodeSeriesAreTheBusiestBackendsAndPoolsSummariseThemAll() {
        Plan plan = PLANNER.plan(profile("busy", OutboundType.LOAD_BALANCER,
                new LoadBalancerProfile(1, null, List.of(), 1024, null), null, pool("a", 20, 20), pool("b", 10, 10)));
        Map<String, long[]> usage = new LinkedHashMap<>();
        Map<String, NodeInfo> nodes = new LinkedHashMap<>();
        Map<String, List<Double>> utilizationsByPool = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String pool = i < 20 ? "a" : "b";
            String ip = "10.240.0." + (4 + i);
            long used = (i * 37L) % 1024;
            usage.put(ip + "/TCP", new long[] {used, 1024, i == 25 ? 5 : 0});
            nodes.put(ip + "/TCP", new NodeInfo("node-" + i, pool, ip, 30));
            utilizationsByPool.computeIfAbsent(pool, p -> new ArrayList<>()).add(used / 1024.0);
        }
        // A node joining the backend pool: nothing allocated yet, so no utilization to rank or summarise.
        usage.put("10.240.0.99/TCP", new long[] {0, 0, 0});
        nodes.put("10.240.0.99/TCP", new NodeInfo("node-99", "b", "10.240.0.99", 30));

        List<Family> families = FleetSeries.of(List.of(view("busy", plan, List.of(), usage, nodes)), 5);

        Map<List<String>, Double> top = samples(families, FleetSeries.NODE_UTILIZATION);
        assertEquals(5, top.size());
        List<Double> expected = utilizationsByPool.values().stream().flatMap(List::stream)
                .sorted(java.util.Comparator.reverseOrder()).limit(5).toList();
        assertEquals(expected, top.values().stream().sorted(java.util.Comparator.reverseOrder()).toList());
        top.keySet().forEach(labels -> {
            String subject = "10.240.0." + (4 + Integer.parseInt(labels.get(2).substring("node-".length()))) + "/TCP";
            assertEquals(List.of("busy", nodes.get(subject).pool(), nodes.get(subject).name(), "TCP"), labels);
            assertEquals(usage.get(subject)[0] / 1024.0, top.get(labels));
        });
        assertEquals(top.keySet(), samples(families, FleetSeries.NODE_USED).keySet());
        assertEquals(top.keySet(), samples(families, FleetSeries.NODE_ALLOCATED).keySet());

        double[] a = utilizationsByPool.get("a").stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertEquals(a[19], samples(families, FleetSeries.POOL_UTILIZATION_MAX).get(List.of("busy", "a")));
        assertEquals(a[18], samples(families, FleetSeries.POOL_UTILIZATION_P95).get(List.of("busy", "a")),
                "nearest rank: the 19th of 20");
        assertEquals(Map.of(List.of("busy", "a"), 20.0, List.of("busy", "b"), 11.0),
                samples(families, FleetSeries.POOL_BACKENDS), "the joining node is a backend of b");
        assertEquals(Map.of(List.of("busy", "a"), 0.0, List.of("busy", "b"), 5.0),
                samples(families, FleetSeries.POOL_FAILED));
        assertEquals(1024.0, samples(families, FleetSeries.POOL_ALLOCATED_MIN).get(List.of("busy", "b")),
                "a backend with nothing allocated is not drift");
    }

    @Test
    void backendsOfNodesNotYetNamedGoUnderTheUnknownPool() {
        Plan plan = PLANNER.plan(profile("anon", OutboundType.LOAD_BALANCER, LoadBalancerProfile.AKS_DEFAULT, null,
                pool("a", 2, 2)));
        Map<String, long[]> usage = Map.of("10.240.0.4/TCP", new long[] {100, 1024, 0}, "10.240.0.4/UDP",
                new long[] {10, 1024, 0});
        List<Family> families = FleetSeries.of(List.of(view("anon", plan, List.of(), usage, Map.of())), 20);

        assertEquals(Map.of(List.of("anon", FleetSeries.UNKNOWN_POOL), 2.0),
                samples(families, FleetSeries.POOL_BACKENDS));
        assertEquals(Map.of(List.of("anon", FleetSeries.UNKNOWN_POOL, "10.240.0.4", "TCP"), 100.0 / 1024,
                List.of("anon", FleetSeries.UNKNOWN_POOL, "10.240.0.4", "UDP"), 10.0 / 1024),
                samples(families, FleetSeries.NODE_UTILIZATION),
                "named by backend IP; TCP and UDP are separate backends (SNAT-7)");
    }

    @Test
    void firingAlertsAndFindingsAreCountedByNameAndSeverity() {
        Plan plan = PLANNER.plan(profile("alerting", OutboundType.LOAD_BALANCER, LoadBalancerProfile.AKS_DEFAULT, null,
                pool("a", 40, 60)));
        List<Alert> alerts = List.of(
                alert("alerting", SNAT_PORTS_HIGH, Severity.CRITICAL, "10.240.0.4/TCP"),
                alert("alerting", SNAT_PORTS_HIGH, Severity.CRITICAL, "10.240.0.5/TCP"),
                alert("alerting", SNAT_PORTS_HIGH, Severity.WARNING, "10.240.0.6/TCP"),
                alert("alerting", SNAT_TIER_DROP, Severity.WARNING, "cluster"));
        List<Family> families = FleetSeries.of(List.of(view("alerting", plan, alerts, Map.of(), Map.of())), 20);

        assertEquals(Map.of(List.of("alerting", SNAT_PORTS_HIGH.alertname(), "critical"), 2.0,
                List.of("alerting", SNAT_PORTS_HIGH.alertname(), "warning"), 1.0,
                List.of("alerting", SNAT_TIER_DROP.alertname(), "warning"), 1.0), samples(families, FleetSeries.ALERTS));
        Map<List<String>, Double> expectedFindings = new HashMap<>();
        plan.findings().forEach(finding -> expectedFindings.merge(List.of("alerting", finding.rule(),
                finding.severity().wireName()), 1.0, Double::sum));
        assertTrue(expectedFindings.containsKey(List.of("alerting", "SNAT-5", "warning")), "the tier drop: 41 -> 61");
        assertEquals(expectedFindings, samples(families, FleetSeries.FINDINGS));
    }

    @Test
    void noPerNodeSeriesWithATopOfZeroAndANegativeTopIsRefused() {
        Plan plan = PLANNER.plan(profile("c", OutboundType.LOAD_BALANCER, LoadBalancerProfile.AKS_DEFAULT, null,
                pool("a", 1, 1)));
        ClusterView view = view("c", plan, List.of(), Map.of("10.240.0.4/TCP", new long[] {1, 2, 0}), Map.of());
        assertTrue(samples(FleetSeries.of(List.of(view), 0), FleetSeries.NODE_USED).isEmpty());
        assertEquals(1, samples(FleetSeries.of(List.of(view), 0), FleetSeries.POOL_UTILIZATION_MAX).size());
        assertThrows(IllegalArgumentException.class, () -> FleetSeries.of(List.of(view), -1));
    }

    @Test
    void nearestRankPercentile() {
        assertEquals(7.0, FleetSeries.nearestRank(new double[] {7}, 0.95));
        double[] twenty = new double[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = i + 1;
        }
        assertEquals(19.0, FleetSeries.nearestRank(twenty, 0.95));
        assertEquals(10.0, FleetSeries.nearestRank(twenty, 0.5));
        assertEquals(20.0, FleetSeries.nearestRank(twenty, 1.0));
    }

    private static Alert alert(String cluster, AlertRules name, Severity severity, String subject) {
        return Alert.firing(cluster, new AlertCondition(name, name.rules().get(0), severity, subject, "summary", null,
                null), AT, AT);
    }
}
