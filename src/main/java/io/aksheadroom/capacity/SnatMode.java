package io.aksheadroom.capacity;

import java.util.Locale;

/** How outbound ports are handed out: the load balancer's table, a fixed number, a NAT gateway, or not ours. */
public enum SnatMode {
    DEFAULT, MANUAL, NAT_GATEWAY, NOT_APPLICABLE;

    public String wireName() {
        return switch (this) {
            case DEFAULT -> "default";
            case MANUAL -> "manual";
            case NAT_GATEWAY -> "natGateway";
            case NOT_APPLICABLE -> "notApplicable";
        };
    }

    public static SnatMode fromWire(String value) {
        for (SnatMode mode : values()) {
            if (mode.wireName().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown SNAT mode " + value);
    }
}
