package io.aksheadroom.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.aksheadroom.config.AzureCalls;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Fleet discovery: which subscriptions to list, how often, and how hard to try. Discovery is off while
 * {@link #subscriptions()} is empty. Identity, trust and the Resource Manager endpoint are every Azure client's
 * ({@code aks-headroom.azure.*}).
 */
@ConfigMapping(prefix = "aks-headroom.discovery")
public interface DiscoveryConfig {

    /** Subscription ids whose AKS clusters to watch, comma-separated; none turns discovery off. */
    Optional<List<String>> subscriptions();

    /** How often the fleet is listed; each listing reads every cluster and the network resources they use. */
    @WithDefault("5m")
    Duration interval();

    /**
     * How long an unchanged profile goes before it is published again. Readers judge how current a profile is by its
     * record's time: the actuator refuses one older than 15 minutes, so keep this below that, less the interval.
     */
    @WithDefault("8m")
    Duration republishAfter();

    /**
     * Successful listings of its subscription in a row a cluster must be absent from before its profile is deleted
     * (a tombstone): a cluster that ARM leaves out of one answer is not forgotten at once.
     */
    @WithDefault("2")
    int absentListingsBeforeRemoval();

    /**
     * Time per attempt and retries of each call to Azure Resource Manager; timeouts are not retried but left to the
     * next listing.
     */
    @WithParentName
    AzureCalls calls();

    /**
     * The longest Retry-After honoured by waiting inside a listing; a longer one ends that subscription's listing,
     * and the subscription is not listed again before it has passed. Other subscriptions go on.
     */
    @WithDefault("60s")
    Duration maxRetryAfter();

    /**
     * When Resource Manager says fewer reads than this remain for a subscription
     * ({@code x-ms-ratelimit-remaining-subscription-reads}), its listing stops reading there, keeps what it had,
     * and the next listing goes on: the reads are shared with everything else that reads the subscription.
     */
    @WithDefault("100")
    int minRemainingReads();

    /** Subscriptions listed at once; one slow subscription then delays no other. */
    @WithDefault("4")
    int parallelSubscriptions();

    /** How long to wait for the broker to acknowledge a listing's profiles; what is not acknowledged goes again. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** How long to wait for the Kafka broker when reading back, at start, the profiles the topic holds. */
    @WithDefault("30s")
    Duration resumeTimeout();
}
