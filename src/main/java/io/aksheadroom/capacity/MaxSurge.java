package io.aksheadroom.capacity;

/**
 * {@code upgradeSettings.maxSurge}: a node count or a percentage of the pool. Surge nodes join the load
 * balancer backend pool and the subnet during an upgrade, so every capacity check counts them.
 *
 * @param stated false when the profile leaves {@code maxSurge} out and the API's default is assumed: a pool created
 *        before that default changed may still surge by one node, so the plan says what it assumed (SURGE-1)
 */
public record MaxSurge(int value, boolean percent, boolean stated) {

    /** The managed-cluster API's default when {@code maxSurge} is absent: 10% of the pool. */
    public static final MaxSurge DEFAULT = new MaxSurge(10, true, false);

    public MaxSurge {
        InvalidInputException.require(value >= 0, "", "maxSurge must not be negative, got " + value);
        InvalidInputException.require(!percent || value <= 100, "", "maxSurge percentage above 100%: " + value);
    }

    /** A surge the profile states. */
    public MaxSurge(int value, boolean percent) {
        this(value, percent, true);
    }

    /**
     * Accepts what the API accepts, as az prints it: an integer {@code 1} or {@code "1"}, or an integer percentage
     * {@code "33%"} up to 100. Fractions, signs, words and spaces inside are refused, not rounded or guessed.
     */
    public static MaxSurge parse(String text) {
        String trimmed = text.trim();
        boolean isPercent = trimmed.endsWith("%");
        String digits = isPercent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException("", "'" + text + "' is neither a whole node count such as 1 nor a whole "
                    + "percentage such as 33%");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (isPercent) {
            InvalidInputException.require(significant.length() <= 3 && Integer.parseInt(significant) <= 100, "",
                    "'" + text + "' is above 100%");
            return new MaxSurge(Integer.parseInt(significant), true);
        }
        // A count beyond any pool surges the whole pool (surgeAt caps it), so a huge one saturates rather than fails.
        return new MaxSurge(significant.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(significant), false);
    }

    /**
     * {@code surgeAt(p, m)}: surge nodes while a pool of {@code nodes} nodes upgrades. A count is capped at the pool's
     * size (an upgrade never surges more nodes than it upgrades); a percentage rounds up; an empty pool surges none.
     */
    public int surgeAt(int nodes) {
        if (nodes <= 0) {
            return 0;
        }
        return percent ? (int) ((value * (long) nodes + 99) / 100) : Math.min(value, nodes);
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
