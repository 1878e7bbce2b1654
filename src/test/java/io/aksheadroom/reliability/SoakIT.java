package io.aksheadroom.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.bench.SoakProbe;
import io.aksheadroom.bench.SoakRun;
import io.aksheadroom.bench.SoakWorkload;
import io.aksheadroom.dev.EmbeddedKafkaBroker;
import io.aksheadroom.support.ServiceProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The soak's one-minute version (the 30-minute one is {@code bench/soak.sh}): the packaged service under a fleet whose
 * clusters are born and tombstoned every few hundred milliseconds. It asserts the absence of growth, not speed: once
 * the service has caught up, it tracks exactly the clusters alive, {@code /q/metrics} has series of those and no
 * other, no event is held any more, the alert books hold no more than the live clusters can fire, every record sent
 * was consumed, and the retained heap has not grown past a tolerance of the least of its first measurements after the
 * warm-up.
 */
class SoakIT {

    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final int RATE = 1_000;
    /** Live clusters at once, each living 20 s: about 3 born and 3 tombstoned per second, 180 forgotten in the run. */
    private static final int POPULATION = 60;
    private static final int PERMANENT = 4;
    private static final int NODES = 10;
    /**
     * The retained heap of a run this short still moves with what the JIT and the Kafka clients settle on; a service
     * that kept its forgotten clusters would hold about three times the live ones' state by the end.
     */
    private static final double HEAP_TOLERANCE = 0.20;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Path FIGURES = Path.of("target", "reliability-figures.txt");

    private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
    private ServiceProcess service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        broker.close();
    }

    @Test
    void forgottenClustersLeaveNothingBehind() throws Exception {
        long started = System.nanoTime();
        service = ServiceProcess.start("soak", broker.bootstrapServers(), Map.of(
                "aks-headroom.pipeline.unknown-cluster-grace", GRACE.toString())).awaitReady();
        SoakWorkload workload = new SoakWorkload("soak-it", POPULATION, PERMANENT, NODES, Duration.ofSeconds(20),
                System.currentTimeMillis());
        String bootstrap = broker.bootstrapServers();
        try (SoakProbe probe = new SoakProbe("http://127.0.0.1:" + service.port(), service.pid(), bootstrap);
                SoakRun run = new SoakRun(workload, probe, bootstrap, RATE)) {
            run.start();
            // The first heap figure is the least of three, 5 s apart: a measurement under load also counts what is in
            // flight (fetched records, the producer's pooled batches), the last one, after the drain, does not.
            long firstHeap = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                awaitMinutes(run, WARM_UP.plusSeconds(5L * i));
                firstHeap = Math.min(firstHeap, run.probe(true, Duration.ofSeconds(15)).heapBytes());
            }
            awaitMinutes(run, RUN);
            SoakRun.Point end = run.drain(Duration.ofSeconds(60), GRACE.plusSeconds(3));
            Map<String, Double> deadLetters = probe.deadLettersByReason();
            double growth = (double) (end.heapBytes() - firstHeap) / firstHeap;
            String figures = String.format("RELIABILITY soak-it (1 min, churn): sent=%d consumed=%.0f born=%d "
                    + "tombstoned=%d alive=%d tracked=%.0f scrape-clusters=%d stale=%d alerts=%.0f held=%.0f "
                    + "dead-letters=%s late-samples=%d heap-after-warm-up=%d heap-end=%d growth=%.1f%% lag-end=%d "
                    + "duration=%ds", run.sent(), end.consumed(), workload.born(), workload.tombstoned().size(),
                    workload.alive(), end.clusters(), end.scrapeClusters(), end.stale(), end.alerts(), end.held(),
                    deadLetters, workload.lateSamples(), firstHeap, end.heapBytes(), growth * 100, end.lag(),
                    (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println(figures);
            Files.writeString(FIGURES, figures + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);

            assertTrue(workload.tombstoned().size() >= 100, "clusters came and went: " + figures);
            assertEquals(0, run.failedSends(), figures);
            assertEquals(run.sent(), Math.round(end.consumed()), "every record sent was consumed: " + figures);
            assertEquals(0, end.lag(), "the marker caught up: " + figures);
            assertEquals(workload.alive(), Math.round(end.clusters()),
                    "the service tracks the live clusters, none of the tombstoned: " + figures);
            assertEquals(workload.alive(), end.scrapeClusters(), "/q/metrics has series of the live clusters only: "
                    + figures);
            assertEquals(0, end.stale(), "no series of a tombstoned cluster: " + figures);
            assertEquals(0, Math.round(end.held()), "no event held once the grace period is over: " + figures);
            assertTrue(end.alerts() <= 3.0 * workload.alive(),
                    "the alert books hold the live clusters' alerts only (one hot node of ten, a plan alert): "
                            + figures);
            assertEquals(Set.of("unknown cluster"), deadLetters.keySet(),
                    "dead letters are the samples sent after their cluster's tombstone: " + figures);
            assertTrue(deadLetters.get("unknown cluster") >= workload.lateSamples(), figures);
            assertTrue(growth <= HEAP_TOLERANCE, "retained heap within " + HEAP_TOLERANCE * 100
                    + " % of its first measurement after the warm-up: " + figures);
        }
    }

    /** Until {@code until} into the run, probing every 5 s (each probe checks that the sender still runs). */
    private static void awaitMinutes(SoakRun run, Duration until) {
        await("the run at " + until).atMost(until.plusSeconds(30)).pollInterval(Duration.ofSeconds(5))
                .until(() -> run.probe(false, Duration.ZERO).minute() * 60 >= until.toSeconds());
    }
}
