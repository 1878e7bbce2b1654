package io.aksheadroom.monitor;

import static io.aksheadroom.capacity.InvalidInputException.require;

import io.aksheadroom.capacity.InvalidInputException;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        Set<String> subjects = new HashSet<>();
        for (int i = 0; i < samples.size(); i++) {
            SnatSample sample = samples.get(i);
            String field = "samples[" + i + "]";
            if (!sample.clusterId().equals(clusterId) || !sample.at().equals(at)) {
                throw new InvalidInputException(field, "a sample of another cluster or minute");
            }
            String subject = ClusterMonitor.subjectOf(sample.backendIp(), sample.protocol());
            if (!subjects.add(subject)) {
                throw new InvalidInputException(field, "backend " + subject + " appears twice in one minute");
            }
        }
    }

    @Override
    public Outcome applyTo(ClusterMonitor monitor) {
        return monitor.applyMinute(this);
    }
}
