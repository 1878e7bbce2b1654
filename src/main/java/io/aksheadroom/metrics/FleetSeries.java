package io.aksheadroom.metrics;

import io.aksheadroom.monitor.BackendUsage;
import io.aksheadroom.monitor.ClusterView;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PoolFigures;
import io.aksheadroom.capacity.SnatFigures;
import io.aksheadroom.capacity.SubnetFigures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fleet as Prometheus gauges: a pure function of {@code Fleet.view()} snapshots, computed at scrape time. It only
 * reads the figures the capacity model already computed; what it adds is aggregation for bounded cardinality (the
 * busiest {@code topNodes} backends per cluster, max and p95 per pool) and counts of alerts and findings.
 *
 * <p>Figures the model leaves null (not applicable to the cluster's outbound type or allocation) have no sample: a
 * Prometheus user sees "no data", never a made-up zero, as the model's API promises.
 */
public final class FleetSeries {

    /** Backends whose node the node watcher has not named are grouped under this pool. AKS pool names cannot start with '_'. */
    public static final String UNKNOWN_POOL = "_unknown";

    private static final List<String> CLUSTER = List.of("cluster");
    private static final List<String> SUBNET = List.of("cluster", "subnet");
    private static final List<String> POOL = List.of("cluster", "pool");
    private static final List<String> NODE = List.of("cluster", "pool", "node", "protocol");

    /** A gauge family the fleet exports: its name, help text and label names. */
    public record Metric(String name, String help, List<String> labelNames) {
    }

    /** A family with its samples; each sample's label values follow {@link Metric#labelNames()}. */
    public record Family(Metric metric, List<Sample> samples) {
    }

    /** One series' label values and value. */
    public record Sample(List<String> labelValues, double value) {
    }

    /**
     * Receives the series of clusters one at a time. A scrape renders them as they come instead of building
     * {@link Sample}s first: with 1,000 clusters that is 100,000 objects per scrape saved.
     */
    @FunctionalInterface
    public interface Sink {
        /** One series of {@code metric}; {@code labelValues} follow its {@link Metric#labelNames()}. */
        void sample(Metric metric, List<String> labelValues, double value);
    }

    public static final Metric CLUSTER_INFO = new Metric("aks_headroom_cluster_info",
            "Always 1: the cluster's pod networking mode and SNAT allocation mode as labels",
            List.of("cluster", "plugin_mode", "snat_mode"));
    public static final Metric LAST_EVENT = new Metric("aks_headroom_cluster_last_event_timestamp_seconds",
            "Event time of the newest input record applied to the cluster", CLUSTER);
    public static final Metric CURRENT_NODES = new Metric("aks_headroom_cluster_current_nodes",
            "Nodes the cluster has now (node events, else the profile's counts)", CLUSTER);
    public static final Metric PLANNED_NODES = new Metric("aks_headroom_cluster_planned_nodes",
            "N_plan: nodes at the planned size, maxCount when autoscaling, surge included", CLUSTER);
    public static final Metric PORTS_PER_NODE = new Metric("aks_headroom_snat_ports_per_node",
            "SNAT ports each node has now (SNAT-2 manual, SNAT-4 default); none for NAT gateway", CLUSTER);
    public static final Metric PORTS_AT_PLAN = new Metric("aks_headroom_snat_ports_per_node_at_plan",
            "SNAT ports each node gets at N_plan (SNAT-4/SNAT-5)", CLUSTER);
    public static final Metric MAX_NODES = new Metric("aks_headroom_snat_max_nodes",
            "Nodes the outbound IPs can serve at the manual allocation, surge included (SNAT-3); manual only",
            CLUSTER);
    public static final Metric DEMAND = new Metric("aks_headroom_snat_demand_ports_per_node",
            "Peak used SNAT ports of the busiest node over the demand window (SNAT-8)", CLUSTER);
    public static final Metric RECOMMENDED_PORTS = new Metric("aks_headroom_snat_recommended_ports_per_node",
            "P*: the recommended ports per node (SNAT-8)", CLUSTER);
    public static final Metric OUTBOUND_IPS = new Metric("aks_headroom_snat_outbound_ips",
            "Outbound IPs configured on the load balancer or NAT gateway", CLUSTER);
    public static final Metric RECOMMENDED_IPS = new Metric("aks_headroom_snat_recommended_outbound_ips",
            "N*: the recommended outbound IPs (SNAT-8), or the NAT gateway IP count K (SNAT-9)", CLUSTER);
    public static final Metric NAT_RECOMMENDED = new Metric("aks_headroom_snat_nat_gateway_recommended",
            "1 when the load balancer cannot reach the plan and a NAT gateway is recommended (SNAT-8)", CLUSTER);
    public static final Metric CAPACITY_PORTS = new Metric("aks_headroom_snat_capacity_ports",
            "All outbound IPs' SNAT ports together (SNAT-1, SNAT-9)", CLUSTER);
    public static final Metric REQUIRED_PORTS = new Metric("aks_headroom_snat_required_ports_at_plan",
            "SNAT ports N_plan nodes take: N_plan x ports per node, or x demand for NAT gateway", CLUSTER);
    public static final Metric POD_CIDR_CAPACITY = new Metric("aks_headroom_pod_cidr_node_capacity",
            "Nodes the pod CIDR holds at a /24 each (IP-6, IP-7); kubenet and overlay only", CLUSTER);
    public static final Metric POD_CIDR_LIMIT = new Metric("aks_headroom_pod_cidr_node_limit",
            "The plugin's node limit: 400 for kubenet, 5000 for overlay (IP-6, IP-7)", CLUSTER);
    public static final Metric ALERTS = new Metric("aks_headroom_alerts_firing",
            "Alerts the service has firing, by alert name and severity", List.of("cluster", "alertname", "severity"));
    public static final Metric FINDINGS = new Metric("aks_headroom_plan_findings",
            "Findings of the current plan, by the capacity model's rule id and severity",
            List.of("cluster", "rule", "severity"));
    public static final Metric SUBNET_USABLE = new Metric("aks_headroom_subnet_usable_addresses",
            "Usable addresses of the subnet: size minus the 5 Azure reserves (IP-1)", SUBNET);
    public static final Metric SUBNET_USED = new Metric("aks_headroom_subnet_used_addresses",
            "Addresses the subnet's pools and other consumers hold now (IP-4)", SUBNET);
    public static final Metric SUBNET_FREE = new Metric("aks_headroom_subnet_free_addresses",
            "Usable minus used addresses now (IP-4)", SUBNET);
    public static final Metric SUBNET_REQUIRED = new Metric("aks_headroom_subnet_required_addresses",
            "Addresses the subnet's pools need at their planned size, surge included (IP-4)", SUBNET);
    public static final Metric SUBNET_POOLS = new Metric("aks_headroom_subnet_pools",
            "Node pools that take addresses from the subnet", SUBNET);
    public static final Metric POOL_CURRENT = new Metric("aks_headroom_pool_current_nodes",
            "Nodes the pool has now", POOL);
    public static final Metric POOL_PLANNED = new Metric("aks_headroom_pool_planned_nodes",
            "Nodes the pool plans for: maxCount when autoscaling, else count; surge not included", POOL);
    public static final Metric POOL_ADDITIONAL = new Metric("aks_headroom_pool_additional_nodes",
            "Nodes the pool can still add with a surge slot kept free, other pools unchanged (IP-5)", POOL);
    public static final Metric POOL_MAX_COUNT = new Metric("aks_headroom_pool_max_count",
            "The autoscaler's maxCount of the pool; autoscaling pools only", POOL);
    public static final Metric POOL_CEILING = new Metric("aks_headroom_pool_max_count_ceiling",
            "Largest maxCount the pool can have, other pools at their planned size, before a subnet, the pod CIDR, the "
                    + "plugin's node limit or the outbound ports refuse the plan (CAP-1); no sample when none can",
            POOL);
    public static final Metric POOL_BACKENDS = new Metric("aks_headroom_pool_snat_backends",
            "Load-balancer backends (node and protocol) of the pool with a SNAT sample", POOL);
    public static final Metric POOL_UTILIZATION_MAX = new Metric("aks_headroom_pool_snat_utilization_max_ratio",
            "Highest used/allocated SNAT ports of the pool's backends, newest samples (SNAT-7)", POOL);
    public static final Metric POOL_UTILIZATION_P95 = new Metric("aks_headroom_pool_snat_utilization_p95_ratio",
            "95th percentile (nearest rank) of used/allocated SNAT ports over the pool's backends (SNAT-7)", POOL);
    public static final Metric POOL_FAILED = new Metric("aks_headroom_pool_snat_failed_connections",
            "Failed SNAT connections of the pool's backends in their newest one-minute samples (SNAT-7)", POOL);
    public static final Metric POOL_ALLOCATED_MIN = new Metric("aks_headroom_pool_snat_allocated_ports_min",
            "Fewest SNAT ports allocated to a backend of the pool, backends with none left out (SNAT-10)", POOL);
    public static final Metric POOL_ALLOCATED_MAX = new Metric("aks_headroom_pool_snat_allocated_ports_max",
            "Most SNAT ports allocated to a backend of the pool (SNAT-10)", POOL);
    public static final Metric NODE_USED = new Metric("aks_headroom_node_snat_used_ports",
            "Used SNAT ports of one of the cluster's busiest backends (top N by utilization)", NODE);
    public static final Metric NODE_ALLOCATED = new Metric("aks_headroom_node_snat_allocated_ports",
            "Allocated SNAT ports of one of the cluster's busiest backends (top N by utilization)", NODE);
    public static final Metric NODE_UTILIZATION = new Metric("aks_headroom_node_snat_utilization_ratio",
            "Used/allocated SNAT ports of one of the cluster's busiest backends (top N by utilization)", NODE);

    /** Every family, in the order they are exported. */
    public static final List<Metric> METRICS = List.of(CLUSTER_INFO, LAST_EVENT, CURRENT_NODES, PLANNED_NODES,
            PORTS_PER_NODE, PORTS_AT_PLAN, MAX_NODES, DEMAND, RECOMMENDED_PORTS, OUTBOUND_IPS, RECOMMENDED_IPS,
            NAT_RECOMMENDED, CAPACITY_PORTS, REQUIRED_PORTS, POD_CIDR_CAPACITY, POD_CIDR_LIMIT, ALERTS, FINDINGS,
            SUBNET_USABLE, SUBNET_USED, SUBNET_FREE, SUBNET_REQUIRED, SUBNET_POOLS, POOL_CURRENT, POOL_PLANNED,
            POOL_ADDITIONAL, POOL_MAX_COUNT, POOL_CEILING, POOL_BACKENDS, POOL_UTILIZATION_MAX, POOL_UTILIZATION_P95,
            POOL_FAILED, POOL_ALLOCATED_MIN, POOL_ALLOCATED_MAX, NODE_USED, NODE_ALLOCATED, NODE_UTILIZATION);

    /** Busiest first; the subject breaks ties so the same backends stay in the top N from scrape to scrape. */
    private static final Comparator<BackendUsage> BUSIEST_FIRST = Comparator
            .comparingDouble(BackendUsage::utilization).reversed().thenComparing(BackendUsage::subject);

    /** One pool's backends summarised; utilizations of those with ports allocated, sorted when read. */
    private static final class PoolStats {
        int backends;
        long failed;
        long minAllocated = Long.MAX_VALUE;
        long maxAllocated;
        double[] utilizations = new double[8];
        int measured;

        void add(BackendUsage backend) {
            backends++;
            failed += backend.failed();
            long allocated = backend.allocated();
            maxAllocated = Math.max(maxAllocated, allocated);
            if (allocated > 0) {
                minAllocated = Math.min(minAllocated, allocated);
                if (measured == utilizations.length) {
                    utilizations = Arrays.copyOf(utilizations, measured * 2);
                }
                utilizations[measured++] = backend.utilization();
            }
        }
    }

    private FleetSeries() {
    }

    /**
     * The series of {@code clusters}: per cluster a fixed set of figures, per subnet 5, per pool up to 11, and per-node
     * figures for at most {@code topNodes} backends (the highest utilization first). Families without samples are
     * left out.
     */
    public static List<Family> of(Collection<ClusterView> clusters, int topNodes) {
        requireTop(topNodes);
        Map<Metric, List<Sample>> out = new LinkedHashMap<>();
        METRICS.forEach(metric -> out.put(metric, new ArrayList<>()));
        Sink collect = (metric, labels, value) -> out.get(metric).add(new Sample(labels, value));
        for (ClusterView view : clusters) {
            write(view, topNodes, collect);
        }
        List<Family> families = new ArrayList<>();
        out.forEach((metric, samples) -> {
            if (!samples.isEmpty()) {
                families.add(new Family(metric, samples));
            }
        });
        return families;
    }

    /** The series of one cluster. They come mixed across families: a sink that renders text groups them by family. */
    public static void write(ClusterView view, int topNodes, Sink sink) {
        requireTop(topNodes);
        String cluster = view.clusterId();
        if (view.lastEventAt() != null) {
            add(sink, LAST_EVENT, view.lastEventAt().toEpochMilli() / 1000.0, List.of(cluster));
        }
        Plan plan = view.plan();
        if (plan != null) {
            plan(sink, cluster, plan);
        }
        counts(sink, ALERTS, cluster, view.firingAlerts(), alert -> List.of(alert.alertname(),
                alert.severity().wireName()));
        if (plan != null) {
            counts(sink, FINDINGS, cluster, plan.findings(), finding -> List.of(finding.rule(),
                    finding.severity().wireName()));
        }
        backends(sink, view, topNodes);
    }

    private static void requireTop(int topNodes) {
        if (topNodes < 0) {
            throw new IllegalArgumentException("topNodes must not be negative, got " + topNodes);
        }
    }

    private static void plan(Sink out, String cluster, Plan plan) {
        SnatFigures snat = plan.snat();
        List<String> labels = List.of(cluster);
        out.sample(CLUSTER_INFO, List.of(cluster, plan.pluginMode(), snat.mode().wireName()), 1);
        add(out, CURRENT_NODES, plan.currentNodes(), labels);
        add(out, PLANNED_NODES, plan.plannedNodes(), labels);
        add(out, PORTS_PER_NODE, snat.portsPerNode(), labels);
        add(out, PORTS_AT_PLAN, snat.portsPerNodeAtPlannedNodes(), labels);
        add(out, MAX_NODES, snat.maxNodes(), labels);
        add(out, DEMAND, snat.demandPortsPerNode(), labels);
        add(out, RECOMMENDED_PORTS, snat.recommendedPortsPerNode(), labels);
        add(out, OUTBOUND_IPS, snat.outboundIps(), labels);
        add(out, RECOMMENDED_IPS, snat.recommendedOutboundIps(), labels);
        add(out, NAT_RECOMMENDED, snat.natGatewayRecommended() ? 1 : 0, labels);
        add(out, CAPACITY_PORTS, snat.capacityPorts(), labels);
        add(out, REQUIRED_PORTS, snat.requiredPortsAtPlannedNodes(), labels);
        if (plan.podCidr() != null) {
            add(out, POD_CIDR_CAPACITY, plan.podCidr().nodeCapacity(), labels);
            add(out, POD_CIDR_LIMIT, plan.podCidr().nodeLimit(), labels);
        }
        for (SubnetFigures subnet : plan.subnets()) {
            List<String> subnetLabels = List.of(cluster, subnet.id());
            add(out, SUBNET_USABLE, subnet.usable(), subnetLabels);
            add(out, SUBNET_USED, subnet.used(), subnetLabels);
            add(out, SUBNET_FREE, subnet.free(), subnetLabels);
            add(out, SUBNET_REQUIRED, subnet.required(), subnetLabels);
            add(out, SUBNET_POOLS, subnet.pools().size(), subnetLabels);
        }
        for (PoolFigures pool : plan.pools()) {
            List<String> poolLabels = List.of(cluster, pool.name());
            add(out, POOL_CURRENT, pool.currentNodes(), poolLabels);
            add(out, POOL_PLANNED, pool.plannedNodes(), poolLabels);
            add(out, POOL_ADDITIONAL, pool.additionalNodes(), poolLabels);
            add(out, POOL_MAX_COUNT, pool.maxCount(), poolLabels);
            add(out, POOL_CEILING, pool.maxCountCeiling(), poolLabels);
        }
    }

    /**
     * Backends grouped by pool (max, p95, failures, allocation range), and the busiest {@code topNodes} alone. Runs
     * over every backend of the fleet at each scrape, so it allocates per backend only what the ranking needs.
     */
    private static void backends(Sink out, ClusterView view, int topNodes) {
        String cluster = view.clusterId();
        Map<String, PoolStats> byPool = new TreeMap<>();
        List<BackendUsage> measured = new ArrayList<>(view.backendUsage().size());
        for (BackendUsage backend : view.backendUsage()) {
            NodeInfo node = backend.node();
            byPool.computeIfAbsent(node == null ? UNKNOWN_POOL : node.pool(), pool -> new PoolStats()).add(backend);
            // A backend with nothing allocated is a node joining the pool: it has no utilization yet.
            if (backend.allocated() > 0) {
                measured.add(backend);
            }
        }
        byPool.forEach((pool, stats) -> {
            List<String> labels = List.of(cluster, pool);
            out.sample(POOL_BACKENDS, labels, stats.backends);
            out.sample(POOL_FAILED, labels, stats.failed);
            if (stats.measured > 0) {
                double[] sorted = Arrays.copyOf(stats.utilizations, stats.measured);
                Arrays.sort(sorted);
                out.sample(POOL_UTILIZATION_MAX, labels, sorted[sorted.length - 1]);
                out.sample(POOL_UTILIZATION_P95, labels, nearestRank(sorted, 0.95));
                out.sample(POOL_ALLOCATED_MIN, labels, stats.minAllocated);
                out.sample(POOL_ALLOCATED_MAX, labels, stats.maxAllocated);
            }
        });
        measured.sort(BUSIEST_FIRST);
        for (BackendUsage backend : measured.subList(0, Math.min(topNodes, measured.size()))) {
            NodeInfo node = backend.node();
            // The node's name when node events told it, else its backend IP: either names one node of the cluster.
            List<String> labels = List.of(cluster, node == null ? UNKNOWN_POOL : node.pool(),
                    node == null ? backend.ip() : node.name(), backend.protocol());
            out.sample(NODE_USED, labels, backend.used());
            out.sample(NODE_ALLOCATED, labels, backend.allocated());
            out.sample(NODE_UTILIZATION, labels, backend.utilization());
        }
    }

    /** The nearest-rank percentile of ascending {@code sorted}: the smallest value with at least {@code p} at or below. */
    static double nearestRank(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static <T> void counts(Sink out, Metric metric, String cluster, List<T> items,
            Function<T, List<String>> key) {
        Map<List<String>, Integer> counts = new TreeMap<>(FleetSeries::compareLabels);
        items.forEach(item -> counts.merge(key.apply(item), 1, Integer::sum));
        counts.forEach((labels, count) -> {
            List<String> values = new ArrayList<>(labels.size() + 1);
            values.add(cluster);
            values.addAll(labels);
            out.sample(metric, values, count);
        });
    }

    /** Label by label, without a string built per comparison. */
    private static int compareLabels(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static void add(Sink out, Metric metric, Number value, List<String> labels) {
        if (value != null) {
            out.sample(metric, labels, value.doubleValue());
        }
    }
}
