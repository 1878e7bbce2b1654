package io.aksheadroom.config;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where this process's Kafka clients connect: the broker named by {@code kafka.bootstrap.servers}, or else a broker
 * started inside this JVM for a laptop (the {@code dev} package), whose address is only known once it runs.
 */
@Singleton
public class KafkaAddress {

    /**
     * Quarkus starts the Reactive Messaging channels (and so the Kafka clients) from a {@code StartupEvent} observer
     * at {@link Interceptor.Priority#LIBRARY_BEFORE}; a broker started at this lower number is up before they connect.
     */
    public static final int EMBEDDED_BROKER_STARTUP = Interceptor.Priority.LIBRARY_BEFORE - 100;

    /** Startup observers that need a reachable broker but must run before the channels connect. */
    public static final int BROKER_READY_STARTUP = EMBEDDED_BROKER_STARTUP + 10;

    /**
     * Identifier of the configuration map every {@code smallrye-kafka} channel falls back to
     * ({@code mp.messaging.connector.smallrye-kafka.kafka-configuration}).
     */
    public static final String CHANNEL_DEFAULTS = "aks-headroom-kafka";

    /** What the connector uses when nothing names a broker. */
    private static final String CONNECTOR_DEFAULT = "localhost:9092";

    private final Optional<String> configured;
    private volatile String embedded;

    KafkaAddress(@ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> configured) {
        this.configured = configured;
    }

    /** Whether {@code kafka.bootstrap.servers} names a broker; then nothing may start one in the JVM. */
    public boolean isConfigured() {
        return configured.isPresent();
    }

    /** Points every client of this process at a broker running in this JVM, or at nothing again ({@code null}). */
    public void useEmbedded(String bootstrapServers) {
        this.embedded = bootstrapServers;
    }

    /** The {@code bootstrap.servers} of this process's Kafka clients. */
    public String bootstrapServers() {
        String inJvm = embedded;
        return inJvm != null ? inJvm : configured.orElse(CONNECTOR_DEFAULT);
    }

    // Looked up by name at channel start, not injected, so ArC would otherwise drop it as unused.
    @Produces
    @Dependent
    @Unremovable
    @Identifier(CHANNEL_DEFAULTS)
    Map<String, Object> channelDefaults() {
        String inJvm = embedded;
        return inJvm == null ? Map.of() : Map.of("bootstrap.servers", inJvm);
    }
}
