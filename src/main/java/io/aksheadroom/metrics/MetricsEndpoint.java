package io.aksheadroom.metrics;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.monitor.Fleet;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code GET /q/metrics}: every Micrometer meter of the service, then the fleet's series, as Prometheus text.
 *
 * <p>Served here rather than by Quarkus' Prometheus handler (moved to {@code /q/metrics/service}, where it still
 * serves the service's own meters alone): that handler can only render the fleet through the Prometheus client's
 * collector API and writer, which costs about 0.4 s of a core per scrape of 1,000 clusters. Here the fleet is written
 * straight into text, family by family, and read one cluster at a time, so the pipeline is never held for the whole
 * fleet.
 *
 * <p>{@code name[]=...} (repeatable, as in the Prometheus client libraries) restricts a scrape to those families; a
 * scrape for a pipeline counter then does not render the fleet at all. The format is always 0.0.4 text, which every
 * Prometheus reads; OpenMetrics would add nothing the service exports (no exemplars, no created timestamps). With
 * {@code aks-headroom.metrics.gzip-level} set, a scraper that accepts gzip gets the text compressed as it is rendered.
 */
@ApplicationScoped
public class MetricsEndpoint {

    /** Where Prometheus scrapes the service. */
    public static final String PATH = "/q/metrics";
    static final String NAME_PARAMETER = "name[]";

    private final PrometheusMeterRegistry registry;
    private final FleetExposition fleet;
    private final int gzipLevel;
    /** The previous scrape's length of Micrometer's meters: the buffer is sized from it instead of grown. */
    private volatile int metersLength = 1 << 16;

    public MetricsEndpoint(PrometheusMeterRegistry registry, Fleet<?> fleet, MetricsConfig config) {
        this.registry = registry;
        FleetGauges.register(registry, fleet);
        // Pooled direct memory: a scrape of 1,000 clusters is 14 MB of text, which on the heap would be promoted by the
        // young collections that run while it is written and bring on full collections.
        this.fleet = new FleetExposition(fleet, config.topNodes(), PooledByteBufAllocator.DEFAULT);
        if (config.gzipLevel() < 0 || config.gzipLevel() > 9) {
            throw new IllegalArgumentException("aks-headroom.metrics.gzip-level is 0 (off) or 1 to 9, got "
                    + config.gzipLevel());
        }
        this.gzipLevel = config.gzipLevel();
    }

    @PreDestroy
    void releaseKeptLines() {
        fleet.close();
    }

    void routes(@Observes Router router) {
        // A worker thread: rendering a large fleet takes tens of milliseconds, too long for the event loop.
        router.get(PATH).blockingHandler(this::scrape, false);
    }

    private void scrape(RoutingContext context) {
        List<String> names = context.queryParam(NAME_PARAMETER);
        Set<String> included = names.isEmpty() ? null : Set.copyOf(names);
        HttpServerResponse response = context.response().setChunked(true)
                .putHeader("Content-Type", TextFormat.CONTENT_TYPE_004).putHeader("Vary", "Accept-Encoding");
        // Family by family as each is rendered, and released once written: Vert.x never releases a buffer it is given.
        Consumer<ByteBuf> send = piece -> {
            try {
                response.write(Buffer.buffer(piece)).onComplete(written -> piece.release());
            } catch (RuntimeException closed) {
                piece.release();
                throw closed;
            }
        };
        if (gzipLevel > 0 && acceptsGzip(context.request().getHeader("Accept-Encoding"))) {
            response.putHeader("Content-Encoding", "gzip");
            try (GzipPieces gzip = new GzipPieces(gzipLevel, PooledByteBufAllocator.DEFAULT, send)) {
                write(included, gzip);
                gzip.finish();
            }
        } else {
            write(included, send);
        }
        response.end();
    }

    /**
     * Whether an {@code Accept-Encoding} header accepts gzip: named, or through {@code *} when gzip is not named, and
     * not refused with {@code q=0} (RFC 9110, 12.5.3).
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean gzip = null;
        Boolean any = null;
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim();
            boolean accepted = true;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].replace(" ", "").matches("(?i)q=0(\\.0{0,3})?")) {
                    accepted = false;
                }
            }
            if (name.equalsIgnoreCase("gzip")) {
                gzip = accepted;
            } else if (name.equals("*")) {
                any = accepted;
            }
        }
        return gzip != null ? gzip : any != null && any;
    }

    /**
     * The scrape, piece by piece as UTF-8: Micrometer's meters, then each fleet family; or only the families named
     * in {@code included} when it is not null. {@code pieces} owns each buffer it is handed and must release it.
     */
    public void write(Set<String> included, Consumer<ByteBuf> pieces) {
        StringBuilder meters = new StringBuilder(metersLength + metersLength / 8);
        try {
            registry.scrape(new Appender(meters), TextFormat.CONTENT_TYPE_004, included);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        metersLength = meters.length();
        pieces.accept(Unpooled.wrappedBuffer(meters.toString().getBytes(StandardCharsets.UTF_8)));
        fleet.writeTo(included == null ? name -> true : included::contains, pieces);
    }

    /** The whole scrape as one string, for tests and benchmarks that read it. */
    public String render(Set<String> included) {
        StringBuilder out = new StringBuilder();
        write(included, piece -> {
            try {
                out.append(piece.toString(StandardCharsets.UTF_8));
            } finally {
                piece.release();
            }
        });
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
