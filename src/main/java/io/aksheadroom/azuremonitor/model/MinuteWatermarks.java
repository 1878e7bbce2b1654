package io.aksheadroom.azuremonitor.model;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The newest minute already published per key, so that no minute is published twice: a sample is new only when it
 * is later than its key's mark. Not thread-safe; one poller owns it.
 *
 * @param <K> what a minute is counted per, for example cluster + backend + protocol
 */
public final class MinuteWatermarks<K> {

    private final Map<K, Instant> marks = new HashMap<>();

    /** Whether a sample of {@code key} at {@code at} has not been published yet. */
    public boolean isNew(K key, Instant at) {
        Instant mark = marks.get(key);
        return mark == null || at.isAfter(mark);
    }

    /** Records {@code at} as published for {@code key}; an older minute never moves a mark back. */
    public void advance(K key, Instant at) {
        marks.merge(key, at, (old, candidate) -> candidate.isAfter(old) ? candidate : old);
    }

    public Instant mark(K key) {
        return marks.get(key);
    }

    public int size() {
        return marks.size();
    }
}
