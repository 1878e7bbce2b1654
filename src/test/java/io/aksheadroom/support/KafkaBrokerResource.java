package io.aksheadroom.support;

import io.aksheadroom.dev.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A broker of the test's own, on a free port, for {@code @QuarkusTest}s that talk to Kafka: the application under
 * test connects to it as to an external broker, so it does not start its embedded one. A test that declares a field
 * of type {@link EmbeddedKafkaBroker} gets this broker in it (to stop and restart it, say).
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.start(0);
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "aks-headroom.embedded-broker.enabled", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.MatchesType(EmbeddedKafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
