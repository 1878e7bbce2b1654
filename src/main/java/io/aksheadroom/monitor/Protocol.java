package io.aksheadroom.monitor;

import java.util.Locale;

/** SNAT ports are allocated per protocol: TCP and UDP figures are never added together (SNAT-7). */
public enum Protocol {
    TCP, UDP;

    public static Protocol fromWire(String value) {
        // The names as every producer writes them first: no upper-casing and lookup for every SNAT sample.
        if ("TCP".equals(value)) {
            return TCP;
        }
        if ("UDP".equals(value)) {
            return UDP;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of TCP, UDP");
        }
    }
}
