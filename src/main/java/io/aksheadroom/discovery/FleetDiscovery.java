package io.aksheadroom.discovery;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.azure.CallOutcome;
import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.discovery.AzureResourceManager.Cluster;
import io.aksheadroom.discovery.DiscoveryLedger.Change;
import io.aksheadroom.discovery.DiscoveryLedger.Publish;
import io.aksheadroom.discovery.DiscoveryLedger.Remove;
import io.aksheadroom.discovery.DiscoveryLedger.Resolved;
import io.aksheadroom.json.OutgoingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Lists every AKS cluster of the configured subscriptions every interval, makes each one's profile from Azure
 * Resource Manager, and publishes to {@code aks.cluster-profiles} only what differs from what the topic holds; a
 * cluster gone from enough successful listings gets a tombstone. Subscriptions are listed side by side and fail
 * alone. The Azure Monitor poller watches what it finds ({@link DiscoveredTargets}).
 */
@ApplicationScoped
public class FleetDiscovery {

    private static final Logger LOG = Logger.getLogger(FleetDiscovery.class);

    /**
     * What one listing did, for logs and tests.
     *
     * @param subscriptions per subscription: {@code listed N}, {@code failed: ...} or {@code deferred: ...}
     */
    public record ListingReport(boolean resumed, Map<String, String> subscriptions, int added, int changed,
            int removed, int unresolved, int unacknowledged) {
    }

    /** One subscription's cluster list, or why there is none this time. */
    private record Listing(String subscription, List<Cluster> clusters, ArmException error, String deferred) {
    }

    /** A listed cluster whose profile could not be made this time; it keeps the one the topic holds. */
    private record Unresolved(String clusterId, ArmId armId, String reason, ArmException error) {
    }

    private final DiscoveryConfig config;
    private final List<String> subscriptions;
    private final Instance<AzureResourceManager> arm;
    private final PublishedProfiles published;
    private final ProfilePublisher publisher;
    private final DiscoveredTargets targets;
    private final DiscoveryHealth health;
    private final MeterRegistry registry;
    private final ObjectMapper mapper;
    private final OutgoingRecords records;
    private final ProfileAssembly assembly;
    private final Clock clock;
    private final DiscoveryLedger ledger;
    private final Map<String, Instant> notBefore = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, DiscoveredTargets.Target> targetsByCluster = new HashMap<>();
    private final Map<String, List<ProfileAssembly.Shortfall>> shortfallsByCluster = new HashMap<>();
    private ExecutorService executor;
    private boolean resumed;

    @Inject
    FleetDiscovery(DiscoveryConfig config, Instance<AzureResourceManager> arm, PublishedProfiles published,
            ProfilePublisher publisher, DiscoveredTargets targets, DiscoveryHealth health, MeterRegistry registry,
            ObjectMapper mapper, OutgoingRecords records, CapacityPlanner planner, Clock clock) {
        this.config = config;
        this.arm = arm;
        this.published = published;
        this.publisher = publisher;
        this.targets = targets;
        this.health = health;
        this.registry = registry;
        this.mapper = mapper;
        this.records = records;
        this.assembly = new ProfileAssembly(planner);
        this.clock = clock;
        this.ledger = new DiscoveryLedger(config.absentListingsBeforeRemoval(), config.republishAfter());
        Set<String> ids = new LinkedHashSet<>();
        config.subscriptions().orElse(List.of()).stream().map(String::strip).filter(id -> !id.isEmpty())
                .forEach(ids::add);
        this.subscriptions = List.copyOf(ids);
        if (enabled()) {
            targets.enable();
            health.configured(subscriptions);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled()) {
            LOG.infof("Fleet discovery: %d subscriptions, listed every %s", subscriptions.size(), config.interval());
        }
    }

    public boolean enabled() {
        return !subscriptions.isEmpty();
    }

