package io.aksheadroom.azuremonitor;

import io.aksheadroom.azuremonitor.model.AzureResourceId;
import io.aksheadroom.azuremonitor.model.MinuteWatermarks;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The newest minute published per SNAT key and per NAT gateway. A minute counts as published only once the broker
 * acknowledged it, so none goes out twice and none is skipped after a failed send.
 */
final class MinuteMarks {

    /** A minute is counted per cluster, backend and protocol. */
    record SnatKey(String clusterId, String backendIp, Protocol protocol) {
        static SnatKey of(SnatSample s) {
            return new SnatKey(s.clusterId(), s.backendIp(), s.protocol());
        }
    }

    /** A NAT gateway minute is counted per cluster and gateway. */
    record NatKey(String clusterId, String resource) {
        static NatKey of(NatGatewaySample s) {
            return new NatKey(s.clusterId(), AzureResourceId.key(s.resourceId()));
        }
    }

    private final MinuteWatermarks<SnatKey> snat = new MinuteWatermarks<>();
    private final MinuteWatermarks<NatKey> natGateway = new MinuteWatermarks<>();

    boolean isNew(SnatSample sample) {
        return snat.isNew(SnatKey.of(sample), sample.at());
    }

    boolean isNew(NatGatewaySample sample) {
        return natGateway.isNew(NatKey.of(sample), sample.at());
    }

    /** Marks these minutes as published, as a restart does with what it reads back. */
    void published(List<SnatSample> snatSamples, List<NatGatewaySample> natGatewaySamples) {
        snatSamples.forEach(s -> snat.advance(SnatKey.of(s), s.at()));
        natGatewaySamples.forEach(s -> natGateway.advance(NatKey.of(s), s.at()));
    }

    /**
     * Publishes load balancers' new minutes, in order; returns how many of their samples the broker acknowledged. A
     * record is acknowledged whole or not at all, so each of its samples counts as published or not with it.
     */
    int publishMinutes(List<LoadBalancerMinute> minutes, Function<List<LoadBalancerMinute>, List<Boolean>> publish,
            PollTally tally) {
        List<SnatSample> samples = minutes.stream().flatMap(minute -> minute.samples().stream()).toList();
        return publishInOrder(samples, SnatKey::of, SnatSample::at, snat::advance, all -> {
            List<Boolean> acked = publish.apply(minutes);
            List<Boolean> perSample = new ArrayList<>(all.size());
            for (int i = 0; i < minutes.size(); i++) {
                perSample.addAll(Collections.nCopies(minutes.get(i).samples().size(), acked.get(i)));
            }
            return perSample;
        }, tally);
    }

    /** Publishes new NAT gateway minutes; returns how many the broker acknowledged. */
    int publishNatGateway(List<NatGatewaySample> samples, Function<List<NatGatewaySample>, List<Boolean>> publish,
            PollTally tally) {
        return publishInOrder(samples, NatKey::of, NatGatewaySample::at, natGateway::advance, publish, tally);
    }

    /**
     * Publishes and advances each key's mark over what the broker acknowledged. A key whose send failed keeps its
     * mark below that minute, so the next poll sends it again instead of skipping it.
     */
    private static <S, K> int publishInOrder(List<S> samples, Function<S, K> key, Function<S, Instant> at,
            BiConsumer<K, Instant> advance, Function<List<S>, List<Boolean>> publish, PollTally tally) {
        if (samples.isEmpty()) {
            return 0;
        }
        List<Boolean> acked = publish.apply(samples);
        Set<K> failedKeys = new HashSet<>();
        int published = 0;
        for (int i = 0; i < samples.size(); i++) {
            S sample = samples.get(i);
            K k = key.apply(sample);
            if (Boolean.TRUE.equals(acked.get(i)) && !failedKeys.contains(k)) {
                advance.accept(k, at.apply(sample));
                published++;
            } else {
                failedKeys.add(k);
                tally.unacknowledged++;
            }
        }
        return published;
    }
}
