package io.aksheadroom.kubernetes;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class NodeWatcherStartTest {

    @Test
    void enablingTheWatcherWithoutAClusterIdFailsStartupNamingTheProperty() {
        NodeWatcherConfig config = new NodeWatcherConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<String> clusterId() {
                return Optional.of(" ");
            }

            @Override
            public Duration inventoryInterval() {
                return Duration.ofMinutes(5);
            }
        };
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new NodeWatcher(config, null, null, null, null, null).start(null));
        assertTrue(error.getMessage().contains("aks-headroom.node-watcher.cluster-id"), error.getMessage());
    }
}
