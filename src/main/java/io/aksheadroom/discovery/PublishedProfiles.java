package io.aksheadroom.discovery;

import java.time.Duration;
import java.util.Map;

/** Reads back what {@code aks.cluster-profiles} holds, so a restarted discovery publishes only what changed. */
public interface PublishedProfiles {

    /**
     * The latest value of every key, null for a tombstone.
     *
     * @throws RuntimeException when the broker cannot be read to the topic's end within {@code timeout}
     */
    Map<String, String> latest(Duration timeout);
}
