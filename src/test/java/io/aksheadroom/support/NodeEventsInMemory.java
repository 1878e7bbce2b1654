package io.aksheadroom.support;

import io.aksheadroom.config.Channels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import java.util.Map;

/**
 * Sends what the node watcher produces to SmallRye's in-memory connector instead of Kafka, for tests whose subject
 * is the watcher (what it emits and when), not Kafka.
 */
public class NodeEventsInMemory implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return InMemoryConnector.switchOutgoingChannelsToInMemory(Channels.NODE_EVENTS_PUBLISH);
    }

    @Override
    public void stop() {
        // The switch is made with system properties: undo it, or the next application of this JVM inherits it.
        InMemoryConnector.clear();
    }
}
