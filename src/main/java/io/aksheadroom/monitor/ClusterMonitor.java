package io.aksheadroom.monitor;

import io.aksheadroom.capacity.AgentPool;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.capacity.Severity;

import static io.aksheadroom.capacity.Numbers.grouped;
import static io.aksheadroom.monitor.AlertCondition.percent;
import static io.aksheadroom.monitor.AlertRules.SNAT_ALLOCATION_DRIFT;
import static io.aksheadroom.monitor.AlertRules.SNAT_CONNECTIONS_FAILING;
import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The live state of one cluster: its profile, nodes and SNAT samples, the plan they give and the alerts they raise.
 * Each input updates only what it touches (one backend per sample, one pool count per node event); the plan is
 * recomputed only when one of its inputs changed, so the cost per event does not grow with the node count.
 */
public final class ClusterMonitor {

    private static final Predicate<Alert> PLAN_SCOPE = alert -> !AlertRules.isBackend(alert.alertname());

    private final String clusterId;
    private final MonitorSettings settings;
    private final CapacityPlanner planner;
    private final AlertBook alerts;

    private ClusterProfile profile;
    private final Map<String, NodeInfo> nodesByName = new HashMap<>();
    private final Map<String, String> nodeNameByIp = new HashMap<>();
    private final Map<String, Integer> liveNodesByPool = new HashMap<>();
    private boolean inventorySeen;
    private final Map<String, Backend> backends = new HashMap<>();
    /** NAT gateway resource id to the newest minute seen. */
    private final Map<String, Instant> gateways = new HashMap<>();
    /** Epoch minute to {peak used ports of any backend, failed connections summed}, pruned to the demand window. */
    private final TreeMap<Long, long[]> minutes = new TreeMap<>();
    /**
     * The largest used-ports figure of {@link #minutes}, or -1 when it must be looked for again (its minute left the
     * window): reading the peak on every sample was a walk over up to 60 buckets.
     */
    private long peakUsed = -1;
    /**
     * The newest minute of {@link #minutes} and its bucket: most samples fall in it, and then nothing leaves the
     * window, so the tree is not walked (about 6 % of the pipeline's time per record, JFR).
     */
    private long newestMinute;
    private long[] newestBucket;
    private Observed observed = Observed.NOTHING;
    private Plan plan;
    private Map<String, Integer> appliedCounts = Map.of();
    /** The live counts must be looked at again: only a profile or a node event changes them, never a sample. */
    private boolean countsStale = true;
    private Instant lastEventAt;

    /** Per backend and protocol: the newest sample and how long utilization has stayed high. */
    private static final class Backend {
        Instant at;
        long allocated;
        long used;
        long failed;
        int warningStreak;
        int criticalStreak;
    }

