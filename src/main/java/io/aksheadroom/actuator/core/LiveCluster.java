package io.aksheadroom.actuator.core;

import java.util.Objects;

import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.OutboundType;

/**
 * The managed cluster as Azure Resource Manager returned it just now: what a write would change, and the ETag it
 * must carry.
 */
public record LiveCluster(String provisioningState, String etag, OutboundType outboundType,
        LoadBalancerProfile loadBalancer, NatGatewayProfile natGateway) {

    public static final String SUCCEEDED = "Succeeded";

    public LiveCluster {
        Objects.requireNonNull(outboundType, "outboundType");
        loadBalancer = loadBalancer == null ? LoadBalancerProfile.AKS_DEFAULT : loadBalancer;
        natGateway = natGateway == null ? NatGatewayProfile.AKS_DEFAULT : natGateway;
    }

    public boolean quiet() {
        return SUCCEEDED.equalsIgnoreCase(provisioningState);
    }
}
