package io.aksheadroom.actuator.core;

/**
 * An agent pool as Azure Resource Manager returned it just now: what lowering its {@code maxCount} must respect, and
 * the ETag the write must carry.
 *
 * @param count the pool's node count now
 * @param minCount null when the pool does not autoscale
 * @param maxCount null when the pool does not autoscale
 */
public record LivePool(String name, String provisioningState, String etag, boolean autoscaling, int count,
        Integer minCount, Integer maxCount) {

    public boolean quiet() {
        return LiveCluster.SUCCEEDED.equalsIgnoreCase(provisioningState);
    }
}