    public ClusterMonitor(String clusterId, MonitorSettings settings, CapacityPlanner planner) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.settings = settings;
        this.planner = planner;
        this.alerts = new AlertBook(clusterId, settings.resendInterval());
    }

    public Outcome applyProfile(ClusterProfile newProfile, Instant at) {
        profile = newProfile;
        countsStale = true;
        return replan(at, true);
    }

    /** A tombstone: every alert resolves and the recommendation goes away. */
    public Outcome forget(Instant at) {
        profile = null;
        plan = null;
        return new Outcome(clusterId, null, at, alerts.resolveAll(at), true);
    }

    public Outcome applyNodeEvent(NodeEvent event) {
        Instant at = event.at();
        List<Alert> out = new ArrayList<>();
        countsStale = true;
        switch (event.type()) {
            case NODE_ADDED -> addNode(event.node());
            case NODE_REMOVED -> out.addAll(removeNode(event.node().name(), at));
            case NODE_INVENTORY -> {
                Set<String> listed = new java.util.HashSet<>();
                event.nodes().forEach(node -> listed.add(node.name()));
                for (String name : List.copyOf(nodesByName.keySet())) {
                    if (!listed.contains(name)) {
                        out.addAll(removeNode(name, at));
                    }
                }
                event.nodes().forEach(this::addNode);
                inventorySeen = true;
            }
        }
        Outcome replanned = replan(at, false);
        out.addAll(replanned.alerts());
        return new Outcome(clusterId, replanned.plan(), at, out, false);
    }

    public Outcome applySample(SnatSample sample) {
        Instant at = sample.at();
        String subject = subjectOf(sample.backendIp(), sample.protocol());
        Backend backend = backends.get(subject);
        if (backend != null && !sample.at().isAfter(backend.at)) {
            return Outcome.nothing(clusterId);
        }
        if (backend == null) {
            backend = new Backend();
            backends.put(subject, backend);
        }
        backend.at = at;
        backend.allocated = sample.allocatedSnatPorts();
        backend.used = sample.usedSnatPorts();
        backend.failed = sample.failedConnections() == null ? 0 : sample.failedConnections();
        Double utilization = sample.utilization();
        PlanSettings levels = settings.plan();
        backend.warningStreak = utilization != null && utilization >= levels.utilizationWarning()
                ? backend.warningStreak + 1 : 0;
        backend.criticalStreak = utilization != null && utilization >= levels.utilizationCritical()
                ? backend.criticalStreak + 1 : 0;
        recordMinute(at, sample.usedSnatPorts(), backend.failed);

        List<Alert> out = new ArrayList<>(alerts.reconcileSubject(at, subject, backendScope(subject),
                backendConditions(subject, sample, backend)));
        Outcome replanned = replan(at, false);
        out.addAll(replanned.alerts());
        return new Outcome(clusterId, replanned.plan(), at, out, false);
    }

    /**
     * One NAT gateway minute (SNAT-9): its ports are shared on demand, so the only per-gateway alert is exhaustion,
     * failed connections or dropped packets above zero, and its failures feed the plan's findings.
     */
    public Outcome applyNatGatewaySample(NatGatewaySample sample) {
        Instant at = sample.at();
        String subject = sample.resourceId();
        Instant newest = gateways.get(subject);
        if (newest != null && !at.isAfter(newest)) {
            return Outcome.nothing(clusterId);
        }
        gateways.put(subject, at);
        long failed = sample.failedConnections() == null ? 0 : sample.failedConnections();
        recordMinute(at, 0, failed);
        List<AlertCondition> conditions = List.of();
        if (sample.failing()) {
            long drops = sample.packetDrops() == null ? 0 : sample.packetDrops();
            conditions = List.of(new AlertCondition(SNAT_CONNECTIONS_FAILING, "SNAT-9", Severity.CRITICAL, subject,
                    "NAT gateway " + subject.substring(subject.lastIndexOf('/') + 1) + ": " + grouped(failed)
                            + " failed SNAT connections and " + grouped(drops) + " dropped packets in a minute: its "
                            + "ports are exhausted; add outbound IPs (up to 16) or reuse connections",
                    (double) Math.max(failed, drops), 0.0));
        }
        List<Alert> out = new ArrayList<>(alerts.reconcile(at, backendScope(subject), conditions));
        Outcome replanned = replan(at, false);
        out.addAll(replanned.alerts());
        return new Outcome(clusterId, replanned.plan(), at, out, false);
    }

    /** Restores an alert read back from the alerts topic after a restart or a partition takeover. */
    public void restore(Alert alert) {
        alerts.restore(alert);
    }

    /** Ends a silent replay against what the alerts topic said; returns the current plan and the alert difference. */
    public Outcome settle(java.util.Collection<Alert> published, Instant fallbackAt) {
        Instant at = lastEventAt != null ? lastEventAt : fallbackAt;
        return new Outcome(clusterId, plan, at, alerts.settle(published, at), false);
    }

    /** Resolves what a settle kept firing on the alerts topic's word and nothing confirmed since. */
    public Outcome confirm(Instant fallbackAt) {
        Instant at = lastEventAt != null ? lastEventAt : fallbackAt;
        return new Outcome(clusterId, null, at, alerts.confirm(at), false);
    }

    public boolean hasProfile() {
        return profile != null;
    }

    public ClusterProfile profile() {
        return profile;
    }

    public Plan plan() {
        return plan;
    }

    public List<Alert> firingAlerts() {
        return alerts.firing();
    }

    public int nodeCount() {
        return nodesByName.size();
    }

    public int backendCount() {
        return backends.size();
    }

    public Instant lastEventAt() {
        return lastEventAt;
    }

    /** Each backend's newest sample with its node, for metrics: a list, since readers walk it and never look up. */
    public List<BackendUsage> backendUsage() {
        List<BackendUsage> usage = new ArrayList<>(backends.size());
        backends.forEach((subject, b) -> usage.add(new BackendUsage(subject, b.used, b.allocated, b.failed,
                nodeOf(subject))));
        return usage;
    }

    /** The node name and pool behind a backend subject ({@code ip/protocol}), when node events told us. */
    public NodeInfo nodeOf(String subject) {
        String name = nodeNameByIp.get(subject.substring(0, subject.indexOf('/')));
        return name == null ? null : nodesByName.get(name);
    }

    public static String subjectOf(String backendIp, Protocol protocol) {
        return backendIp + "/" + protocol.name();
    }

    private void addNode(NodeInfo node) {
        NodeInfo previous = nodesByName.put(node.name(), node);
        if (previous != null) {
            liveNodesByPool.merge(previous.pool(), -1, Integer::sum);
            if (previous.ip() != null) {
                nodeNameByIp.remove(previous.ip());
            }
        }
        liveNodesByPool.merge(node.pool(), 1, Integer::sum);
        if (node.ip() != null) {
            nodeNameByIp.put(node.ip(), node.name());
        }
    }

    private List<Alert> removeNode(String name, Instant at) {
        NodeInfo node = nodesByName.remove(name);
        if (node == null) {
            return List.of();
        }
        liveNodesByPool.merge(node.pool(), -1, Integer::sum);
        if (node.ip() == null) {
            return List.of();
        }
        nodeNameByIp.remove(node.ip());
        List<Alert> out = new ArrayList<>();
        for (Protocol protocol : Protocol.values()) {
            String subject = subjectOf(node.ip(), protocol);
            if (backends.remove(subject) != null) {
                out.addAll(alerts.reconcileSubject(at, subject, backendScope(subject), List.of()));
            }
        }
        return out;
    }

    private void recordMinute(Instant at, long used, long failed) {
        long minute = at.getEpochSecond() / 60;
        boolean newest = newestBucket != null && minute == newestMinute;
        long[] bucket = newest ? newestBucket : minutes.computeIfAbsent(minute, m -> new long[2]);
        bucket[0] = Math.max(bucket[0], used);
        bucket[1] += failed;
        if (peakUsed >= 0) {
            peakUsed = Math.max(peakUsed, used);
        }
        if (newest) {
            return; // the window ends where it ended: every older minute still in it stays
        }
        long oldest = minutes.lastKey() - settings.demandWindow().toMinutes();
        while (!minutes.isEmpty() && minutes.firstKey() <= oldest) {
            if (minutes.pollFirstEntry().getValue()[0] >= peakUsed) {
                peakUsed = -1;
            }
        }
        Map.Entry<Long, long[]> last = minutes.lastEntry();
        newestMinute = last == null ? 0 : last.getKey();
        newestBucket = last == null ? null : last.getValue();
    }

    private Observed currentObserved() {
        if (minutes.isEmpty()) {
            return profile == null ? Observed.NOTHING : profile.observed();
        }
        if (peakUsed < 0) {
            peakUsed = 0;
            for (long[] bucket : minutes.values()) {
                peakUsed = Math.max(peakUsed, bucket[0]);
            }
        }
        long failedNewest = newestBucket[1];
        // NAT gateway minutes carry failures but no per-node use: demand then stays what the profile says.
        Integer demand = backends.isEmpty() ? (profile == null ? null : profile.observed().peakUsedSnatPortsPerNode())
                : (Integer) (int) Math.min(peakUsed, Integer.MAX_VALUE);
        return new Observed(demand, failedNewest, null);
    }

    /**
     * Recomputes the plan when its inputs changed (always for a new profile) and reconciles the plan's alerts.
     * Firing alerts that are due are re-sent on every call, whatever changed.
     */
    private Outcome replan(Instant at, boolean profileChanged) {
        lastEventAt = lastEventAt == null || at.isAfter(lastEventAt) ? at : lastEventAt;
        List<Alert> out = new ArrayList<>();
        Plan changed = null;
        if (profile != null) {
            Observed nowObserved = currentObserved();
            boolean observedChanged = !nowObserved.equals(observed);
            observed = nowObserved;
            boolean countsChanged = false;
            if (countsStale) {
                Map<String, Integer> counts = liveCounts();
                countsChanged = !counts.equals(appliedCounts);
                appliedCounts = counts;
                countsStale = false;
            }
            if (profileChanged || observedChanged || countsChanged || plan == null) {
                Plan next = planner.plan(profile.withLiveNodes(appliedCounts).withObserved(observed));
                Integer portsBefore = plan == null ? null : plan.snat().portsPerNode();
                if (!next.equals(plan)) {
                    plan = next;
                    changed = next;
                    out.addAll(alerts.reconcile(at, PLAN_SCOPE,
                            PlanAlerts.of(next, settings.subnetFreeShareWarning())));
                    if (!Objects.equals(portsBefore, next.snat().portsPerNode())) {
                        out.addAll(recheckDrift(at));
                    }
                }
            }
        }
        out.addAll(alerts.resendDue(at));
        return new Outcome(clusterId, changed, at, out, false);
    }

    /** Live counts for pools that node events told us about; after an inventory, unseen pools have none. */
    private Map<String, Integer> liveCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (AgentPool pool : profile.pools()) {
            Integer live = liveNodesByPool.get(pool.name());
            if (live != null && live > 0) {
                counts.put(pool.name(), live);
            } else if (inventorySeen || live != null) {
                counts.put(pool.name(), 0);
            }
        }
        return counts;
    }

    private List<Alert> recheckDrift(Instant at) {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, Backend> entry : backends.entrySet()) {
            String subject = entry.getKey();
            Predicate<Alert> driftOnly = alert -> SNAT_ALLOCATION_DRIFT.is(alert) && alert.subject().equals(subject);
            AlertCondition drift = driftCondition(subject, entry.getValue());
            out.addAll(alerts.reconcileSubject(at, subject, driftOnly, drift == null ? List.of() : List.of(drift)));
        }
        return out;
    }

    private static Predicate<Alert> backendScope(String subject) {
        return alert -> AlertRules.isBackend(alert.alertname()) && alert.subject().equals(subject);
    }

    /** The summaries are written only if an alert fires; see {@link AlertCondition}. */
    private List<AlertCondition> backendConditions(String subject, SnatSample sample, Backend backend) {
        PlanSettings levels = settings.plan();
        Double utilization = sample.utilization();
        long allocated = backend.allocated;
        long failed = backend.failed;
        int criticalStreak = backend.criticalStreak;
        int warningStreak = backend.warningStreak;
        AlertCondition high = null;
        if (criticalStreak >= settings.highSamples()) {
            high = new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.CRITICAL, subject,
                    () -> highSummary(subject, utilization, allocated, criticalStreak), utilization,
                    levels.utilizationCritical());
        } else if (warningStreak >= settings.highSamples()) {
            high = new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.WARNING, subject,
                    () -> highSummary(subject, utilization, allocated, warningStreak), utilization,
                    levels.utilizationWarning());
        }
        AlertCondition failing = failed <= 0 ? null : new AlertCondition(SNAT_CONNECTIONS_FAILING, "SNAT-7",
                Severity.CRITICAL, subject, () -> describe(subject) + ": " + grouped(failed) + " SNAT connections "
                        + "failed in the last minute: its ports are exhausted", (double) failed, 0.0);
        AlertCondition drift = driftCondition(subject, backend);
        if (high == null && failing == null && drift == null) {
            return List.of();
        }
        List<AlertCondition> conditions = new ArrayList<>(3);
        for (AlertCondition condition : new AlertCondition[] {high, failing, drift}) {
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return conditions;
    }

    private String highSummary(String subject, Double utilization, long allocated, int streak) {
        return describe(subject) + " uses " + percent(utilization) + " of its " + grouped(allocated) + " SNAT ports for "
                + streak + " samples";
    }

    private AlertCondition driftCondition(String subject, Backend backend) {
        Integer planned = plan == null ? null : plan.snat().portsPerNode();
        long allocated = backend.allocated;
        if (planned == null || allocated == 0 || allocated == planned) {
            return null;
        }
        return new AlertCondition(SNAT_ALLOCATION_DRIFT, "SNAT-10", Severity.WARNING, subject, () -> describe(subject)
                + " has " + grouped(allocated) + " SNAT ports allocated; the profile implies " + grouped(planned)
                + ": the allocation changed outside the profile", (double) allocated, planned.doubleValue());
    }

    private String describe(String subject) {
        NodeInfo node = nodeOf(subject);
        return node == null ? "Backend " + subject : "Node " + node.name() + " (" + subject + ", pool " + node.pool() + ")";
    }
}
