package io.aksheadroom.azuremonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How the poller groups a cluster's samples into records, and what a record's acknowledgement marks as published. */
class LoadBalancerMinutesTest {

    private static final Instant T1 = Instant.parse("2026-11-26T10:01:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final String LB = "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/loadBalancers/k";

    private static SnatSample sample(Instant at, int backend) {
        return new SnatSample("c1", at, "10.0." + backend / 250 + "." + (1 + backend % 250), Protocol.TCP, 1024,
                backend, 0L);
    }

    @Test
    void oneRecordPerMinuteOldestFirstEachBackendInTheOrderGiven() {
        List<SnatSample> samples = List.of(sample(T2, 1), sample(T1, 2), sample(T2, 0), sample(T1, 1));
        List<LoadBalancerMinute> minutes = AzureMonitorPoller.minutes("c1", LB, samples);
        assertEquals(List.of(new LoadBalancerMinute("c1", T1, LB, List.of(sample(T1, 2), sample(T1, 1))),
                new LoadBalancerMinute("c1", T2, LB, List.of(sample(T2, 1), sample(T2, 0)))), minutes);
        assertEquals(List.of(), AzureMonitorPoller.minutes("c1", LB, List.of()));
    }

    @Test
    void aMinuteOfMoreBackendsThanARecordHoldsGoesInParts() {
        int max = AzureMonitorPoller.MAX_SAMPLES_PER_RECORD;
        List<SnatSample> samples = new ArrayList<>();
        for (int b = 0; b < 2 * max + 1; b++) {
            samples.add(sample(T1, b));
        }
        List<LoadBalancerMinute> parts = AzureMonitorPoller.minutes("c1", LB, samples);
        assertEquals(List.of(max, max, 1), parts.stream().map(part -> part.samples().size()).toList());
        assertEquals(samples, parts.stream().flatMap(part -> part.samples().stream()).toList(), "none lost, in order");
        assertTrue(parts.stream().allMatch(part -> part.at().equals(T1) && LB.equals(part.loadBalancer())));
        assertEquals(1, AzureMonitorPoller.minutes("c1", LB, samples.subList(0, max)).size(), "exactly full");
    }

    /**
     * A record is acknowledged whole or not at all. A backend of a record that was not acknowledged keeps its mark
     * below that minute, even where a later record with it was acknowledged, so the next poll sends it again.
     */
    @Test
    void aBackendInARecordNotAcknowledgedIsSentAgainNextPoll() {
        MinuteMarks marks = new MinuteMarks();
        PollTally tally = new PollTally(new SimpleMeterRegistry());
        LoadBalancerMinute first = new LoadBalancerMinute("c1", T1, LB, List.of(sample(T1, 0), sample(T1, 1)));
        LoadBalancerMinute second = new LoadBalancerMinute("c1", T2, LB, List.of(sample(T2, 1), sample(T2, 2)));

        int published = marks.publishMinutes(List.of(first, second), minutes -> List.of(false, true), tally);

        assertEquals(1, published, "backend 2 of the second record; backend 1 waits for its first minute");
        assertEquals(3, tally.unacknowledged);
        assertTrue(marks.isNew(sample(T1, 0)));
        assertTrue(marks.isNew(sample(T1, 1)));
        assertTrue(marks.isNew(sample(T2, 1)));
        assertFalse(marks.isNew(sample(T2, 2)));

        PollTally next = new PollTally(new SimpleMeterRegistry());
        assertEquals(4, marks.publishMinutes(List.of(first, second), minutes -> List.of(true, true), next));
        assertFalse(marks.isNew(sample(T2, 1)));
        assertEquals(0, next.unacknowledged);
        assertEquals(0, marks.publishMinutes(List.of(), minutes -> {
            throw new AssertionError("nothing to send");
        }, next));
    }
}
