package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Observed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one cluster's samples say about demand over the look-back window (SNAT-8), minute by minute: the peak used
 * ports of any backend, and the failed connections of the newest minute. Not thread-safe: its monitor's fleet guards
 * it.
 */
final class DemandWindow {

    private final long lengthMinutes;
    /** Epoch minute to {peak used ports of any backend, failed connections summed}, pruned to the window. */
    private final TreeMap<Long, long[]> minutes = new TreeMap<>();
    /**
     * The largest used-ports figure of {@link #minutes}, or -1 when it must be looked for again (its last minute left
     * the window): most samples then read it without a walk over up to 60 buckets.
     */
    private long peakUsed = -1;
    /**
     * How many minutes of {@link #minutes} are known to hold {@link #peakUsed}: the peak is looked for again only
     * when the last of them leaves, not whenever one does. A steady busiest backend puts the same peak in every
     * minute, and a minute leaves the window with every new one.
     */
    private int peakMinutes;
    /** The newest minute and its bucket: most samples fall in it, and then nothing leaves the window. */
    private long newestMinute;
    private long[] newestBucket;

    DemandWindow(Duration length) {
        this.lengthMinutes = length.toMinutes();
    }

    /** One sample's used ports and failed connections, in the minute of {@code at}. */
    void record(Instant at, long used, long failed) {
        long minute = at.getEpochSecond() / 60;
        boolean newest = newestBucket != null && minute == newestMinute;
        long[] bucket = newest ? newestBucket : minutes.get(minute);
        long before = -1; // a new minute holds no figure yet
        if (bucket == null) {
            bucket = new long[2];
            minutes.put(minute, bucket);
        } else {
            before = bucket[0];
        }
        bucket[0] = Math.max(bucket[0], used);
        bucket[1] += failed;
        if (peakUsed >= 0) {
            notePeak(before, bucket[0]);
        }
        if (newest) {
            return; // the window ends where it ended: every older minute still in it stays
        }
        long oldest = minutes.lastKey() - lengthMinutes;
        while (!minutes.isEmpty() && minutes.firstKey() <= oldest) {
            if (minutes.pollFirstEntry().getValue()[0] >= peakUsed && --peakMinutes <= 0) {
                peakUsed = -1;
            }
        }
        Map.Entry<Long, long[]> last = minutes.lastEntry();
        newestMinute = last == null ? 0 : last.getKey();
        newestBucket = last == null ? null : last.getValue();
    }

    /**
     * What the window observed; {@code declared} (the profile's own figures) stands where it saw nothing, and for the
     * demand when no sample measured use per node ({@code perNodeUse} false: NAT gateway minutes carry failures only).
     */
    Observed observed(Observed declared, boolean perNodeUse) {
        if (minutes.isEmpty()) {
            return declared;
        }
        Integer demand = perNodeUse ? (Integer) (int) Math.min(peakUsed(), Integer.MAX_VALUE)
                : declared.peakUsedSnatPortsPerNode();
        return new Observed(demand, newestBucket[1], null);
    }

    /** A minute's used ports went from {@code before} (-1 for a new minute) to {@code after}, the peak known. */
    private void notePeak(long before, long after) {
        if (after > peakUsed) {
            peakUsed = after;
            peakMinutes = 1;
        } else if (after == peakUsed && before < after) {
            peakMinutes++;
        }
    }

    /** The minutes in the window, oldest first: {epoch minute, peak used, failed}. */
    List<long[]> minutes() {
        List<long[]> out = new ArrayList<>(minutes.size());
        minutes.forEach((minute, bucket) -> out.add(new long[] {minute, bucket[0], bucket[1]}));
        return out;
    }

    /** Takes back what {@link #minutes} gave, into an empty window; the peak is looked for again when asked. */
    void restore(List<long[]> restored) {
        restored.forEach(minute -> minutes.put(minute[0], new long[] {minute[1], minute[2]}));
        peakUsed = -1;
        peakMinutes = 0;
        Map.Entry<Long, long[]> last = minutes.lastEntry();
        newestMinute = last == null ? 0 : last.getKey();
        newestBucket = last == null ? null : last.getValue();
    }

    private long peakUsed() {
        if (peakUsed < 0) {
            peakUsed = 0;
            peakMinutes = 0;
            for (long[] bucket : minutes.values()) {
                if (bucket[0] > peakUsed) {
                    peakUsed = bucket[0];
                    peakMinutes = 1;
                } else if (bucket[0] == peakUsed) {
                    peakMinutes++;
                }
            }
        }
        return peakUsed;
    }
}
