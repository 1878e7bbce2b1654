package io.aksheadroom.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link SoakWorkload} at a fixed rate on its own thread (paced by the clock, never by acknowledgements) and
 * probes the service while it runs: the fleet's gauges and the consumer group's lag at every probe, retained heap and
 * the clusters of a full scrape at every heap probe. {@link #drain} stops the sending, waits for the service to catch
 * up and for held events to expire, and takes the last point.
 */
public final class SoakRun implements AutoCloseable {

    /** One probe of the running service; heap and scrape figures are -1 on probes that did not take them. */
    public record Point(double minute, String load, long sent, double consumed, double clusters, double alerts,
            double held, double deadLettered, long lag, long heapBytes, long scrapeClusters, long clusterSeries,
            int stale) {
    }

    private final SoakWorkload workload;
    private final SoakProbe probe;
    private final int rate;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicReference<Throwable> crashed = new AtomicReference<>();
    private final List<Point> points = new ArrayList<>();
    private final Object lock = new Object();
    private Thread sender;
    private long startNanos;
    private long stoppedNanos;
    private SoakProbe.Heap lastHeap;

    public SoakRun(SoakWorkload workload, SoakProbe probe, String bootstrap, int rate) {
        this.workload = workload;
        this.probe = probe;
        this.rate = rate;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.ACKS_CONFIG, "all"));
    }

    /** Starts sending at {@code rate} records/s. */
    public void start() {
        startNanos = System.nanoTime();
        sender = new Thread(this::send, "soak-sender");
        sender.setDaemon(true);
        sender.start();
    }

    private void send() {
        try {
            for (long i = 0; sending.get(); i++) {
                long due = startNanos + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else if (wait < -5_000_000L) {
                    late.incrementAndGet();
                }
                SoakWorkload.Out out;
                synchronized (lock) {
                    out = workload.next(System.currentTimeMillis());
                }
                if (out == null) {
                    continue;
                }
                producer.send(new ProducerRecord<>(out.topic(), out.key(), out.value()), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crashed.set(e);
        }
    }

    public double minutes() {
        return (System.nanoTime() - startNanos) / 60e9;
    }

    /** The fleet's gauges and the lag; with {@code heap}, also retained heap and a full scrape. */
    public Point probe(boolean heap, Duration tombstoneAge) {
        if (crashed.get() != null) {
            throw new IllegalStateException("the sender stopped", crashed.get());
        }
        double minute = minutes();
        String load = PipelineHarness.loadAverage();
        long lag = probe.groupLag();
        Map<String, Double> gauges = probe.gauges();
        long heapBytes = -1;
        long scrapeClusters = -1;
        long series = -1;
        int stale = -1;
        if (heap) {
            lastHeap = probe.retainedHeap();
            heapBytes = lastHeap.bytes();
            long scrapedAt = System.currentTimeMillis();
            SoakProbe.Scrape scrape = probe.scrape();
            scrapeClusters = scrape.clusters().size();
            series = scrape.series();
            stale = 0;
            synchronized (lock) {
                for (Map.Entry<String, Long> tombstone : workload.tombstoned().entrySet()) {
                    if (tombstone.getValue() <= scrapedAt - tombstoneAge.toMillis()
                            && scrape.clusters().contains(tombstone.getKey())) {
                        stale++;
                    }
                }
            }
        }
        Point point = new Point(minute, load, sent.get(), gauges.get(SoakProbe.CONSUMED),
                gauges.get(SoakProbe.CLUSTERS), gauges.get(SoakProbe.ALERTS), gauges.get(SoakProbe.HELD),
                gauges.get(SoakProbe.DEAD_LETTERED), lag, heapBytes, scrapeClusters, series, stale);
        points.add(point);
        return point;
    }

    /**
     * Stops sending, waits until the service has consumed every record sent and committed past them, then for the
     * held events to expire ({@code grace} after the last send), and takes the last point with heap and scrape: by
     * then every tombstone has been processed, so {@code stale} counts every forgotten cluster with a series left.
     */
    public Point drain(Duration timeout, Duration grace) throws InterruptedException {
        // Stopped by the flag, not interrupted: the records handed to the producer are flushed before it ends.
        sending.set(false);
        sender.join(TimeUnit.SECONDS.toMillis(30));
        stoppedNanos = System.nanoTime();
        if (crashed.get() != null) {
            throw new IllegalStateException("the sender stopped", crashed.get());
        }
        long total = sent.get() - failed.get();
        try {
            Awaitility.await("the service caught up with " + total + " records and its held events expired")
                    .atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                        Map<String, Double> gauges = probe.gauges();
                        return gauges.get(SoakProbe.CONSUMED) >= total && probe.groupLag() == 0
                                && System.nanoTime() - stoppedNanos > grace.toNanos()
                                && gauges.get(SoakProbe.HELD) == 0;
                    });
        } catch (ConditionTimeoutException notCaughtUp) {
            // The last point then shows how far it got: lag, held events and consumed records say what is missing.
        }
        return probe(true, Duration.ZERO);
    }

    public List<Point> points() {
        return points;
    }

    public long sent() {
        return sent.get();
    }

    public long failedSends() {
        return failed.get();
    }

    public long lateSends() {
        return late.get();
    }

    /** Records sent per second of sending. */
    public double achievedRate() {
        return sent.get() / ((stoppedNanos - startNanos) / 1e9);
    }

    public SoakProbe.Heap lastHeap() {
        return lastHeap;
    }

    public SoakWorkload workload() {
        return workload;
    }

    @Override
    public void close() {
        sending.set(false);
        producer.close(Duration.ofSeconds(10));
    }
}
