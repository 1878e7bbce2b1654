package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.CleanRun;
import io.aksheadroom.support.FaultHarness;
import io.aksheadroom.support.KafkaCluster;
import io.aksheadroom.support.ServiceProcess;
import io.aksheadroom.support.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's workload on a real cluster: three KRaft brokers as processes, the service's topics created by the
 * service itself with replication factor 3, {@code min.insync.replicas=2} and no unclean leader election, its
 * producers on {@code acks=all}. One service process lives through three faults, each struck mid-stream on a fresh
 * set of clusters:
 *
 * <ol>
 * <li>the broker leading every partition of {@code aks.recommendations} and {@code aks.alerts} killed (SIGKILL) while
 * outputs are in flight to it (its link slowed, so they sit in the producer's buffer and on the wire);
 * <li>a follower of all of them stopped: their ISR shrinks to 2, which {@code min.insync.replicas} still accepts, the
 * rest of the stream is processed while it is away, then it comes back;
 * <li>a rolling restart of the three brokers, one at a time, a third of the stream sent while each is down, waiting
 * for every replica to be in sync again before the next.
 * </ol>
 *
 * After each, what is on the output topics equals a clean run of the round: nothing lost, nothing spurious, at most one
 * repeated firing per fingerprint, no dead letter. Readiness and liveness are polled all along: with three replicas one
 * broker away is not an outage, so the service stays live and never leaves the Service. Readiness may read down for a
 * poll: the connector's check is, per channel, a client with an open connection, and a producer whose only connection
 * was to the broker that went away may have none until it reconnects.
 */
class ThreeBrokerIT {

    private static final int CLUSTERS = 12;
    private static final List<String> OUTPUTS = List.of(FaultHarness.RECOMMENDATIONS, FaultHarness.ALERTS);
    private static final List<String> TOPICS = List.of(FaultHarness.RECOMMENDATIONS, FaultHarness.ALERTS,
            FaultHarness.DEAD_LETTER, "aks.cluster-profiles", "aks.node-events", "aks.lb-metrics", "aks.natgw-metrics");
    /** Slows the link to the leader to be killed, so the kill finds outputs unacknowledged. */
    private static final Duration LATENCY = Duration.ofMillis(100);
    private static final Duration IN_SYNC_WAIT = Duration.ofSeconds(60);
    /** The readiness probe's period in k8s/base/deployment.yaml. */
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(5);
    private static final String CONSUMED = "aks_headroom_records_consumed_total";

    private KafkaCluster kafka;
    private ServiceProcess service;
    private HealthWatch health;

    @AfterEach
    void tearDown() {
        if (health != null) {
            health.close();
        }
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void leaderKilledFollowerStoppedAndRollingRestartLoseNothing() {
        long started = System.nanoTime();
        kafka = KafkaCluster.start("three-brokers", 3, Map.of());
        Map<String, String> settings = new HashMap<>(CleanRun.serviceProperties());
        settings.put("aks-headroom.topics.replication-factor", "3");
        service = ServiceProcess.start("three-brokers", kafka.serviceBootstrapServers(), settings).awaitReady();
        assertTopicsAsProvisioned();
        health = new HealthWatch(service);
        long faultsFrom = System.nanoTime();

        leaderOfTheOutputsKilled(1);
        followerStopped(2, 3);
        rollingRestart();

        health.endPhase();
        assertEquals(200, service.status("/q/health/ready"));
        assertEquals(200, service.status("/q/health/live"));
        FaultHarness.figures(String.format("RELIABILITY three-brokers total: took=%ds (start %ds, faults %ds)",
                seconds(started), Duration.ofNanos(faultsFrom - started).toSeconds(), seconds(faultsFrom)));
    }

    /** Every topic as the service created it: three replicas, two of them needed in sync, no unclean election. */
    private void assertTopicsAsProvisioned() {
        kafka.describe(TOPICS).forEach((topic, description) -> description.partitions().forEach(p -> assertEquals(3,
                p.replicas().size(), topic + "-" + p.partition() + " replicas")));
        Map<ConfigResource, Config> configs;
        try {
            configs = kafka.admin().describeConfigs(TOPICS.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe the configs of " + TOPICS, e);
        }
        configs.forEach((resource, config) -> {
            assertEquals("2", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), resource.name());
            assertEquals("false", config.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG).value(),
                    resource.name());
        });
    }

    private void leaderOfTheOutputsKilled(int leader) {
        String phase = "leader-kill";
        kafka.leadOn(leader, OUTPUTS);
        kafka.proxy(leader).latency(LATENCY);
        long started = System.nanoTime();
        try (FaultHarness harness = new FaultHarness("leader-kill", CLUSTERS, kafka)) {
            double consumedBefore = service.counter(CONSUMED);
            harness.sendPhaseOneAndAwaitPlans();
            int phaseOne = harness.sentCount();
            // The whole stream at once, and the kill once half of it is processed and outputs are unacknowledged.
            harness.sendRest(0);
            // Its followers lag behind it too: an output it had acknowledged without them would die with it.
            kafka.replicationProxy(leader).latency(LATENCY);
            service.awaitCounter(CONSUMED, consumedBefore + phaseOne + (harness.sentCount() - phaseOne) / 2.0,
                    Duration.ofSeconds(60));
            double inFlight = service.awaitOutputsInFlight(Duration.ofSeconds(5));
            health.endPhase();
            kafka.kill(leader);
            long killed = System.nanoTime();

            Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
            long converged = System.nanoTime();
            Map<Integer, Long> leadersAfter = kafka.leaders(OUTPUTS);
            Seen seen = health.endPhase();
            kafka.proxy(leader).latency(Duration.ZERO);
            kafka.replicationProxy(leader).latency(Duration.ZERO);
            kafka.restart(leader);
            kafka.awaitInSync(TOPICS, IN_SYNC_WAIT);
            Seen seenBack = health.endPhase();

            judge(phase, harness, verdict, consumedBefore);
            assertTrue(inFlight > 0, "the leader was killed with outputs in flight to it");
            assertTrue(!leadersAfter.containsKey(leader) && leadersAfter.values().stream().mapToLong(Long::longValue)
                    .sum() == 12, "every output partition led by a survivor after the kill: " + leadersAfter);
            assertHealthy(phase, seen);
            assertHealthy(phase + " restart", seenBack);
            harness.report("three-brokers leader-kill (SIGKILL of the node leading all 12 output partitions, its"
                    + " service and replication links +" + LATENCY.toMillis() + "ms)", verdict, String.format(
                    "in-flight-at-kill=%d converged-after=%dms leaders-after=%s health-during=%s health-restart=%s"
                    + " took=%ds",
                    (long) inFlight, Duration.ofNanos(converged - killed).toMillis(), leadersAfter, seen, seenBack,
                    seconds(started)));
        }
    }

    private void followerStopped(int leader, int follower) {
        String phase = "follower-stop";
        kafka.leadOn(leader, OUTPUTS);
        long started = System.nanoTime();
        try (FaultHarness harness = new FaultHarness("follower-stop", CLUSTERS, kafka)) {
            double consumedBefore = service.counter(CONSUMED);
            harness.sendPhaseOneAndAwaitPlans();
            int burstEnd = harness.sendStreamUpToABurst();
            health.endPhase();
            kafka.stop(follower);
            await("the ISR of every output partition down to the two running nodes").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250)).until(() -> kafka.inSync(OUTPUTS).values().stream()
                            .allMatch(isr -> isr.size() == 2 && !isr.contains(follower)));
            // The rest of the stream, with every output written to two replicas only.
            harness.sendRest(burstEnd);
            Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
            Map<String, List<Integer>> isrWhileAway = kafka.inSync(OUTPUTS);
            Seen seen = health.endPhase();
            kafka.restart(follower);
            kafka.awaitInSync(TOPICS, IN_SYNC_WAIT);
            Seen seenBack = health.endPhase();

            judge(phase, harness, verdict, consumedBefore);
            assertTrue(isrWhileAway.values().stream().allMatch(isr -> isr.size() == 2),
                    "the outputs were written with the follower away: " + isrWhileAway);
            assertHealthy(phase, seen);
            assertHealthy(phase + " restart", seenBack);
            harness.report("three-brokers follower-stop (SIGTERM of a follower of all 12 output partitions, ISR 2,"
                    + " rest of the stream, back)", verdict, String.format("health-during=%s health-restart=%s"
                    + " took=%ds", seen, seenBack, seconds(started)));
        }
    }

    private void rollingRestart() {
        String phase = "rolling-restart";
        long started = System.nanoTime();
        try (FaultHarness harness = new FaultHarness("rolling", CLUSTERS, kafka)) {
            double consumedBefore = service.counter(CONSUMED);
            harness.sendPhaseOneAndAwaitPlans();
            health.endPhase();
            List<Integer> nodes = kafka.ids();
            int steps = harness.workload().steps().size();
            List<Long> restarts = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                long from = System.nanoTime();
                kafka.stop(nodes.get(i));
                harness.sendSteps(steps * i / nodes.size(), steps * (i + 1) / nodes.size());
                kafka.restart(nodes.get(i));
                kafka.awaitInSync(TOPICS, IN_SYNC_WAIT);
                restarts.add(Duration.ofNanos(System.nanoTime() - from).toMillis());
            }
            Verdict verdict = harness.awaitCleanRunOutcome(Duration.ofSeconds(120));
            Seen seen = health.endPhase();

            judge(phase, harness, verdict, consumedBefore);
            assertHealthy(phase, seen);
            harness.report("three-brokers rolling-restart (SIGTERM, restart, ISR recovered, for each of the 3"
                    + " nodes, a third of the stream sent while each is down)", verdict, String.format(
                    "node-down-to-in-sync-ms=%s health=%s took=%ds", restarts, seen, seconds(started)));
        }
    }

    /** The fault suite's verdict: nothing lost or spurious, at most one repeat per fingerprint, no dead letter. */
    private void judge(String phase, FaultHarness harness, Verdict verdict, double consumedBefore) {
        harness.countConsumed(service.name(), service.counter(CONSUMED) - consumedBefore);
        assertTrue(verdict.lost().isEmpty(), phase + ": " + verdict);
        assertTrue(verdict.spurious().isEmpty(), phase + ": " + verdict);
        assertTrue(verdict.maxRepeatedFiring() <= 1, phase + ", at most one repeated firing per fingerprint: "
                + verdict);
        assertEquals(List.of(), harness.deadLetters(), phase + ": valid input is never dead-lettered");
    }

    /**
     * Live at every poll, and ready at every poll but for stretches shorter than the deployment's readiness probe
     * period: Kubernetes (a probe every 5 s, out of the Service after 3 failures) would never take the pod out.
     */
    private static void assertHealthy(String phase, Seen seen) {
        assertTrue(seen.answers().getOrDefault("live=200", 0) > 0 && seen.answers().keySet().stream()
                .filter(answer -> answer.startsWith("live=")).allMatch("live=200"::equals),
                phase + ": /q/health/live answered " + seen);
        assertTrue(seen.answers().getOrDefault("ready=200", 0) > 0
                && seen.longestNotReady().compareTo(PROBE_PERIOD) < 0,
                phase + ": /q/health/ready answered " + seen + ", not ready: " + seen.notReady());
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }

    /** What the health endpoints answered during a phase: polls per answer, the longest stretch of not ready. */
    private record Seen(Map<String, Integer> answers, Duration longestNotReady, List<String> notReady) {

        @Override
        public String toString() {
            return answers + (longestNotReady.isZero() ? "" : " longest-not-ready=" + longestNotReady.toMillis()
                    + "ms");
        }
    }

    /**
     * Readiness and liveness polled every 250 ms in the background, counted per phase of the test: what the service
     * says while a broker is away, not only before and after.
     */
    private static final class HealthWatch implements AutoCloseable {

        private final ServiceProcess service;
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "health-watch");
            thread.setDaemon(true);
            return thread;
        });
        private Map<String, Integer> answers = new LinkedHashMap<>();
        private List<String> notReady = new ArrayList<>();
        private long notReadySince = -1;
        private long longestNotReady;

        HealthWatch(ServiceProcess service) {
            this.service = service;
            poller.scheduleWithFixedDelay(this::poll, 0, 250, TimeUnit.MILLISECONDS);
        }

        /** Ends a phase and starts the next; returns what was seen in it. */
        synchronized Seen endPhase() {
            if (notReadySince >= 0) {
                longestNotReady = Math.max(longestNotReady, System.nanoTime() - notReadySince);
                notReadySince = System.nanoTime();
            }
            Seen seen = new Seen(answers, Duration.ofNanos(longestNotReady), notReady);
            answers = new LinkedHashMap<>();
            notReady = new ArrayList<>();
            longestNotReady = 0;
            return seen;
        }

        private void poll() {
            ServiceProcess.Response ready = service.get("/q/health/ready");
            int live = service.status("/q/health/live");
            long now = System.nanoTime();
            synchronized (this) {
                answers.merge("ready=" + ready.status(), 1, Integer::sum);
                answers.merge("live=" + live, 1, Integer::sum);
                if (ready.status() == 200) {
                    if (notReadySince >= 0) {
                        longestNotReady = Math.max(longestNotReady, now - notReadySince);
                        notReadySince = -1;
                    }
                } else {
                    notReadySince = notReadySince >= 0 ? notReadySince : now;
                    if (notReady.size() < 5) {
                        notReady.add(Instant.now() + " " + ready.status() + " " + ready.body().replaceAll("\\s+", " "));
                    }
                }
            }
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}
