package io.aksheadroom.metrics;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.domain.Fleet;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /q/metrics}: every Micrometer meter of the service, then the fleet's series, as Prometheus text.
 *
 * <p>Served here rather than by Quarkus' Prometheus handler (moved to {@code /q/metrics/service}, where it still
 * serves the service's own meters alone): that handler can only render the fleet through the Prometheus client's
 * collector API and writer, which took about 0.4 s of a core per scrape of 1,000 clusters. Here the fleet is written
 * straight into one buffer and read one cluster at a time, so the pipeline is never held for the whole fleet.
 *
 * <p>{@code name[]=...} (repeatable, as in the Prometheus client libraries) restricts a scrape to those families; a
 * scrape for a pipeline counter then does not render the fleet at all. The format is always 0.0.4 text, which every
 * Prometheus reads; OpenMetrics would add nothing the service exports (no exemplars, no created timestamps).
 */
@ApplicationScoped
public class MetricsEndpoint {

    /** Where Prometheus scrapes the service. */
    public static final String PATH = "/q/metrics";
    static final String NAME_PARAMETER = "name[]";

    private final PrometheusMeterRegistry registry;
    private final FleetExposition fleet;
    /** The previous scrape's length: sizing the buffer from it saves copying 14 MB several times while it grows. */
    private volatile int lastLength = 1 << 16;

    public MetricsEndpoint(PrometheusMeterRegistry registry, Fleet fleet, MetricsConfig config) {
        this.registry = registry;
        this.fleet = new FleetExposition(fleet, config.topNodes());
    }

    void routes(@Observes Router router) {
        // A worker thread: rendering a large fleet takes tens of milliseconds, too long for the event loop.
        router.get(PATH).blockingHandler(this::scrape, false);
    }

    private void scrape(RoutingContext context) {
        List<String> names = context.queryParam(NAME_PARAMETER);
        String body = render(names.isEmpty() ? null : Set.copyOf(names));
        context.response().putHeader("Content-Type", TextFormat.CONTENT_TYPE_004)
                .end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The scrape's text: every family, or only those named in {@code included} when it is not null. */
    public String render(Set<String> included) {
        StringBuilder out = new StringBuilder(lastLength + lastLength / 8);
        try {
            registry.scrape(new Appender(out), TextFormat.CONTENT_TYPE_004, included);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        Predicate<String> fleetFamilies = included == null ? name -> true : included::contains;
        fleet.writeTo(out, fleetFamilies);
        lastLength = out.length();
        return out.toString();
    }

    /** A writer without the lock {@link java.io.StringWriter} takes on every write. */
    private static final class Appender extends Writer {
        private final StringBuilder out;

        Appender(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            out.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            out.append(text, offset, offset + length);
        }

        @Override
        public void write(int c) {
            out.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
