package io.aksheadroom.monitor;

/** Alertmanager's two states of an alert episode. */
public enum AlertStatus {
    FIRING, RESOLVED;

    public String wireName() {
        return this == FIRING ? "firing" : "resolved";
    }

    public static AlertStatus fromWire(String value) {
        return switch (value) {
            case "firing" -> FIRING;
            case "resolved" -> RESOLVED;
            default -> throw new IllegalArgumentException("'" + value + "' is not one of firing, resolved");
        };
    }
}
