package io.aksheadroom.monitor;

import io.aksheadroom.capacity.PlanSettings;

import java.time.Instant;

/** One load-balancer backend and protocol: its newest sample, and for how many samples its use has stayed high. */
final class Backend {

    /** {@code ip/protocol}, as alerts and metrics name it. */
    final String subject;
    Instant at;
    long allocated;
    long used;
    long failed;
    int warningStreak;
    int criticalStreak;
    /**
     * This backend as metrics show it, with its node as the cluster's {@code nodeChanges}-th node event left it; null
     * until asked for and after each sample. Every scrape asks for every backend, most of them unchanged since.
     */
    BackendUsage usage;
    long usageNodeChanges;

    Backend(String subject) {
        this.subject = subject;
    }

    /**
     * Takes a sample newer than {@link #at}; {@code sampleAt} is its time, {@code utilization} the sample's, null while
     * nothing is allocated.
     */
    void take(SnatSample sample, Instant sampleAt, Double utilization, PlanSettings levels) {
        at = sampleAt;
        allocated = sample.allocatedSnatPorts();
        used = sample.usedSnatPorts();
        failed = sample.failedConnections() == null ? 0 : sample.failedConnections();
        warningStreak = utilization != null && utilization >= levels.utilizationWarning() ? warningStreak + 1 : 0;
        criticalStreak = utilization != null && utilization >= levels.utilizationCritical() ? criticalStreak + 1 : 0;
        usage = null;
    }
}
