package io.aksheadroom.monitor;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Observed;
import io.aksheadroom.capacity.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The live state of one cluster: its profile, nodes and SNAT samples, the plan they give and the alerts they raise.
 * Each input updates only what it touches (one backend per sample, one pool count per node event); the plan is
 * recomputed only when one of its inputs changed, so the cost per event does not grow with the node count.
 * Not thread-safe: its {@link Fleet} guards it.
 */
public final class ClusterMonitor {

    private static final int PROTOCOLS = Protocol.values().length;
    private static final Predicate<Alert> PLAN_SCOPE = alert -> !AlertRules.isBackend(alert.alertname());

    private final String clusterId;
    private final MonitorSettings settings;
    private final CapacityPlanner planner;
    private final AlertBook alerts;
    private final NodeInventory nodes = new NodeInventory();
    private final BackendAlerts backendAlerts;
    private final DemandWindow demand;
    /**
     * The backends by IP, one slot per protocol ordinal: a sample finds its backend without building its subject
     * string, which only a new backend needs. The only index of them: a second one, by subject, would cost a map
     * entry per backend, and every tracked node has one.
     */
    private final Map<String, Backend[]> backends = new HashMap<>();
    private int backendCount;
    /** NAT gateway resource id to the newest minute seen. */
    private final Map<String, Instant> gateways = new HashMap<>();

    private ClusterProfile profile;
    private Observed observed = Observed.NOTHING;
    private Plan plan;
    private Map<String, Integer> appliedCounts = Map.of();
    /** The live counts must be looked at again: only a profile or a node event changes them, never a sample. */
    private boolean countsStale = true;
    private Instant lastEventAt;
    /** Event time of the newest SNAT or NAT gateway sample taken, which the actuator's freshness rests on. */
    private Instant newestSampleAt;
    /** Node events applied so far: a backend's node, looked up for metrics, holds until the next one. */
    private long nodeChanges;

