package io.aksheadroom.azuremonitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.aksheadroom.config.Channels;
import io.aksheadroom.json.OutgoingRecords;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes the poller's samples onto their topics, key = clusterId, and says which ones the broker acknowledged: a
 * minute counts as published only then, so a failed send is tried again by the next poll rather than lost.
 */
@ApplicationScoped
public class SamplePublisher {

    // A poll of many large clusters emits tens of thousands of records at once, more than the default buffer of
    // 256; the poll itself bounds the burst, and it waits for the acknowledgements before the next one.
    // MutinyEmitter, as every outgoing channel is injected (Quarkus refuses two emitter types on one channel).
    @Inject
    @Channel(Channels.LB_METRICS_PUBLISH)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<Record<String, String>> lbMetrics;

    @Inject
    @Channel(Channels.NATGW_METRICS_PUBLISH)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<Record<String, String>> natgwMetrics;

    @Inject
    OutgoingRecords records;

    /** @return for each minute, in order, whether the broker acknowledged it within {@code timeout} */
    public List<Boolean> publishMinutes(List<LoadBalancerMinute> minutes, Duration timeout) {
        return publish(lbMetrics, minutes, records::of, timeout);
    }

    /** @return for each sample, in order, whether the broker acknowledged it within {@code timeout} */
    public List<Boolean> publishNatGateway(List<NatGatewaySample> samples, Duration timeout) {
        return publish(natgwMetrics, samples, records::of, timeout);
    }

    private static <T> List<Boolean> publish(MutinyEmitter<Record<String, String>> emitter, List<T> samples,
            Function<T, Message<Record<String, String>>> record, Duration timeout) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(samples.size());
        for (T sample : samples) {
            // The Uni completes when the broker acknowledged the record, fails when it refused it.
            acks.add(emitter.sendMessage(record.apply(sample)).subscribeAsCompletionStage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Boolean> acknowledged = new ArrayList<>(acks.size());
        for (CompletableFuture<Void> ack : acks) {
            acknowledged.add(await(ack, deadline));
        }
        return acknowledged;
    }

    private static boolean await(CompletableFuture<Void> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
