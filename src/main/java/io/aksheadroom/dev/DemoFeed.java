package io.aksheadroom.dev;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Publishes {@link DemoStory} onto the input topics, like a real cluster's producers would. */
@ApplicationScoped
public class DemoFeed {

    private static final Logger LOG = Logger.getLogger(DemoFeed.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, String>> profiles;
    private final MutinyEmitter<Record<String, String>> nodeEvents;
    private final MutinyEmitter<Record<String, String>> samples;
    private final OutgoingRecords records;
    private final boolean enabled;
    private final Duration tick;
    private final Clock clock;
    private ScheduledExecutorService timer;
    private DemoStory story;
    private long ticks;

    public DemoFeed(@Channel(Channels.DEMO_CLUSTER_PROFILES) MutinyEmitter<Record<String, String>> profiles,
            @Channel(Channels.DEMO_NODE_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1000)
            MutinyEmitter<Record<String, String>> nodeEvents,
            @Channel(Channels.DEMO_LB_METRICS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
            MutinyEmitter<Record<String, String>> samples, OutgoingRecords records,
            DemoConfig config, EmbeddedBrokerConfig embedded,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers, Clock clock) {
        this.profiles = profiles;
        this.nodeEvents = nodeEvents;
        this.samples = samples;
        this.records = records;
        this.enabled = config.enabled().orElse(embedded.enabled() && bootstrapServers.isEmpty());
        this.tick = config.tick();
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        story = new DemoStory(clock.instant());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aks-headroom-demo");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::publishTick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Demo feed on: cluster %s scales 3 -> 60 nodes, one simulated minute every %d ms; "
                + "watch GET /api/v1/alerts", DemoStory.CLUSTER_ID, tick.toMillis());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void publishTick() {
        try {
            DemoStory.Tick next = story.tick(ticks++);
            if (next.profile() != null) {
                // Waits for the broker: the events of this tick must not overtake their cluster's profile.
                profiles.sendMessage(records.of(next.profile(), next.at())).await().atMost(SEND_TIMEOUT);
            }
            next.nodeEvents().forEach(event -> nodeEvents.sendMessageAndForget(records.of(event)));
            if (!next.samples().isEmpty()) {
                // As the metrics poller writes them: the minute's samples of the cluster's load balancer together.
                samples.sendMessageAndForget(records.of(new LoadBalancerMinute(DemoStory.CLUSTER_ID, next.at(), null,
                        next.samples())));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Demo tick %d not published: %s", ticks, e.toString());
        }
    }
}
