package io.aksheadroom.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The processed-offset marker covers a record only once all its outputs, and all before it, are acknowledged. */
class OutputLedgerTest {

    private static final TopicPartition PROFILES = new TopicPartition("aks.cluster-profiles", 0);
    private static final TopicPartition NODES = new TopicPartition("aks.node-events", 0);
    private static final TopicPartition SAMPLES = new TopicPartition("aks.lb-metrics", 0);
    private static final List<TopicPartition> INPUTS = List.of(PROFILES, NODES, SAMPLES);

    private static OutputLedger ledger() {
        OutputLedger ledger = new OutputLedger(Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC));
        ledger.open(0, Map.of(PROFILES, 10L, NODES, 20L, SAMPLES, 30L));
        return ledger;
    }

    @Test
    void aRecordIsCoveredOnlyOnceEachOfItsOutputsIsAcknowledged() {
        OutputLedger ledger = ledger();
        OutputLedger.Hold hold = ledger.record(PROFILES, 10);
        hold.sent();
        hold.sent();
        hold.close();
        assertEquals(10L, ledger.covered().get(PROFILES));
        hold.acknowledged();
        assertEquals(10L, ledger.covered().get(PROFILES), "one of two outputs is still in the producer's buffer");
        hold.acknowledged();
        assertEquals(11L, ledger.covered().get(PROFILES));
        assertEquals(0, ledger.unacknowledged());
    }

    @Test
    void aRecordStillBeingProcessedIsNotCoveredEvenWithNothingSentYet() {
        OutputLedger ledger = ledger();
        OutputLedger.Hold hold = ledger.record(NODES, 20);
        assertEquals(20L, ledger.covered().get(NODES));
        hold.close();
        assertEquals(21L, ledger.covered().get(NODES));
    }

    /**
     * A node event processed after its cluster's profile must not be covered while the profile is not: the next owner
     * would replay the event without the profile and hold it for a profile that comes only live after the replay.
     */
    @Test
    void theMarkerIsACutInProcessingOrderAcrossTheTopicsOfAPartition() {
        OutputLedger ledger = ledger();
        OutputLedger.Hold profile = ledger.record(PROFILES, 10);
        profile.sent();
        profile.close();
        OutputLedger.Hold event = ledger.record(NODES, 20);
        event.sent();
        event.close();
        event.acknowledged();
        assertEquals(Map.of(PROFILES, 10L, NODES, 20L, SAMPLES, 30L), ledger.covered());
        profile.acknowledged();
        assertEquals(Map.of(PROFILES, 11L, NODES, 21L, SAMPLES, 30L), ledger.covered());
    }

    @Test
    void aStepOfThePartitionHoldsTheMarkerWhereItWas() {
        OutputLedger ledger = ledger();
        OutputLedger.Hold settle = ledger.step(0);
        settle.sent();
        settle.close();
        OutputLedger.Hold live = ledger.record(SAMPLES, 30);
        live.close();
        assertEquals(30L, ledger.covered().get(SAMPLES), "not past the settle's outputs");
        settle.acknowledged();
        assertEquals(31L, ledger.covered().get(SAMPLES));
    }

    @Test
    void aFailedOutputStopsTheMarkerForGoodAndIsReported() {
        OutputLedger ledger = ledger();
        assertNull(ledger.firstFailure());
        OutputLedger.Hold failing = ledger.record(PROFILES, 10);
        failing.sent();
        failing.close();
        OutputLedger.Hold after = ledger.record(PROFILES, 11);
        after.close();
        failing.failed(new IllegalStateException("delivery timeout"));
        assertEquals(10L, ledger.covered().get(PROFILES));
        assertNotNull(ledger.firstFailure());
        assertEquals(PROFILES, ledger.firstFailure().input());
        assertEquals(10L, ledger.firstFailure().offset());
        assertEquals(1, ledger.failures());
    }

    @Test
    void acknowledgementsOfAPartitionGivenUpChangeNothingWhenItComesBack() {
        OutputLedger ledger = ledger();
        OutputLedger.Hold old = ledger.record(PROFILES, 10);
        old.sent();
        old.close();
        ledger.release(Set.of(0));
        assertEquals(Map.of(), ledger.covered());
        ledger.open(0, Map.of(PROFILES, 5L));
        old.acknowledged();
        assertEquals(Map.of(PROFILES, 5L), ledger.covered());
        assertEquals(OutputLedger.NONE, ledger.record(new TopicPartition("aks.cluster-profiles", 1), 0),
                "a partition this instance does not hold has nothing to wait for");
    }

    @Test
    void aHandoverWaitsForTheOutputsInFlightAndNoLonger() throws Exception {
        OutputLedger ledger = ledger();
        OutputLedger.Hold hold = ledger.record(PROFILES, 10);
        hold.sent();
        hold.close();
        assertFalse(ledger.awaitAcknowledged(Set.of(0), Duration.ofMillis(50)));
        assertTrue(ledger.awaitAcknowledged(Set.of(1), Duration.ofMillis(50)), "nothing in flight there");
        // The handover waits on the consumer's thread; the broker's answer comes on the producer's.
        CompletableFuture<Boolean> handover = CompletableFuture.supplyAsync(() -> {
            try {
                return ledger.awaitAcknowledged(Set.of(0), Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        hold.acknowledged();
        assertTrue(handover.get(60, TimeUnit.SECONDS));
        assertEquals(11L, ledger.covered().get(PROFILES));
    }

    /** One cause: a record (or, input null, a step of the partition) and how many outputs it sends. */
    private record Cause(TopicPartition input, int outputs) {
    }

    /** Up to 40 causes, records of the three topics and steps mixed, each with up to 3 outputs. */
    private static Gen<List<Cause>> causes() {
        return Generators.ints(1, 40).zip(Generators.longs(0, Long.MAX_VALUE), (size, seed) -> {
            // Drawn from one seed, so a counterexample shrinks by its length.
            Random random = new Random(seed);
            List<Cause> causes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                causes.add(new Cause(random.nextInt(4) == 3 ? null : INPUTS.get(random.nextInt(3)),
                        random.nextInt(4)));
            }
            return causes;
        });
    }

    /**
     * Causes processed one after the other, their outputs answered in an arbitrary order interleaved with the
     * processing: at every moment, the marker of each topic partition is the end of the longest prefix of causes whose
     * outputs are all acknowledged, as a model computes it.
     */
    @Test
    void theMarkerIsAlwaysTheLongestFullyAcknowledgedPrefix() {
        Coverage coverage = Coverage.ofOneRun();
        qt().withFixedSeed(coverage.seed()).withExamples(500).forAll(causes(), Generators.longs(0, Long.MAX_VALUE))
                .checkAssert((causes, seed) -> {
                    Random random = new Random(seed);
                    OutputLedger ledger = ledger();
                    Map<TopicPartition, Long> base = ledger.covered();
                    Map<TopicPartition, Long> nextOffset = new HashMap<>(base);
                    List<OutputLedger.Hold> holds = new ArrayList<>();
                    List<Long> offsets = new ArrayList<>();
                    int[] unanswered = new int[causes.size()];
                    List<int[]> inFlight = new ArrayList<>(); // {cause index}
                    int processed = 0;
                    while (processed < causes.size() || !inFlight.isEmpty()) {
                        if (processed < causes.size() && (inFlight.isEmpty() || random.nextBoolean())) {
                            Cause cause = causes.get(processed);
                            OutputLedger.Hold hold;
                            if (cause.input() == null) {
                                hold = ledger.step(0);
                                offsets.add(null);
                            } else {
                                long offset = nextOffset.merge(cause.input(), 1L, Long::sum) - 1;
                                hold = ledger.record(cause.input(), offset);
                                offsets.add(offset);
                            }
                            for (int o = 0; o < cause.outputs(); o++) {
                                hold.sent();
                                inFlight.add(new int[] {processed});
                            }
                            unanswered[processed] = cause.outputs();
                            hold.close();
                            holds.add(hold);
                            processed++;
                        } else {
                            int[] answered = inFlight.remove(random.nextInt(inFlight.size()));
                            holds.get(answered[0]).acknowledged();
                            unanswered[answered[0]]--;
                        }
                        Map<TopicPartition, Long> expected = new HashMap<>(base);
                        for (int i = 0; i < processed && unanswered[i] == 0; i++) {
                            if (causes.get(i).input() != null) {
                                expected.put(causes.get(i).input(), offsets.get(i) + 1);
                            }
                        }
                        assertEquals(expected, ledger.covered(), "after " + processed + " causes of " + causes);
                    }
                    coverage.count(causes.size() > 5 ? "long" : "short");
                    assertEquals(nextOffset, ledger.covered(), "all acknowledged: everything covered");
                });
        coverage.assertShareAbove("long", 50);
    }
}
