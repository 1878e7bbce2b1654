package io.aksheadroom.capacity;

/**
 * {@code upgradeSettings.maxSurge}: a node count or a percentage of the pool. Surge nodes join the load
 * balancer backend pool and the subnet during an upgrade, so every capacity check counts them.
 */
public record MaxSurge(int value, boolean percent) {

    /** The API's documented default when {@code maxSurge} is absent: one node. */
    public static final MaxSurge DEFAULT = new MaxSurge(1, false);

    public MaxSurge {
        InvalidInputException.require(value >= 0, "", "maxSurge must not be negative, got " + value);
        InvalidInputException.require(!percent || value <= 100, "", "maxSurge percentage above 100%: " + value);
    }

    /** Accepts {@code 1}, {@code "1"} and {@code "33%"} as az prints them. */
    public static MaxSurge parse(String text) {
        String trimmed = text.trim();
        boolean isPercent = trimmed.endsWith("%");
        String digits = isPercent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException("", "'" + text + "' is neither a node count nor a percentage such as 33%");
        }
        return new MaxSurge(Integer.parseInt(digits), isPercent);
    }

    /** {@code surgeAt(p, m)}: surge nodes while a pool of {@code nodes} nodes upgrades; none for an empty pool. */
    public int surgeAt(int nodes) {
        if (nodes <= 0) {
            return 0;
        }
        return percent ? (int) ((value * (long) nodes + 99) / 100) : value;
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
