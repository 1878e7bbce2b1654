package io.aksheadroom.metrics;

import io.aksheadroom.monitor.Fleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The fleet's {@link FleetSeries} as Prometheus text, from the fleet's own state at each scrape. Each cluster's lines
 * are kept between scrapes ({@link RenderedClusters}) and rendered again only when its snapshot changed; a cluster the
 * fleet forgets (a tombstone, a partition moving to another instance) has no series at the next scrape, and its lines
 * are dropped then. A scrape that names only some of the families renders them without the cache.
 *
 * <p>Clusters are read one at a time ({@link Fleet#forEachView}): each cluster's series come from one consistent
 * snapshot, and the pipeline waits for one cluster's copy at most, never for the whole fleet's.
 */
public final class FleetExposition {

    /** Where copying a cluster's lines of a family costs about what one more slice in the write does. */
    static final int COPIED_BELOW = 1024;

    private final Fleet<?> fleet;
    private final int topNodes;
    private final ByteBufAllocator allocator;
    /** Bytes of each family at the previous scrape: a buffer of megabytes grown by doubling is copied again and again. */
    private final Map<FleetSeries.Metric, Integer> lastLengths = new ConcurrentHashMap<>();
    /** Null when uncached. Guarded by itself: one scrape at a time updates it and reads its buffers. */
    private final RenderedClusters rendered;
    /** Each family's HELP and TYPE lines. */
    private final Map<FleetSeries.Metric, byte[]> headers = new IdentityHashMap<>();
    /** A cluster's lines of a family shorter than this are copied, longer ones handed out as slices. */
    private final int copiedBelow;

    public FleetExposition(Fleet<?> fleet, int topNodes) {
        this(fleet, topNodes, UnpooledByteBufAllocator.DEFAULT);
    }

    /** {@code allocator}: where the text is written; the endpoint passes pooled direct memory, off the heap. */
    public FleetExposition(Fleet<?> fleet, int topNodes, ByteBufAllocator allocator) {
        this(fleet, topNodes, allocator, true, COPIED_BELOW);
    }

    /**
     * {@code copiedBelow}: a cluster's lines of a family shorter than this many bytes are copied into the family's
     * text, longer ones handed out as slices of the kept lines. A slice is one more piece of a gathering write (an I/O
     * vector), which costs more than copying a line or two: most families have one or two lines per cluster, the
     * per-node ones tens.
     */
    FleetExposition(Fleet<?> fleet, int topNodes, ByteBufAllocator allocator, int copiedBelow) {
        this(fleet, topNodes, allocator, true, copiedBelow);
    }

    private FleetExposition(Fleet<?> fleet, int topNodes, ByteBufAllocator allocator, boolean cached,
            int copiedBelow) {
        if (topNodes < 0) {
            throw new IllegalArgumentException("aks-headroom.metrics.top-nodes must not be negative, got " + topNodes);
        }
        this.fleet = fleet;
        this.topNodes = topNodes;
        this.allocator = allocator;
        this.rendered = cached ? new RenderedClusters(topNodes, allocator) : null;
        this.copiedBelow = copiedBelow;
    }

    /** Renders every cluster at every scrape: what the cached exposition must equal byte for byte, and its baseline. */
    public static FleetExposition uncached(Fleet<?> fleet, int topNodes, ByteBufAllocator allocator) {
        return new FleetExposition(fleet, topNodes, allocator, false, 0);
    }

    /**
     * Gives back the lines kept between scrapes. The pooled direct memory they hold is not the garbage collector's to
     * free: an exposition dropped without this (an application restarted in the same JVM, as tests do) would leave it
     * taken. A scrape after it renders every cluster again.
     */
    public void close() {
        if (rendered != null) {
            synchronized (rendered) {
                rendered.clear();
            }
        }
    }

    /**
     * Appends the families {@code included} accepts, each with its HELP and TYPE lines and all its series together
     * (the format requires a family's lines to be one group); families without series are left out.
     */
    public void writeTo(StringBuilder out, Predicate<String> included) {
        writeTo(included, family -> {
            try {
                out.append(family.toString(StandardCharsets.UTF_8));
            } finally {
                family.release();
            }
        });
    }

    /**
     * Hands each family accepted by {@code included} to {@code families} as one buffer of UTF-8 text, which the
     * consumer then owns and must release; families without series are left out.
     */
    public void writeTo(Predicate<String> included, Consumer<ByteBuf> families) {
        if (rendered != null && FleetSeries.METRICS.stream().allMatch(metric -> included.test(metric.name()))) {
            handOver(fromCache(), families);
        } else {
            render(included, families);
        }
    }

    /** Clusters whose lines are kept (for tests: the cache follows the fleet). */
    int cachedClusters() {
        synchronized (rendered) {
            return rendered.size();
        }
    }

    /** Clusters rendered into the cache so far, over all scrapes. */
    long clustersRendered() {
        synchronized (rendered) {
            return rendered.renders();
        }
    }

    /** Bytes of the lines kept. */
    long cachedBytes() {
        synchronized (rendered) {
            return rendered.bytes();
        }
    }

    /** Bytes of kept lines the cache let go of (replaced or dropped), over all scrapes. */
    long releasedBytes() {
        synchronized (rendered) {
            return rendered.releasedBytes();
        }
    }

    /**
     * Every family with series, each made of its HELP and TYPE lines and then its lines of every cluster in the
     * fleet's order, as the uncached render writes them. A family is a composite: the HELP and TYPE lines and the
     * clusters' short groups of lines copied into one buffer of the scrape's own, and the long groups as slices of
     * the kept buffers, each holding its own reference. A buffer the cache replaces or drops while a response still
     * holds a slice of it stays alive until that response releases it.
     */
    private List<ByteBuf> fromCache() {
        List<ByteBuf> texts = new ArrayList<>(FleetSeries.METRICS.size());
        boolean done = false;
        try {
            synchronized (rendered) {
                List<RenderedClusters.Rendered> clusters = rendered.update(fleet);
                for (int f = 0; f < FleetSeries.METRICS.size(); f++) {
                    int slices = 0;
                    int copied = 0;
                    for (RenderedClusters.Rendered cluster : clusters) {
                        int length = cluster.length(f);
                        if (length > 0 && length >= copiedBelow) {
                            slices++;
                        } else {
                            copied += length;
                        }
                    }
                    if (slices == 0 && copied == 0) {
                        continue;
                    }
                    // Room for every part: past its maximum a composite consolidates, copying what it holds.
                    CompositeByteBuf text = allocator.compositeBuffer(2 * slices + 1);
                    texts.add(text);
                    byte[] header = header(FleetSeries.METRICS.get(f));
                    ByteBuf copy = allocator.buffer(header.length + copied);
                    try {
                        copy.writeBytes(header);
                        int run = 0;
                        for (RenderedClusters.Rendered cluster : clusters) {
                            int length = cluster.length(f);
                            if (length == 0) {
                                continue;
                            }
                            if (length < copiedBelow) {
                                copy.writeBytes(cluster.text(), cluster.start(f), length);
                            } else {
                                if (copy.writerIndex() > run) {
                                    text.addComponent(true, copy.retainedSlice(run, copy.writerIndex() - run));
                                    run = copy.writerIndex();
                                }
                                text.addComponent(true, cluster.text().retainedSlice(cluster.start(f), length));
                            }
                        }
                        if (copy.writerIndex() > run) {
                            text.addComponent(true, copy.retainedSlice(run, copy.writerIndex() - run));
                        }
                    } finally {
                        copy.release();
                    }
                }
            }
            done = true;
            return texts;
        } finally {
            if (!done) {
                texts.forEach(ByteBuf::release);
            }
        }
    }

    private byte[] header(FleetSeries.Metric metric) {
        return headers.computeIfAbsent(metric, m -> {
            ByteBuf text = Unpooled.buffer();
            PrometheusText.gaugeHeader(text, m.name(), m.help());
            return ByteBufUtil.getBytes(text);
        });
    }

    /** Hands each buffer over in turn; those not handed over when the consumer fails are released. */
    private static void handOver(List<ByteBuf> texts, Consumer<ByteBuf> families) {
        int handed = 0;
        try {
            for (ByteBuf text : texts) {
                handed++;
                families.accept(text);
            }
        } finally {
            texts.subList(handed, texts.size()).forEach(ByteBuf::release);
        }
    }

    private void render(Predicate<String> included, Consumer<ByteBuf> families) {
        Map<FleetSeries.Metric, ByteBuf> texts = new IdentityHashMap<>();
        Map<FleetSeries.Metric, Integer> headerLengths = new IdentityHashMap<>();
        Map<FleetSeries.Metric, PrometheusText.Line> lines = new IdentityHashMap<>();
        Set<ByteBuf> unclaimed = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (FleetSeries.Metric metric : FleetSeries.METRICS) {
                if (included.test(metric.name())) {
                    ByteBuf text = allocator.buffer(lastLengths.getOrDefault(metric, 256));
                    unclaimed.add(text);
                    PrometheusText.gaugeHeader(text, metric.name(), metric.help());
                    texts.put(metric, text);
                    headerLengths.put(metric, text.readableBytes());
                    lines.put(metric, new PrometheusText.Line(metric.name(), metric.labelNames()));
                }
            }
            if (texts.isEmpty()) {
                return;
            }
            FleetSeries.Sink render = (metric, labels, value) -> {
                ByteBuf text = texts.get(metric);
                if (text != null) {
                    lines.get(metric).write(text, labels, value);
                }
            };
            fleet.forEachView(view -> FleetSeries.write(view, topNodes, render));
            for (FleetSeries.Metric metric : FleetSeries.METRICS) {
                ByteBuf text = texts.get(metric);
                if (text != null && text.readableBytes() > headerLengths.get(metric)) {
                    lastLengths.put(metric, text.readableBytes() + text.readableBytes() / 8);
                    unclaimed.remove(text);
                    families.accept(text);
                }
            }
        } finally {
            // Families left out, and every buffer if rendering failed half way: pooled memory is not collected.
            unclaimed.forEach(ByteBuf::release);
        }
    }
}
