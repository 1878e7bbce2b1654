package io.aksheadroom.dev;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The demo feed that replays a scale-out story so a newcomer sees alerts fire and resolve. */
@ConfigMapping(prefix = "aks-headroom.demo")
public interface DemoConfig {

    /** Whether to run the demo feed; when unset, it runs exactly when the embedded broker does. */
    Optional<Boolean> enabled();

    /** Wall-clock time per simulated minute of the story. */
    @WithDefault("0.5s")
    Duration tick();
}
