package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code GET /api/v1/clusters} of every service instance a few times a second and measures, per cluster, the
 * longest stretch during which no instance owned it: how long a takeover leaves a cluster unwatched.
 */
public final class OwnershipMonitor implements AutoCloseable {

    private static final Duration EVERY = Duration.ofMillis(250);
    /** A bound on the polling, whatever the test does: it stops by itself. */
    private static final Duration AT_MOST = Duration.ofMinutes(8);

    private final List<String> clusters;
    private final List<ServiceProcess> instances = new CopyOnWriteArrayList<>();
    private final Map<String, Long> unownedSince = new HashMap<>();
    private final Map<String, Long> longestGapNanos = new HashMap<>();
    private final Map<String, Set<String>> lastOwners = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ownership-monitor");
        thread.setDaemon(true);
        return thread;
    });
    private final long started = System.nanoTime();
    private int polls;

    /** @param clusters the clusters that must always be owned (never deleted during the run) */
    public OwnershipMonitor(List<String> clusters) {
        this.clusters = List.copyOf(clusters);
        poller.scheduleWithFixedDelay(this::poll, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void watch(ServiceProcess instance) {
        instances.add(instance);
    }

    private void poll() {
        if (System.nanoTime() - started > AT_MOST.toNanos()) {
            poller.shutdown();
            return;
        }
        Map<String, Set<String>> owners = new HashMap<>();
        for (ServiceProcess instance : instances) {
            ServiceProcess.Response response = instance.isAlive() ? instance.get("/api/v1/clusters") : null;
            if (response == null || response.status() != 200) {
                continue;
            }
            for (JsonNode summary : FaultWorkload.tree(response.body())) {
                owners.computeIfAbsent(summary.path("clusterId").asText(), id -> new HashSet<>()).add(instance.name());
            }
        }
        long now = System.nanoTime();
        synchronized (this) {
            polls++;
            for (String cluster : clusters) {
                Set<String> by = owners.getOrDefault(cluster, Set.of());
                lastOwners.put(cluster, by);
                if (by.isEmpty()) {
                    unownedSince.putIfAbsent(cluster, now);
                    longestGapNanos.merge(cluster, now - unownedSince.get(cluster), Math::max);
                } else {
                    unownedSince.remove(cluster);
                }
            }
        }
    }

    /** The longest time any watched cluster went without an owner, so far. */
    public synchronized Duration longestUnowned() {
        return Duration.ofNanos(longestGapNanos.values().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    /** Clusters owned by more than one instance, or by none, at the last poll. */
    public synchronized Map<String, Set<String>> notOwnedByExactlyOne() {
        Map<String, Set<String>> odd = new HashMap<>();
        lastOwners.forEach((cluster, by) -> {
            if (by.size() != 1) {
                odd.put(cluster, by);
            }
        });
        return odd;
    }

    /** The instances that owned each cluster at the last poll. */
    public synchronized Map<String, Set<String>> owners() {
        return Map.copyOf(lastOwners);
    }

    public synchronized int polls() {
        return polls;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
