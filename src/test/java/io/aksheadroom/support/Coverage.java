package io.aksheadroom.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what a property's examples turned out to be, and asserts that each kind that must be compared often was:
 * a generator that has degenerated (every record refused, say) passes every assertion and proves nothing.
 *
 * <p>It also holds the run's seed, so that its own failure can be replayed like a falsified property: QuickTheories
 * reads {@value #SEED_PROPERTY} when the test does not fix the seed, and a test that counts fixes it to this one.
 */
public final class Coverage {

    /** The system property QuickTheories takes its seed from: {@code -DQT_SEED=<seed>} replays a run. */
    public static final String SEED_PROPERTY = "QT_SEED";

    private final long seed;
    private final Map<String, Integer> counts = new TreeMap<>();
    private int total;

    private Coverage(long seed) {
        this.seed = seed;
    }

    /** A count for one run, seeded from {@value #SEED_PROPERTY} when set (a replay), else afresh. */
    public static Coverage ofOneRun() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return new Coverage(fixed == null ? System.nanoTime() : Long.parseLong(fixed));
    }

    public long seed() {
        return seed;
    }

    /** Counts one example of kind {@code kind}; returns the kind, for use inside an expression. */
    public <K> K count(K kind) {
        counts.merge(String.valueOf(kind), 1, Integer::sum);
        total++;
        return kind;
    }

    /** How many examples were of kind {@code kind}. */
    public int seen(Object kind) {
        return counts.getOrDefault(String.valueOf(kind), 0);
    }

    /** Asserts that more than {@code percent} of the examples were of kind {@code kind}; returns this for chaining. */
    public Coverage assertShareAbove(Object kind, double percent) {
        double share = total == 0 ? 0 : 100.0 * seen(kind) / total;
        assertTrue(share > percent, () -> String.format("%s in %.1f%% of %d examples, wanted more than %s%%: %s "
                + "(replay with -D%s=%d)", kind, share, total, percent, counts, SEED_PROPERTY, seed));
        return this;
    }

    /** Asserts that at least one example was of kind {@code kind}; returns this for chaining. */
    public Coverage assertSeen(Object kind) {
        assertTrue(seen(kind) > 0, () -> String.format("no example was %s among %d: %s (replay with -D%s=%d)", kind,
                total, counts, SEED_PROPERTY, seed));
        return this;
    }

    @Override
    public String toString() {
        return total + " examples " + counts + ", seed " + seed;
    }
}
