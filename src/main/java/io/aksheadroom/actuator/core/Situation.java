package io.aksheadroom.actuator.core;

import java.time.Instant;
import java.util.Objects;

import io.aksheadroom.capacity.ClusterProfile;

/**
 * Everything a decision rests on before Azure is read.
 *
 * @param profileAt when the profile was last published
 * @param lastSampleAt event time of the cluster's newest SNAT sample; null when none arrived
 * @param lastActionAt when the actuator last wrote to this cluster; null when never
 * @param now the decision's time
 */
public record Situation(Recommendation recommendation, ClusterProfile profile, Instant profileAt,
        Instant lastSampleAt, Instant lastActionAt, Instant now) {

    public Situation {
        Objects.requireNonNull(recommendation, "recommendation");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(profileAt, "profileAt");
        Objects.requireNonNull(now, "now");
        if (!recommendation.clusterId().equals(profile.clusterId())) {
            throw new IllegalArgumentException("the recommendation is for " + recommendation.clusterId()
                    + ", the profile for " + profile.clusterId());
        }
    }

    public String clusterId() {
        return recommendation.clusterId();
    }
}
