package io.aksheadroom.dev;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Kafka broker the service starts inside its own JVM when no broker is configured, so that
 * {@code java -jar} alone gives a working service. Setting {@code kafka.bootstrap.servers} (env
 * {@code KAFKA_BOOTSTRAP_SERVERS}) turns it off whatever these say.
 */
@ConfigMapping(prefix = "aks-headroom.embedded-broker")
public interface EmbeddedBrokerConfig {

    /** Whether to start the in-JVM broker when {@code kafka.bootstrap.servers} is not set. */
    @WithDefault("true")
    boolean enabled();

    /** Port of the in-JVM broker's client listener on localhost; 0 picks a free one (the test profile does). */
    @WithDefault("9092")
    int port();
}
