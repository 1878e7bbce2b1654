package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.InvalidInputException.require;

import java.util.List;

/**
 * {@code networkProfile.loadBalancerProfile}. Exactly one way of naming outbound IPs is used; when several
 * are present the managed count wins, as the AKS API treats them as alternatives.
 *
 * @param managedOutboundIpCount {@code managedOutboundIPs.count}, null when absent
 * @param outboundPublicIpCount the number of {@code outboundIPs.publicIPs}, null when absent
 * @param outboundPrefixLengths {@code prefixLength} of each {@code outboundIPPrefixes.publicIPPrefixes} entry
 * @param allocatedOutboundPorts 0 means Azure's default table (SNAT-4)
 * @param idleTimeoutInMinutes null when absent (30 for the load balancer)
 */
public record LoadBalancerProfile(
        Integer managedOutboundIpCount,
        Integer outboundPublicIpCount,
        List<Integer> outboundPrefixLengths,
        int allocatedOutboundPorts,
        Integer idleTimeoutInMinutes) {

    public static final int PORTS_PER_IP = 64_000;
    public static final int MAX_MANAGED_IPS = 100;
    public static final int DEFAULT_IDLE_TIMEOUT = 30;
    public static final int MIN_PREFIX_LENGTH = 1;
    public static final int MAX_PREFIX_LENGTH = 31;
    public static final LoadBalancerProfile AKS_DEFAULT = new LoadBalancerProfile(null, null, List.of(), 0, null);

    public LoadBalancerProfile {
        require(managedOutboundIpCount == null
                        || (managedOutboundIpCount >= 1 && managedOutboundIpCount <= MAX_MANAGED_IPS),
                "managedOutboundIPs.count", "must be within 1.." + MAX_MANAGED_IPS + ", got " + managedOutboundIpCount);
        require(outboundPublicIpCount == null || outboundPublicIpCount >= 0, "outboundIPs.publicIPs",
                "must not be negative");
        outboundPrefixLengths = outboundPrefixLengths == null ? List.of() : List.copyOf(outboundPrefixLengths);
        for (int i = 0; i < outboundPrefixLengths.size(); i++) {
            int length = outboundPrefixLengths.get(i);
            // Azure's own prefixes run /28../31, but prefixes derived from a custom (BYOIP) prefix can be larger;
            // a /32 is a single address, listed as a public IP instead.
            require(length >= MIN_PREFIX_LENGTH && length <= MAX_PREFIX_LENGTH,
                    "outboundIPPrefixes.publicIPPrefixes[" + i + "].prefixLength",
                    "must be within " + MIN_PREFIX_LENGTH + ".." + MAX_PREFIX_LENGTH + ", got " + length);
        }
        require(allocatedOutboundPorts >= 0 && allocatedOutboundPorts <= PORTS_PER_IP, "allocatedOutboundPorts",
                "must be within 0.." + PORTS_PER_IP + ", got " + allocatedOutboundPorts);
    }

    /** SNAT-1: the number of outbound frontend IPs; 1 when the profile names none (the AKS default). */
    public int outboundIps() {
        if (managedOutboundIpCount != null) {
            return managedOutboundIpCount;
        }
        if (outboundPublicIpCount != null && outboundPublicIpCount > 0) {
            return outboundPublicIpCount;
        }
        if (!outboundPrefixLengths.isEmpty()) {
            // Large derived prefixes hold billions of addresses: sum in long, and saturate rather than wrap.
            long addresses = outboundPrefixLengths.stream().mapToLong(length -> 1L << (32 - length)).sum();
            return (int) Math.min(addresses, Integer.MAX_VALUE);
        }
        return 1;
    }

    /** Whether the outbound IPs are the user's own: changing them to managed ones would change egress addresses. */
    public boolean usesOwnIps() {
        return managedOutboundIpCount == null
                && ((outboundPublicIpCount != null && outboundPublicIpCount > 0) || !outboundPrefixLengths.isEmpty());
    }

    public boolean usesOwnPrefixes() {
        return managedOutboundIpCount == null && (outboundPublicIpCount == null || outboundPublicIpCount == 0)
                && !outboundPrefixLengths.isEmpty();
    }

    public boolean manualAllocation() {
        return allocatedOutboundPorts > 0;
    }

    public int idleTimeoutOrDefault() {
        return idleTimeoutInMinutes != null ? idleTimeoutInMinutes : DEFAULT_IDLE_TIMEOUT;
    }
}
