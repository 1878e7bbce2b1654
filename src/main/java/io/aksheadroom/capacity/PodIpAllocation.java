package io.aksheadroom.capacity;

/** {@code podIpAllocationMode} of a pool with a pod subnet (IP-8). */
public enum PodIpAllocation {
    DYNAMIC_INDIVIDUAL("DynamicIndividual"), STATIC_BLOCK("StaticBlock");

    private final String wireName;

    PodIpAllocation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static PodIpAllocation fromWire(String value) {
        for (PodIpAllocation mode : values()) {
            if (mode.wireName.equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of DynamicIndividual, StaticBlock");
    }
}