    @Scheduled(every = "${aks-headroom.discovery.interval:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "fleet-discovery")
    void scheduled() {
        if (enabled()) {
            try {
                discoverOnce(clock.instant());
            } catch (RuntimeException e) {
                // The next interval lists again; the topic keeps what it holds meanwhile.
                LOG.errorf(e, "Fleet discovery: the listing failed");
            }
        }
    }

    private static String kind(Change change) {
        if (change instanceof Publish publish) {
            return publish.previous() == null ? "added"
                    : publish.previous().equals(publish.value()) ? "republished" : "changed";
        }
        return "removed";
    }

    @PreDestroy
    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** One listing of every subscription at {@code now}, publishing what changed. */
    public synchronized ListingReport discoverOnce(Instant now) {
        Timer.Sample timer = Timer.start(registry);
        try {
            if (!resume()) {
                return new ListingReport(false, Map.of(), 0, 0, 0, 0, 0);
            }
            AzureResourceManager resourceManager = arm.get();
            Map<String, String> outcomes = new TreeMap<>();
            List<Listing> listings = inParallel(subscriptions, subscription -> () -> list(resourceManager,
                    subscription, now));

            Set<String> listedSubscriptions = new HashSet<>();
            Set<String> listedClusters = new HashSet<>();
            List<ArmId> known = new ArrayList<>();
            for (Listing listing : listings) {
                if (listing.clusters() != null) {
                    listedSubscriptions.add(ArmId.key(listing.subscription()));
                    for (Cluster cluster : listing.clusters()) {
                        listedClusters.add(cluster.armId().key());
                        known.add(cluster.armId());
                    }
                }
            }
            known.addAll(ledger.retained(listedSubscriptions, listedClusters));
            Map<String, String> names = ClusterNames.assign(known);

            ListingReads reads = new ListingReads(resourceManager, config.minRemainingReads());
            List<Listing> listed = listings.stream().filter(l -> l.clusters() != null).toList();
            List<List<Object>> profiled = inParallel(listed, listing -> () -> profile(listing, names, reads, now));
            List<Resolved> resolved = new ArrayList<>();
            Map<String, DiscoveredTargets.Target> freshTargets = new HashMap<>();
            List<Unresolved> unresolved = new ArrayList<>();
            for (List<Object> results : profiled) {
                for (Object result : results) {
                    if (result instanceof ProfiledCluster cluster) {
                        resolved.add(cluster.resolved());
                        if (cluster.target() != null) {
                            freshTargets.put(cluster.resolved().armId().key(), cluster.target());
                        }
                        shortfalls(cluster.resolved().clusterId(), cluster.shortfalls());
                    } else if (result instanceof Unresolved failure) {
                        unresolved.add(failure);
                    }
                }
            }
            for (Listing listing : listings) {
                outcomes.put(listing.subscription(), listing.clusters() != null ? "listed " + listing.clusters().size()
                        : listing.error() != null ? "failed: " + describe(listing.error()) : "deferred: "
                                + listing.deferred());
            }

            List<Change> changes = ledger.reconcile(listedSubscriptions, listedClusters, resolved, now);
            List<Boolean> acks = changes.isEmpty() ? List.of()
                    : publisher.publish(changes, now, config.publishTimeout());
            int added = 0;
            int changed = 0;
            int removed = 0;
            int unacknowledged = 0;
            for (int i = 0; i < changes.size(); i++) {
                Change change = changes.get(i);
                if (!acks.get(i)) {
                    unacknowledged++;
                    LOG.warnf("Discovery: the broker did not acknowledge %s of cluster %s; it goes again next listing",
                            change instanceof Remove ? "the tombstone" : "the profile", change.clusterId());
                    continue;
                }
                ledger.written(change);
                if (change instanceof Publish publish && publish.previous() == null) {
                    added++;
                    LOG.infof("Discovery: cluster %s added (%s)", publish.clusterId(), publish.armId().id());
                } else if (change instanceof Publish publish && publish.previous().equals(publish.value())) {
                    LOG.debugf("Discovery: cluster %s unchanged, published again", publish.clusterId());
                } else if (change instanceof Publish publish) {
                    changed++;
                    LOG.infof("Discovery: cluster %s changed: %s", publish.clusterId(),
                            ProfileDiff.describe(publish.previous(), publish.value()));
                } else if (change instanceof Remove remove) {
                    removed++;
                    LOG.infof("Discovery: cluster %s removed: %s", remove.clusterId(), remove.reason());
                }
                registry.counter("aks_headroom_discovery_profiles_published", "change", kind(change)).increment();
            }
            updateTargets(freshTargets);
            forgetShortfallsOfRemovedClusters();
            Map<String, String> notProfiled = new TreeMap<>();
            unresolved.forEach(failure -> notProfiled.put(failure.clusterId(), failure.reason()));
            health.unresolved(notProfiled);
            return new ListingReport(true, outcomes, added, changed, removed, unresolved.size(), unacknowledged);
        } finally {
            timer.stop(registry.timer("aks_headroom_discovery_listing_duration"));
        }
    }

    /** A cluster whose profile was made. */
    private record ProfiledCluster(Resolved resolved, DiscoveredTargets.Target target,
            List<ProfileAssembly.Shortfall> shortfalls) {
    }

    private Listing list(AzureResourceManager resourceManager, String subscription, Instant now) {
        Instant waitUntil = notBefore.get(subscription);
        if (waitUntil != null && now.isBefore(waitUntil)) {
            String reason = "Resource Manager asked to wait until " + waitUntil + " (Retry-After)";
            health.deferred(subscription, reason);
            return new Listing(subscription, null, null, reason);
        }
        try {
            List<Cluster> clusters = resourceManager.clusters(subscription);
            requireManagedClusterIds(subscription, clusters);
            health.listed(subscription, now, clusters.size());
            return new Listing(subscription, clusters, null, null);
        } catch (ArmException e) {
            backOff(subscription, now, e);
            health.failed(subscription, now, describe(e));
            LOG.warnf("Discovery: listing subscription %s failed, nothing is removed: %s", subscription, describe(e));
            return new Listing(subscription, null, e, null);
        }
    }

    /**
     * A list whose clusters cannot all be told apart by their ARM id is no listing: counting it as one would make
     * the clusters it garbles look absent, and delete them.
     */
    private static void requireManagedClusterIds(String subscription, List<Cluster> clusters) {
        for (Cluster cluster : clusters) {
            String problem;
            try {
                ArmId id = cluster.armId();
                problem = !id.is("Microsoft.ContainerService/managedClusters") ? "is not a managed cluster's id"
                        : !id.subscription().equalsIgnoreCase(subscription) ? "is not in subscription " + subscription
                        : null;
            } catch (IllegalArgumentException e) {
                problem = "is not a resource id";
            }
            if (problem != null) {
                throw new ArmException(CallOutcome.ERROR, 200, null,
                        "the cluster list holds '" + cluster.id() + "', which " + problem, null);
            }
        }
    }

    /** Profiles every cluster of one listed subscription; results are {@link ProfiledCluster}s and {@link Unresolved}s. */
    private List<Object> profile(Listing listing, Map<String, String> names, ListingReads reads, Instant now) {
        List<Object> results = new ArrayList<>();
        String stopped = null;
        for (Cluster cluster : listing.clusters()) {
            ArmId armId = cluster.armId();
            String clusterId = names.get(armId.key());
            if (stopped == null) {
                stopped = reads.shortOfReads(listing.subscription());
            }
            if (stopped != null) {
                results.add(new Unresolved(clusterId, armId, stopped, null));
                continue;
            }
            try {
                ProfileAssembly.Result result = assembly.assemble(cluster, clusterId, reads);
                JsonNode value = mapper.readTree(records.write(result.profile()));
                results.add(new ProfiledCluster(new Resolved(clusterId, armId, result.profile(), value),
                        result.target(), result.shortfalls()));
            } catch (ArmException e) {
                results.add(new Unresolved(clusterId, armId, describe(e), e));
                if (e.retryAfter() != null && e.retryAfter().compareTo(config.maxRetryAfter()) > 0) {
                    backOff(listing.subscription(), now, e);
                    stopped = "Retry-After " + e.retryAfter();
                }
            } catch (InvalidInputException | IllegalStateException | IllegalArgumentException | IOException e) {
                results.add(new Unresolved(clusterId, armId, e.getMessage(), null));
            } catch (RuntimeException e) {
                // What Azure sent for this cluster is beyond what the assembly expects; the others go on.
                results.add(new Unresolved(clusterId, armId, e.getClass().getSimpleName() + ": " + e.getMessage(),
                        null));
            }
        }
        for (Object result : results) {
            if (result instanceof Unresolved failure) {
                LOG.warnf("Discovery: cluster %s is not published this time (the topic keeps what it holds): %s",
                        failure.clusterId(), failure.reason());
            }
        }
        if (stopped != null) {
            health.deferred(listing.subscription(), "stopped reading: " + stopped);
        }
        return results;
    }

    private void backOff(String subscription, Instant now, ArmException e) {
        if (e.retryAfter() != null && e.retryAfter().compareTo(config.maxRetryAfter()) > 0) {
            notBefore.put(subscription, now.plus(e.retryAfter()));
        }
    }

    /**
     * Reads back what the topic holds before the first listing. Until that worked nothing is published: the
     * alternative is publishing every profile again after every restart.
     */
    private boolean resume() {
        if (resumed) {
            return true;
        }
        try {
            Map<String, String> latest = published.latest(config.resumeTimeout());
            Set<String> owned = new HashSet<>();
            subscriptions.forEach(id -> owned.add(ArmId.key(id)));
            int seeded = 0;
            for (Map.Entry<String, String> record : latest.entrySet()) {
                ArmId armId = ownedCluster(record.getValue(), owned);
                if (armId != null) {
                    ledger.seed(record.getKey(), armId, mapper.readTree(record.getValue()));
                    seeded++;
                }
            }
            resumed = true;
            health.resumed();
            LOG.infof("Fleet discovery resumes with %d profiles the topic holds for its subscriptions", seeded);
            return true;
        } catch (RuntimeException | IOException e) {
            LOG.warnf("Fleet discovery waits: cannot read back the profiles topic (%s)", e.getMessage());
            health.resumeFailed(String.valueOf(e.getMessage()));
            return false;
        }
    }

    /**
     * The cluster a record on the topic is, when discovery owns it: a profile whose {@code id} is a managed cluster
     * of one of its subscriptions. Others (hand-fed profiles, the demo) are never removed by discovery.
     */
    private ArmId ownedCluster(String value, Set<String> subscriptions) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode id = mapper.readTree(value).get("id");
            if (id == null || !id.isTextual()) {
                return null;
            }
            ArmId armId = ArmId.parse(id.asText());
            return armId.is("Microsoft.ContainerService/managedClusters")
                    && subscriptions.contains(ArmId.key(armId.subscription())) ? armId : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The poller watches the clusters the topic holds; one that could not be profiled this time keeps its target. */
    private void updateTargets(Map<String, DiscoveredTargets.Target> fresh) {
        Map<String, DiscoveredTargets.Target> next = new LinkedHashMap<>();
        for (DiscoveryLedger.Entry entry : ledger.entries()) {
            DiscoveredTargets.Target target = fresh.getOrDefault(entry.armId().key(),
                    targetsByCluster.get(entry.armId().key()));
            if (target != null) {
                if (!target.clusterId().equals(entry.clusterId())) {
                    target = new DiscoveredTargets.Target(entry.clusterId(), target.resourceIds(), target.region(),
                            target.maxBackends(), target.frontendIps());
                }
                next.put(entry.armId().key(), target);
            }
        }
        targetsByCluster.clear();
        targetsByCluster.putAll(next);
        Map<String, DiscoveredTargets.Target> byClusterId = new LinkedHashMap<>();
        next.values().forEach(target -> byClusterId.put(target.clusterId(), target));
        targets.replace(byClusterId);
    }

    /** IP-12, said once when it appears or its figures change, and once when it is gone. */
    private void shortfalls(String clusterId, List<ProfileAssembly.Shortfall> now) {
        List<ProfileAssembly.Shortfall> before = shortfallsByCluster.getOrDefault(clusterId, List.of());
        for (ProfileAssembly.Shortfall shortfall : now) {
            if (!before.contains(shortfall)) {
                LOG.warnf("Discovery IP-12: cluster %s, subnet %s: Azure counts %d IP configurations, the model says "
                        + "its nodes hold %d now. The subnet figures of its plan are then too high: check the pools' "
                        + "maxPods and network plugin, or the cluster is stopped or still creating nodes",
                        clusterId, shortfall.subnet(), shortfall.azureCounted(), shortfall.modelHolds());
            }
        }
        for (ProfileAssembly.Shortfall shortfall : before) {
            if (now.stream().noneMatch(s -> s.subnet().equals(shortfall.subnet()))) {
                LOG.infof("Discovery IP-12 cleared: cluster %s, subnet %s", clusterId, shortfall.subnet());
            }
        }
        if (now.isEmpty()) {
            shortfallsByCluster.remove(clusterId);
        } else {
            shortfallsByCluster.put(clusterId, List.copyOf(now));
        }
    }

    private void forgetShortfallsOfRemovedClusters() {
        Set<String> held = new HashSet<>();
        ledger.entries().forEach(entry -> held.add(entry.clusterId()));
        shortfallsByCluster.keySet().retainAll(held);
        health.shortfalls(shortfallsByCluster.values().stream().mapToInt(List::size).sum());
    }

    private <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, Supplier<R>> task) {
        if (items.size() <= 1) {
            return items.stream().map(item -> task.apply(item).get()).toList();
        }
        List<Future<R>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(executor().submit(() -> task.apply(item).get()));
        }
        List<R> results = new ArrayList<>();
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing", e);
            }
        }
        return results;
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newFixedThreadPool(Math.max(1, config.parallelSubscriptions()), runnable -> {
                Thread thread = new Thread(runnable, "fleet-discovery");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    private static String describe(ArmException e) {
        return e.outcome().tag() + " " + e.getMessage();
    }
}
