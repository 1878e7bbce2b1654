package io.aksheadroom.capacity;

import static io.aksheadroom.capacity.InvalidInputException.require;

/**
 * {@code networkProfile.natGatewayProfile}.
 *
 * @param managedOutboundIpCount {@code managedOutboundIPProfile.count}, null when absent (1)
 * @param idleTimeoutInMinutes null when absent (4 for NAT gateway)
 */
public record NatGatewayProfile(Integer managedOutboundIpCount, Integer idleTimeoutInMinutes) {

    public static final int PORTS_PER_IP = 64_512;
    public static final int MAX_IPS = 16;
    public static final int DEFAULT_IDLE_TIMEOUT = 4;
    public static final NatGatewayProfile AKS_DEFAULT = new NatGatewayProfile(null, null);

    public NatGatewayProfile {
        require(managedOutboundIpCount == null || (managedOutboundIpCount >= 1 && managedOutboundIpCount <= MAX_IPS),
                "managedOutboundIPProfile.count", "must be within 1.." + MAX_IPS + ", got " + managedOutboundIpCount);
    }

    public int outboundIps() {
        return managedOutboundIpCount != null ? managedOutboundIpCount : 1;
    }

    public int idleTimeoutOrDefault() {
        return idleTimeoutInMinutes != null ? idleTimeoutInMinutes : DEFAULT_IDLE_TIMEOUT;
    }
}