    public ClusterMonitor(String clusterId, MonitorSettings settings, CapacityPlanner planner) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.settings = settings;
        this.planner = planner;
        this.alerts = new AlertBook(clusterId, settings.resendInterval());
        this.backendAlerts = new BackendAlerts(settings, nodes);
        this.demand = new DemandWindow(settings.demandWindow());
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
        nodeChanges++;
        switch (event.type()) {
            case NODE_ADDED -> nodes.add(event.node());
            case NODE_REMOVED -> dropBackendsOf(nodes.remove(event.node().name()), at, out);
            case NODE_INVENTORY -> nodes.replaceWith(event.nodes()).forEach(gone -> dropBackendsOf(gone, at, out));
        }
        return thenReplan(at, out);
    }

    public Outcome applySample(SnatSample sample) {
        List<Alert> out = new ArrayList<>();
        if (!take(sample, out)) {
            return Outcome.nothing(clusterId);
        }
        return thenReplan(sample.at(), out);
    }

    /**
     * A load balancer's minute: each backend's sample as {@link #applySample} takes it, then the plan once. The
     * outcome is that of the samples one by one, less the plans in between: each backend's alerts fire and resolve
     * alike, the plan is the one after the last sample, and a due firing alert is sent again once, not per sample.
     */
    public Outcome applyMinute(LoadBalancerMinute minute) {
        List<Alert> out = new ArrayList<>();
        boolean taken = false;
        for (SnatSample sample : minute.samples()) {
            taken |= take(sample, out);
        }
        return taken ? thenReplan(minute.at(), out) : Outcome.nothing(clusterId);
    }

    /** One backend's sample, unless it is not newer than the one it has; adds the backend's alert records to out. */
    private boolean take(SnatSample sample, List<Alert> out) {
        Instant at = sample.at();
        Backend[] slots = backends.get(sample.backendIp());
        Backend backend = slots == null ? null : slots[sample.protocol().ordinal()];
        if (backend != null && !at.isAfter(backend.at)) {
            return false;
        }
        if (backend == null) {
            backend = addBackend(sample.backendIp(), sample.protocol());
        }
        String subject = backend.subject;
        newestSampleAt = newestSampleAt == null || at.isAfter(newestSampleAt) ? at : newestSampleAt;
        Double utilization = sample.utilization();
        // The newest sample time's own instance when equal: samples sent one per record each parse their own.
        backend.take(sample, at.equals(newestSampleAt) ? newestSampleAt : at, utilization, settings.plan());
        demand.record(at, sample.usedSnatPorts(), backend.failed);
        out.addAll(alerts.reconcileSubject(at, subject, BackendAlerts.scope(subject),
                backendAlerts.of(subject, backend, utilization, plannedPorts())));
        return true;
    }

    /** One NAT gateway minute (SNAT-9): its failures feed the plan's findings too. */
    public Outcome applyNatGatewaySample(NatGatewaySample sample) {
        Instant at = sample.at();
        String subject = sample.resourceId();
        Instant newest = gateways.get(subject);
        if (newest != null && !at.isAfter(newest)) {
            return Outcome.nothing(clusterId);
        }
        gateways.put(subject, at);
        newestSampleAt = newestSampleAt == null || at.isAfter(newestSampleAt) ? at : newestSampleAt;
        long failed = sample.failedConnections() == null ? 0 : sample.failedConnections();
        demand.record(at, 0, failed);
        List<Alert> out = new ArrayList<>(alerts.reconcile(at, BackendAlerts.scope(subject),
                BackendAlerts.natGateway(sample, failed)));
        return thenReplan(at, out);
    }

    /** What this monitor keeps, for a state snapshot; null while it has no profile (it then has nothing to keep). */
    public ClusterState export() {
        if (profile == null) {
            return null;
        }
        List<NodeInfo> nodeList = new ArrayList<>();
        Map<String, String> byIp = new HashMap<>();
        Map<String, Integer> pools = new HashMap<>();
        boolean[] inventorySeen = new boolean[1];
        nodes.exportTo(nodeList, byIp, pools, inventorySeen);
        List<ClusterState.BackendState> backendStates = new ArrayList<>(backendCount);
        forEachBackend((ip, b) -> backendStates.add(new ClusterState.BackendState(b.subject, b.at, b.allocated,
                b.used, b.failed, b.warningStreak, b.criticalStreak)));
        List<ClusterState.DemandMinute> minutes = new ArrayList<>();
        demand.minutes().forEach(m -> minutes.add(new ClusterState.DemandMinute(m[0], m[1], m[2])));
        return new ClusterState(clusterId, profile, nodeList, byIp, pools, inventorySeen[0], backendStates, gateways,
                minutes, alerts.firing(), alerts.unconfirmed(), lastEventAt, newestSampleAt);
    }

    /**
     * A monitor in the state {@code state} was exported in: the same outputs for the same inputs from then on. The
     * plan is planned again from the restored inputs, as the monitor last planned it.
     */
    public static ClusterMonitor restore(ClusterState state, MonitorSettings settings, CapacityPlanner planner) {
        ClusterMonitor monitor = new ClusterMonitor(state.clusterId(), settings, planner);
        monitor.profile = state.profile();
        monitor.nodes.restore(state.nodes(), state.nodeByIp(), state.poolCounts(), state.inventorySeen());
        for (ClusterState.BackendState b : state.backends()) {
            // Through addBackend, so the by-IP index a sample finds its backend with knows it too.
            Backend backend = monitor.addBackend(b.ip(), b.protocol());
            backend.at = b.at();
            backend.allocated = b.allocated();
            backend.used = b.used();
            backend.failed = b.failed();
            backend.warningStreak = b.warningStreak();
            backend.criticalStreak = b.criticalStreak();
        }
        monitor.gateways.putAll(state.gateways());
        List<long[]> minutes = new ArrayList<>(state.demand().size());
        state.demand().forEach(m -> minutes.add(new long[] {m.epochMinute(), m.peakUsed(), m.failed()}));
        monitor.demand.restore(minutes);
        monitor.alerts.restore(state.firing(), state.unconfirmed());
        monitor.lastEventAt = state.lastEventAt();
        monitor.newestSampleAt = state.newestSampleAt();
        // Every event replans, so the monitor's inputs to the plan were these when it last planned.
        monitor.observed = monitor.demand.observed(monitor.profile.observed(), monitor.backendCount > 0);
        monitor.appliedCounts = monitor.nodes.liveCounts(monitor.profile.pools());
        monitor.countsStale = false;
        monitor.plan = planner.plan(monitor.profile.withLiveNodes(monitor.appliedCounts)
                .withObserved(monitor.observed));
        return monitor;
    }

    /** Restores an alert read back from the alerts topic after a restart or a partition takeover. */
    public void restore(Alert alert) {
        alerts.restore(alert);
    }

    /** Ends a silent replay against what the alerts topic said; returns the current plan and the alert difference. */
    public Outcome settle(Collection<Alert> published, Instant fallbackAt) {
        Instant at = lastEventAt != null ? lastEventAt : fallbackAt;
        return new Outcome(clusterId, plan, at, alerts.settle(published, at), false, newestSampleAt);
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

    public int firingCount() {
        return alerts.firingCount();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int backendCount() {
        return backendCount;
    }

    public Instant lastEventAt() {
        return lastEventAt;
    }

    /**
     * Each backend's newest sample with its node, for metrics: a list, since readers walk it and never look up. A
     * backend's entry is made again only after it took a sample or a node event came, not on every scrape.
     */
    public List<BackendUsage> backendUsage() {
        List<BackendUsage> usage = new ArrayList<>(backendCount);
        forEachBackend((ip, b) -> {
            if (b.usage == null || b.usageNodeChanges != nodeChanges) {
                b.usage = new BackendUsage(b.subject, b.used, b.allocated, b.failed, nodes.withIp(ip));
                b.usageNodeChanges = nodeChanges;
            }
            usage.add(b.usage);
        });
        return usage;
    }

    public static String subjectOf(String backendIp, Protocol protocol) {
        return backendIp + "/" + protocol.name();
    }

    private Backend addBackend(String backendIp, Protocol protocol) {
        Backend backend = new Backend(subjectOf(backendIp, protocol));
        Backend[] slots = backends.get(backendIp);
        if (slots == null) {
            // The key is the node's own IP string when node events named it: one string per node, not two.
            NodeInfo node = nodes.withIp(backendIp);
            slots = new Backend[PROTOCOLS];
            backends.put(node == null ? backendIp : node.ip(), slots);
        }
        slots[protocol.ordinal()] = backend;
        backendCount++;
        return backend;
    }

    /**
     * Each backend with its IP, by IP in the map's order, then by protocol: export, metrics and drift alerts walk
     * them in the same order.
     */
    private void forEachBackend(BiConsumer<String, Backend> action) {
        for (Map.Entry<String, Backend[]> entry : backends.entrySet()) {
            for (Backend backend : entry.getValue()) {
                if (backend != null) {
                    action.accept(entry.getKey(), backend);
                }
            }
        }
    }

    /** A node that left takes its backends with it: their alerts resolve. */
    private void dropBackendsOf(NodeInfo node, Instant at, List<Alert> out) {
        if (node == null || node.ip() == null) {
            return;
        }
        Backend[] slots = backends.remove(node.ip());
        if (slots == null) {
            return;
        }
        for (Backend backend : slots) {
            if (backend != null) {
                backendCount--;
                out.addAll(alerts.reconcileSubject(at, backend.subject, BackendAlerts.scope(backend.subject),
                        List.of()));
            }
        }
    }

    /** The outcome of an event whose own alert records are {@code out}: the plan follows, with its alerts. */
    private Outcome thenReplan(Instant at, List<Alert> out) {
        Outcome replanned = replan(at, false);
        out.addAll(replanned.alerts());
        return new Outcome(clusterId, replanned.plan(), at, out, false, newestSampleAt);
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
            Observed nowObserved = demand.observed(profile.observed(), !backends.isEmpty());
            boolean observedChanged = !nowObserved.equals(observed);
            observed = nowObserved;
            boolean countsChanged = false;
            if (countsStale) {
                Map<String, Integer> counts = nodes.liveCounts(profile.pools());
                countsChanged = !counts.equals(appliedCounts);
                appliedCounts = counts;
                countsStale = false;
            }
            if (profileChanged || observedChanged || countsChanged || plan == null) {
                Plan next = planner.plan(profile.withLiveNodes(appliedCounts).withObserved(observed));
                Integer portsBefore = plannedPorts();
                if (!next.equals(plan)) {
                    plan = next;
                    changed = next;
                    out.addAll(alerts.reconcile(at, PLAN_SCOPE,
                            PlanAlerts.of(next, settings.subnetFreeShareWarning())));
                    if (!Objects.equals(portsBefore, plannedPorts())) {
                        out.addAll(recheckDrift(at));
                    }
                }
            }
        }
        out.addAll(alerts.resendDue(at));
        return new Outcome(clusterId, changed, at, out, false, newestSampleAt);
    }

    /** The ports per node the plan implies, which each backend's allocation is compared with (SNAT-10). */
    private Integer plannedPorts() {
        return plan == null ? null : plan.snat().portsPerNode();
    }

    private List<Alert> recheckDrift(Instant at) {
        List<Alert> out = new ArrayList<>();
        Integer planned = plannedPorts();
        forEachBackend((ip, backend) -> {
            String subject = backend.subject;
            AlertCondition drift = backendAlerts.drift(subject, backend, planned);
            out.addAll(alerts.reconcileSubject(at, subject, BackendAlerts.driftScope(subject),
                    drift == null ? List.of() : List.of(drift)));
        });
        return out;
    }
}
