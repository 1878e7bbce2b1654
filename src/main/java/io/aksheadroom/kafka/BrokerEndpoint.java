package io.aksheadroom.kafka;

import io.aksheadroom.config.EmbeddedBrokerConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;

/**
 * Where this process's Kafka clients connect: the broker named by {@code kafka.bootstrap.servers}, or else the in-JVM
 * broker this bean starts before Reactive Messaging connects its channels, and stops after they are closed.
 */
@Singleton
public class BrokerEndpoint {

    /**
     * Quarkus starts the Reactive Messaging channels (and so the Kafka clients) from a {@code StartupEvent} observer
     * at {@link Interceptor.Priority#LIBRARY_BEFORE}; a broker started at a lower number is up before they connect.
     */
    static final int STARTUP_PRIORITY = Interceptor.Priority.LIBRARY_BEFORE - 100;

    /**
     * The Kafka connector closes its consumers and producers on {@code @BeforeDestroyed(ApplicationScoped.class)} at
     * priority 50; stopping the broker later lets them leave the group and flush instead of waiting out timeouts.
     */
    private static final int SHUTDOWN_PRIORITY = Interceptor.Priority.PLATFORM_AFTER;

    /**
     * Identifier of the configuration map every {@code smallrye-kafka} channel falls back to
     * ({@code mp.messaging.connector.smallrye-kafka.kafka-configuration}): it carries the embedded broker's address,
     * which is only known once the broker runs (the test profile picks a free port).
     */
    public static final String CHANNEL_DEFAULTS = "aks-headroom-kafka";

    /** What the connector uses when nothing names a broker. */
    private static final String CONNECTOR_DEFAULT = "localhost:9092";

    private static final Logger LOG = Logger.getLogger(BrokerEndpoint.class);

    private final EmbeddedBrokerConfig config;
    private final Optional<String> configured;
    private volatile EmbeddedKafkaBroker embedded;

    BrokerEndpoint(EmbeddedBrokerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> configured) {
        this.config = config;
        this.configured = configured;
    }

    void start(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (configured.isPresent() || !config.enabled()) {
            LOG.infof("Kafka clients connect to %s", bootstrapServers());
            return;
        }
        long started = System.nanoTime();
        embedded = EmbeddedKafkaBroker.start(config.port());
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

    /** The {@code bootstrap.servers} of this process's Kafka clients. */
    public String bootstrapServers() {
        EmbeddedKafkaBroker broker = embedded;
        return broker != null ? broker.bootstrapServers() : configured.orElse(CONNECTOR_DEFAULT);
    }

    // Looked up by name at channel start, not injected, so ArC would otherwise drop it as unused.
    @Produces
    @Dependent
    @Unremovable
    @Identifier(CHANNEL_DEFAULTS)
    Map<String, Object> channelDefaults() {
        EmbeddedKafkaBroker broker = embedded;
        return broker == null ? Map.of() : Map.of("bootstrap.servers", broker.bootstrapServers());
    }
}
