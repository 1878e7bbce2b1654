package io.aksheadroom.metrics;

import static io.aksheadroom.metrics.FleetExpositionTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.capacity.Severity;
import io.aksheadroom.monitor.Alert;
import io.aksheadroom.monitor.AlertRules;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.monitor.Fleet;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Exposition;
import io.aksheadroom.support.Generators;
import io.aksheadroom.support.SyntheticFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The exposition that keeps each cluster's lines between scrapes, against the one that renders everything at every
 * scrape, both reading the same real {@link Fleet} as it changes: the same bytes after any sequence of samples, node
 * events, profiles, tombstones and released partitions; and the lines kept are exactly those of the fleet's clusters.
 */
class FleetExpositionCacheTest {

    private static final int TOP = 5;
    private static final List<String> IDS = List.of(SyntheticFleet.clusterId(0), SyntheticFleet.clusterId(1),
            SyntheticFleet.clusterId(2), SyntheticFleet.clusterId(3), "quote\"back\\slash\nnewline");

    /** Copies a cluster's lines of a family up to two nodes' worth, slices longer ones: these fleets' nodes are few. */
    private static final int MIXED = 300;

    private static int partitionOf(String clusterId) {
        return IDS.indexOf(clusterId) % 3;
    }

    private enum Kind {
        SAMPLE, BUSY_SAMPLE, NODE_ADDED, NODE_REMOVED, PROFILE, FORGET, RELEASE, SETTLE, CONFIRM, QUIET
    }

    /** One change to the fleet, at the step's time less {@code minutesLate}, and whether a scrape follows it. */
    private record Step(Kind kind, int cluster, int node, int value, int minutesLate, boolean scrape) {
    }

