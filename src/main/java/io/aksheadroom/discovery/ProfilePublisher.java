package io.aksheadroom.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.aksheadroom.config.Channels;
import io.aksheadroom.discovery.DiscoveryLedger.Change;
import io.aksheadroom.discovery.DiscoveryLedger.Publish;
import io.aksheadroom.json.DataSchema;
import io.aksheadroom.json.OutgoingRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes discovered profiles and tombstones onto {@code aks.cluster-profiles}, key = clusterId, and says which ones
 * the broker acknowledged: only those count as held by the topic.
 */
@ApplicationScoped
public class ProfilePublisher {

    @Inject
    @Channel(Channels.DISCOVERED_PROFILES)
    MutinyEmitter<Record<String, String>> profiles;

    @Inject
    OutgoingRecords records;

    /** @return for each change, in order, whether the broker acknowledged it within {@code timeout} */
    List<Boolean> publish(List<Change> changes, Instant at, Duration timeout) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(changes.size());
        for (Change change : changes) {
            Message<Record<String, String>> record = change instanceof Publish publish
                    ? records.of(publish.profile(), at)
                    : records.of(DataSchema.CLUSTER_PROFILE, change.clusterId(), null,
                            change.clusterId() + "/tombstone/" + at, change.clusterId(), at);
            acks.add(profiles.sendMessage(record).subscribeAsCompletionStage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Boolean> acknowledged = new ArrayList<>(acks.size());
        for (CompletableFuture<Void> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(true);
            } catch (TimeoutException | ExecutionException e) {
                acknowledged.add(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acknowledged.add(false);
            }
        }
        return acknowledged;
    }
}
