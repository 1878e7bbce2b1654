package io.aksheadroom.monitor;

import static io.aksheadroom.capacity.InvalidInputException.require;

import io.aksheadroom.capacity.InvalidInputException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One minute of one load balancer: the SNAT samples of its backends together, as the metrics poller gets them. The
 * {@code aks.lb-metrics} record in the form the poller writes; the one-sample-per-record form ({@link SnatSample})
 * stays accepted. Applied as one event, so the plan is looked at once per minute, not once per backend.
 *
 * @param loadBalancer the load balancer's resource id, when its producer says; null otherwise
 * @param samples each backend and protocol at most once, every one of this cluster and this minute
 */
public record LoadBalancerMinute(String clusterId, Instant at, String loadBalancer, List<SnatSample> samples)
        implements ClusterEvent {

    public LoadBalancerMinute {
        require(clusterId != null && !clusterId.isBlank(), "clusterId", "required");
        require(at != null, "at", "required");
        require(loadBalancer == null || !loadBalancer.isBlank(), "loadBalancer", "must not be blank");
        require(samples != null, "samples", "required");
        samples = List.copyOf(samples);
        // Each backend IP's protocols seen, as bits of their ordinals: no subject string per sample.
        Map<String, Integer> protocolsByIp = new HashMap<>(samples.size() * 4 / 3 + 1);
        for (int i = 0; i < samples.size(); i++) {
            SnatSample sample = samples.get(i);
            if (!sample.clusterId().equals(clusterId) || !sample.at().equals(at)) {
                throw new InvalidInputException("samples[" + i + "]", "a sample of another cluster or minute");
            }
            int bit = 1 << sample.protocol().ordinal();
            Integer seen = protocolsByIp.put(sample.backendIp(), bit);
            if (seen != null) {
                if ((seen & bit) != 0) {
                    throw new InvalidInputException("samples[" + i + "]", "backend "
                            + ClusterMonitor.subjectOf(sample.backendIp(), sample.protocol())
                            + " appears twice in one minute");
                }
                protocolsByIp.put(sample.backendIp(), seen | bit);
            }
        }
    }

    @Override
    public Outcome applyTo(ClusterMonitor monitor) {
        return monitor.applyMinute(this);
    }
}