    /** Up to 30 steps, each followed by a scrape or not, drawn from one seed so a counterexample shrinks by length. */
    private static Gen<List<Step>> steps() {
        return Generators.ints(1, 30).zip(Generators.longs(0, Long.MAX_VALUE), (size, seed) -> {
            Random random = new Random(seed);
            List<Step> steps = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                steps.add(new Step(Kind.values()[random.nextInt(Kind.values().length)], random.nextInt(IDS.size()),
                        random.nextInt(12), random.nextInt(1100), random.nextInt(3) * random.nextInt(3),
                        random.nextInt(3) > 0));
            }
            return steps;
        });
    }

    /** Applies {@code step} at {@code at} as the pipeline would; a step for a cluster the fleet lacks adds it. */
    private static void apply(Fleet<Void> fleet, Step step, Instant at) {
        String id = IDS.get(step.cluster());
        int partition = partitionOf(id);
        boolean ofTheFleet = step.kind() == Kind.RELEASE || step.kind() == Kind.CONFIRM || step.kind() == Kind.QUIET;
        if (!fleet.owns(id) && !ofTheFleet) {
            SyntheticFleet.add(fleet, id, partition, step.node(), 1 + step.value() % 2);
            return;
        }
        switch (step.kind()) {
            case SAMPLE -> fleet.apply(partition, new SnatSample(id, at, SyntheticFleet.ip(step.node()),
                    step.value() % 2 == 0 ? Protocol.TCP : Protocol.UDP, SyntheticFleet.PORTS,
                    Math.min(step.value(), SyntheticFleet.PORTS), (long) step.value() % 3), null, at, false);
            // Near every port used: utilization alerts fire after a few of these, and resolve on the next calm one.
            case BUSY_SAMPLE -> fleet.apply(partition, new SnatSample(id, at, SyntheticFleet.ip(step.node()),
                    Protocol.TCP, SyntheticFleet.PORTS, SyntheticFleet.PORTS - step.value() % 8, 0L), null, at, false);
            case NODE_ADDED -> fleet.apply(partition, NodeEvent.added(id, at,
                    SyntheticFleet.node(step.node(), 1 + step.value() % 2)), null, at, false);
            case NODE_REMOVED -> fleet.apply(partition, NodeEvent.removed(id, at,
                    SyntheticFleet.node(step.node(), 1 + step.value() % 2)), null, at, false);
            case PROFILE -> SyntheticFleet.add(fleet, id, partition, step.node(), 1 + step.value() % 2);
            case FORGET -> fleet.forget(id, at);
            case RELEASE -> fleet.release(Set.of(step.value() % 3));
            // As after a takeover: the alerts topic shows an alert the replay did not raise; it fires unconfirmed
            // until the confirm resolves it. The alert book changes, and nothing else does.
            case SETTLE -> fleet.settle(partition, Map.of(id, List.of(new Alert("shown-" + step.value() % 2,
                    AlertStatus.FIRING, AlertRules.SNAT_TIER_DROP.alertname(), "SNAT-5", Severity.WARNING, id, "plan",
                    "shown on the alerts topic", null, null, at.minusSeconds(600), null, at.minusSeconds(60)))), at);
            case CONFIRM -> fleet.confirm(partition, at);
            case QUIET -> {
            }
        }
    }

    /**
     * Any sequence of changes, scraped after some of them: the cached exposition is byte for byte the uncached one,
     * the same series as the Prometheus client's writer gives, and it keeps the lines of the fleet's clusters alone.
     */
    @Test
    void theCachedExpositionIsTheUncachedOneAfterAnyChanges() {
        Coverage coverage = Coverage.ofOneRun();
        qt().withFixedSeed(coverage.seed()).withExamples(300).forAll(Generators.ints(0, IDS.size() - 1), steps(),
                Generators.of(0, MIXED, Integer.MAX_VALUE))
                .checkAssert((initial, steps, copiedBelow) -> checkSteps(coverage, initial, steps, copiedBelow));
        coverage.assertShareAbove("some rendered", 0.5).assertShareAbove("nothing rendered", 0.5)
                .assertSeen("alerts firing").assertSeen("lines copied and sliced");
    }

    /**
     * {@code copiedBelow}: 0 hands out every cluster's lines as slices, the most a response can hold of the cache's
     * buffers; the largest int copies them all; {@link #MIXED} does both.
     */
    private static void checkSteps(Coverage coverage, int initial, List<Step> steps, int copiedBelow) {
        try {
            Fleet<Void> fleet = SyntheticFleet.of(0, 0, 1);
            for (int c = 0; c < initial; c++) {
                SyntheticFleet.add(fleet, IDS.get(c), partitionOf(IDS.get(c)), 3 + 2 * c, 1 + c % 2);
            }
            UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(false);
            FleetExposition cached = new FleetExposition(fleet, TOP, memory, copiedBelow);
            FleetExposition uncached = FleetExposition.uncached(fleet, TOP, memory);
            assertEquals(text(uncached), text(cached));
            Instant at = SyntheticFleet.AT.plusSeconds(120);
            // The previous scrape's response, not yet written when the next scrape runs.
            Response held = Response.NONE;
            for (Step step : steps) {
                at = at.plusSeconds(60);
                // Up to 3 minutes late: a backend's sample may change it and leave the cluster's newest event time.
                apply(fleet, step, at.minusSeconds(60L * step.minutesLate()));
                coverage.count(step.kind());
                if (step.scrape()) {
                    long before = cached.clustersRendered();
                    String expected = text(uncached);
                    Response response = Response.of(cached, copiedBelow);
                    assertEquals(expected, response.text, () -> "after " + step);
                    long copies = cached.cachedBytes() + response.copiedBytes + held.copiedBytes;
                    if (copiedBelow == 0) {
                        // What the cache let go of since the held response was made is still the held response's.
                        assertEquals(copies + held.releasedSince(cached), memory.metric().usedHeapMemory(),
                                "a response keeps exactly the kept lines it was handed, and its HELP and TYPE lines");
                    } else if (copiedBelow == Integer.MAX_VALUE) {
                        assertEquals(copies, memory.metric().usedHeapMemory(),
                                "a response of copies holds no kept lines");
                    } else {
                        assertTrue(memory.metric().usedHeapMemory() >= copies, "a response keeps what it was handed");
                        long headers = Response.copiedBytes(response.text, 0);
                        int textBytes = response.text.getBytes(StandardCharsets.UTF_8).length;
                        coverage.count(response.copiedBytes > headers && response.copiedBytes < textBytes
                                ? "lines copied and sliced" : "lines copied or sliced");
                    }
                    held.assertUnchangedAndRelease();
                    assertEquals(cached.cachedBytes() + response.copiedBytes, memory.metric().usedHeapMemory(),
                            "released, a response frees what the cache no longer keeps");
                    held = response;
                    coverage.count(cached.clustersRendered() - before == 0 ? "nothing rendered"
                            : cached.clustersRendered() - before < fleet.size() ? "some rendered"
                            : "all rendered");
                }
            }
            held.assertUnchangedAndRelease();
            String last = text(cached);
            assertEquals(text(uncached), last);
            Exposition ours = Exposition.parse(last);
            Exposition theirs = Exposition.parse(FleetExpositionTest.reference(fleet, TOP));
            assertEquals(theirs.byKey(), ours.byKey());
            assertEquals(theirs.comments, ours.comments);
            assertEquals(fleet.size(), cached.cachedClusters(), "the cache follows the fleet");
            assertEquals(memory.metric().usedHeapMemory(), cached.cachedBytes(),
                    "every buffer but the kept lines is released");
            coverage.count(fleet.alertsFiring() > 0 ? "alerts firing" : "no alert");
            cached.close();
            assertEquals(0, memory.metric().usedHeapMemory(), "closed, the exposition keeps nothing");
            assertEquals(last, text(cached), "a scrape after close renders the fleet again");
            cached.close();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** A scrape handed out and not yet released (written): what it holds, and what it pins of the cache's memory. */
    private record Response(List<ByteBuf> families, String text, long copiedBytes, long releasedBefore) {

        static final Response NONE = new Response(List.of(), "", 0, 0);
        private static final Pattern CLUSTER = Pattern.compile("cluster=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Response of(FleetExposition exposition, int copiedBelow) {
            List<ByteBuf> families = new ArrayList<>();
            exposition.writeTo(name -> true, families::add);
            StringBuilder text = new StringBuilder();
            long copied = 0;
            for (ByteBuf family : families) {
                String lines = family.toString(StandardCharsets.UTF_8);
                text.append(lines);
                copied += copiedBytes(lines, copiedBelow);
            }
            return new Response(families, text.toString(), copied, exposition.releasedBytes());
        }

        /** The HELP and TYPE lines, and each cluster's group of lines shorter than {@code copiedBelow} bytes. */
        static long copiedBytes(String family, int copiedBelow) {
            long copied = 0;
            String cluster = null;
            long group = 0;
            for (String line : family.lines().toList()) {
                long length = line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (line.startsWith("#")) {
                    copied += length;
                    continue;
                }
                Matcher label = CLUSTER.matcher(line);
                assertTrue(label.find(), line);
                if (!label.group(1).equals(cluster)) {
                    copied += group < copiedBelow ? group : 0;
                    cluster = label.group(1);
                    group = 0;
                }
                group += length;
            }
            return copied + (group < copiedBelow ? group : 0);
        }

        /** The kept lines the cache let go of since this response was handed out: it holds them all. */
        long releasedSince(FleetExposition exposition) {
            return families.isEmpty() ? 0 : exposition.releasedBytes() - releasedBefore;
        }

        void assertUnchangedAndRelease() {
            StringBuilder now = new StringBuilder();
            families.forEach(family -> now.append(family.toString(StandardCharsets.UTF_8)));
            assertEquals(text, now.toString(), "a response reads what it was handed until it is released");
            families.forEach(ByteBuf::release);
        }
    }

    /**
     * Pooled memory, where a buffer released is soon written over by the next one: a response held across scrapes
     * that replace and drop clusters still reads its own text, and once released the pool holds the kept lines alone.
     */
    @Test
    void aResponseNotYetWrittenKeepsTheLinesItWasHanded() {
        Fleet<Void> fleet = SyntheticFleet.of(10, 8, 2);
        PooledByteBufAllocator memory = new PooledByteBufAllocator(false);
        FleetExposition exposition = new FleetExposition(fleet, TOP, memory, 0);
        String first = text(exposition);
        List<ByteBuf> held = new ArrayList<>();
        exposition.writeTo(name -> true, held::add);

        Instant at = SyntheticFleet.AT.plusSeconds(600);
        for (int c = 0; c < 10; c++) {
            fleet.apply(c, new SnatSample(SyntheticFleet.clusterId(c), at, SyntheticFleet.ip(0), Protocol.TCP,
                    SyntheticFleet.PORTS, 1000L + c, 0L), null, at, false);
        }
        fleet.release(Set.of(1));
        String after = text(exposition);
        assertTrue(exposition.releasedBytes() > 0, "the cache let go of every cluster's earlier lines");
        assertFalse(after.equals(first));
        assertEquals(first, held.stream().map(family -> family.toString(StandardCharsets.UTF_8))
                .reduce("", String::concat), "the held response still reads its own lines");

        held.forEach(ByteBuf::release);
        assertEquals(after, text(exposition), "the kept lines are the cache's own");
        exposition.close();
    }

    @Test
    void onlyTheClustersThatChangedAreRenderedAgain() {
        Fleet<Void> fleet = SyntheticFleet.of(10, 8, 2);
        FleetExposition exposition = new FleetExposition(fleet, TOP);
        text(exposition);
        assertEquals(10, exposition.clustersRendered());

        text(exposition);
        assertEquals(10, exposition.clustersRendered(), "nothing changed, nothing rendered");

        Instant at = SyntheticFleet.AT.plusSeconds(600);
        String busy = SyntheticFleet.clusterId(3);
        fleet.apply(3, new SnatSample(busy, at, SyntheticFleet.ip(0), Protocol.TCP, SyntheticFleet.PORTS, 1023L, 0L),
                null, at, false);
        String after = text(exposition);
        assertEquals(11, exposition.clustersRendered(), "the one cluster that took a sample");
        assertTrue(after.contains("aks_headroom_node_snat_used_ports{cluster=\"" + busy + "\",pool=\"pool1\",node=\""
                + SyntheticFleet.node(0, 2).name() + "\",protocol=\"TCP\"} 1023\n"), "its new value is served");
        exposition.close();
    }

    /**
     * Changes that leave the cluster's newest event time as it was: a backend's late sample (older than another
     * backend's), and an alert the alerts topic shows after a takeover (the alert book alone changes).
     */
    @Test
    void changesThatLeaveTheNewestEventTimeAreSeen() {
        Fleet<Void> fleet = SyntheticFleet.of(1, 8, 1);
        String id = SyntheticFleet.clusterId(0);
        FleetExposition exposition = new FleetExposition(fleet, TOP);
        Instant newest = SyntheticFleet.AT.plusSeconds(600);
        fleet.apply(0, new SnatSample(id, newest, SyntheticFleet.ip(0), Protocol.TCP, SyntheticFleet.PORTS, 1L, 0L),
                null, newest, false);
        String before = text(exposition);

        Instant late = newest.minusSeconds(120);
        // Below the busiest node's 921 ports: the demand window's peak, and so the plan, stay as they were.
        fleet.apply(0, new SnatSample(id, late, SyntheticFleet.ip(1), Protocol.TCP, SyntheticFleet.PORTS, 900L, 0L),
                null, late, false);
        String afterLate = text(exposition);
        assertEquals(text(FleetExposition.uncached(fleet, TOP, UnpooledByteBufAllocator.DEFAULT)), afterLate);
        assertTrue(afterLate.contains("node=\"" + SyntheticFleet.node(1, 1).name() + "\",protocol=\"TCP\"} 900\n"),
                afterLate);

        fleet.settle(0, Map.of(id, List.of(new Alert("shown", AlertStatus.FIRING,
                AlertRules.SNAT_TIER_DROP.alertname(), "SNAT-5", Severity.WARNING, id, "plan", "shown", null, null,
                late, null, late))), newest);
        String afterSettle = text(exposition);
        assertEquals(text(FleetExposition.uncached(fleet, TOP, UnpooledByteBufAllocator.DEFAULT)), afterSettle);
        assertTrue(afterSettle.contains("aks_headroom_alerts_firing{cluster=\"" + id + "\",alertname=\""
                + AlertRules.SNAT_TIER_DROP.alertname() + "\",severity=\"warning\"} 1\n"), afterSettle);
        assertFalse(before.equals(afterLate) || afterLate.equals(afterSettle));
        exposition.close();
    }

    /** A scrape for some families is served without the cache, and leaves it as it was. */
    @Test
    void aScrapeOfSomeFamiliesBypassesTheCache() {
        Fleet<Void> fleet = SyntheticFleet.of(4, 5, 1);
        FleetExposition exposition = new FleetExposition(fleet, TOP);
        List<ByteBuf> pieces = new ArrayList<>();
        exposition.writeTo(FleetSeries.OUTBOUND_IPS.name()::equals, pieces::add);
        assertEquals(1, pieces.size());
        String only = pieces.get(0).toString(StandardCharsets.UTF_8);
        pieces.forEach(ByteBuf::release);
        assertEquals(4, Exposition.parse(only).series.size());
        assertEquals(0, exposition.cachedClusters());
        assertEquals(0, exposition.clustersRendered());
    }
}
