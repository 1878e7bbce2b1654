package io.aksheadroom.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** promtool on the alerting rules: they load, and their unit tests pass (each alert firing and not firing). */
class PromtoolIT {

    private final String promtool = PrometheusBinaries.require("promtool").toString();

    @Test
    void theRulesPassPromtoolsCheck() {
        PrometheusBinaries.Result check = PrometheusBinaries.run(60, promtool, "check", "rules",
                AlertRules.FILE.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + AlertRules.all().size() + " rules found"), check.output());
    }

    @Test
    void theRulesPassTheirUnitTests() {
        PrometheusBinaries.Result test = PrometheusBinaries.run(60, promtool, "test", "rules",
                AlertRules.UNIT_TESTS.toString());
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }
}
