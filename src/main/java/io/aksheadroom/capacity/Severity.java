package io.aksheadroom.capacity;

/** Finding and alert severity, ordered from least to most urgent. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
