package io.aksheadroom.capacity;

import static io.aksheadroom.support.Generators.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnatRulesTest {

    @ParameterizedTest(name = "{0} nodes, {1} IPs -> {2} ports")
    @CsvSource({
        "0, 1, 1024", "1, 1, 1024", "50, 1, 1024", "51, 1, 512", "100, 1, 512", "101, 1, 256", "200, 1, 256",
        "201, 1, 128", "400, 1, 128", "401, 1, 64", "800, 1, 64", "801, 1, 32", "1000, 1, 32",
        "51, 2, 1024", "101, 2, 512", "201, 3, 384", "801, 4, 128", "801, 100, 1024"})
    void defaultAllocationTable(int poolSize, int ips, int ports) {
        assertEquals(ports, SnatRules.defaultPortsPerNode(poolSize, ips));
    }

    @Test
    void defaultAllocationAboveAThousandNodesIsUnknownNotGuessed() {
        assertNull(SnatRules.defaultPortsPerNode(1001, 1));
    }

    @ParameterizedTest(name = "{0} IPs at {1} ports -> {2} nodes")
    @CsvSource({"1, 2400, 26", "7, 4000, 112", "1, 21000, 3", "1, 1500, 42", "1, 64000, 1", "100, 8, 800000"})
    void maxNodesIsTheFloor(int ips, int ports, int nodes) {
        assertEquals(nodes, SnatRules.maxNodes(ips, ports));
    }

    @ParameterizedTest
    @CsvSource({"1, 4, 16000", "1, 56, 1136", "7, 102, 4392", "1, 100000, 0", "2, 3, 42664"})
    void largestValidPortsIsAMultipleOfEightThatFits(int ips, int nodes, int ports) {
        assertEquals(ports, SnatRules.largestValidPorts(ips, nodes));
    }

    @ParameterizedTest
    @CsvSource({"700, 0, 1056", ", 0, 1024", ", 1500, 1504", ", 4000, 4000", "100, 0, 1024", "60000, 0, 64000"})
    void recommendedPorts(Integer demand, int allocated, int recommended) {
        assertEquals(recommended, SnatRules.recommendedPorts(demand, allocated, PlanSettings.DEFAULTS));
    }

    /** The pool sizes where the default allocation table (SNAT-4) changes step, up to its 1,000-node end. */
    private static final int[] TABLE_STEPS = {50, 100, 200, 400, 800, SnatRules.LARGEST_DOCUMENTED_POOL};

    @Test
    void manualMaxNodesIsExactlyTheLastNodeThatFits() {
        qt().withExamples(1000).forAll(ints(1, 100), ints(1, 8000, 128, 1000)).checkAssert((ips, eighths) -> {
            int ports = eighths * 8;
            long maxNodes = SnatRules.maxNodes(ips, ports);
            long capacity = (long) ips * 64_000;
            assertTrue(maxNodes * ports <= capacity);
            assertTrue(capacity < (maxNodes + 1) * ports);
        });
    }

    @Test
    void aRecommendationAlwaysFitsItsOwnPlannedNodes() {
        qt().withExamples(1000).forAll(ints(0, 5000, TABLE_STEPS), ints(0, 70_000, 683, 1024, 42_667, 64_000))
                .checkAssert((nodes, demand) -> {
                    int ports = SnatRules.recommendedPorts(demand, 0, PlanSettings.DEFAULTS);
                    int ips = SnatRules.recommendedOutboundIps(nodes, ports);
                    assertEquals(0, ports % 8);
                    assertTrue(ports <= 64_000 && ports >= 1024);
                    assertTrue(ips >= 1);
                    assertTrue(!SnatRules.overCommitted(nodes, ports, ips), "N* IPs hold N_plan x P*");
                    assertTrue(ips == 1 || SnatRules.overCommitted(nodes, ports, ips - 1), "N* is the fewest that fit");
                });
    }

    @Test
    void largestValidPortsNeverOvercommits() {
        qt().withExamples(1000).forAll(ints(1, 100), ints(1, 100_000, TABLE_STEPS)).checkAssert((ips, nodes) -> {
            int ports = SnatRules.largestValidPorts(ips, nodes);
            assertEquals(0, ports % 8);
            assertTrue(!SnatRules.overCommitted(nodes, ports, ips));
            assertTrue(ports + 8 > 64_000 || SnatRules.overCommitted(nodes, ports + 8, ips));
        });
    }
}
