package io.aksheadroom.capacity;

import java.util.List;

/**
 * IP-4 for one subnet: {@code used + free = usable}; the plan fits when {@code required <= usable}.
 *
 * @param id the subnet id as {@code subnets} lists it
 * @param pools names of the pools that take addresses from it
 * @param consumers addresses other resources hold (IP-3)
 */
public record SubnetFigures(
        String id,
        String cidr,
        long usable,
        long used,
        long free,
        long required,
        boolean fits,
        List<String> pools,
        long consumers) {

    public SubnetFigures {
        pools = List.copyOf(pools);
    }

    /** Share of usable addresses still free now, 0..1 (0 for a full or overdrawn subnet). */
    public double freeShare() {
        return usable <= 0 ? 0 : Math.max(0, (double) free / usable);
    }
}
