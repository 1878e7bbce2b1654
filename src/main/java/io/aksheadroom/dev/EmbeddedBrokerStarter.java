package io.aksheadroom.dev;

import io.aksheadroom.config.KafkaAddress;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

/**
 * Starts Kafka's own broker inside the JVM when no broker is configured, before Reactive Messaging connects its
 * channels, and stops it after they are closed: {@code java -jar} alone then gives a working service on a laptop.
 */
@Singleton
public class EmbeddedBrokerStarter {

    /**
     * The Kafka connector closes its consumers and producers on {@code @BeforeDestroyed(ApplicationScoped.class)} at
     * priority 50; stopping the broker later lets them leave the group and flush instead of waiting out timeouts.
     */
    private static final int SHUTDOWN_PRIORITY = Interceptor.Priority.PLATFORM_AFTER;

    private static final Logger LOG = Logger.getLogger(EmbeddedBrokerStarter.class);

    private final EmbeddedBrokerConfig config;
    private final KafkaAddress address;
    private volatile EmbeddedKafkaBroker embedded;

    EmbeddedBrokerStarter(EmbeddedBrokerConfig config, KafkaAddress address) {
        this.config = config;
        this.address = address;
    }

    void start(@Observes @Priority(KafkaAddress.EMBEDDED_BROKER_STARTUP) StartupEvent event) {
        if (address.isConfigured() || !config.enabled()) {
            LOG.infof("Kafka clients connect to %s", address.bootstrapServers());
            return;
        }
        long started = System.nanoTime();
        embedded = EmbeddedKafkaBroker.start(config.port());
        address.useEmbedded(embedded.bootstrapServers());
        LOG.infof("Embedded Kafka broker listening on %s, started in %d ms, data in %s (temporary);"
                + " set KAFKA_BOOTSTRAP_SERVERS to use a real broker", embedded.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, embedded.logDir());
    }

    void stop(@Observes @Priority(SHUTDOWN_PRIORITY) @BeforeDestroyed(ApplicationScoped.class) Object event) {
        EmbeddedKafkaBroker broker = embedded;
        if (broker != null) {
            embedded = null;
            broker.close();
            LOG.info("Embedded Kafka broker stopped and its data deleted");
        }
    }
}
