package io.aksheadroom.actuator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.support.ProfileBuilder;

/** {@code cap-max-count}: lowering an autoscaling pool's maxCount to its CAP-1 ceiling, under every guardrail. */
class CapMaxCountTest {

    static Actuator actuator(Mode mode, boolean capMaxCount, String... clusters) {
        return new Actuator(new Guardrails(mode, Set.of(clusters), 2, Duration.ofMinutes(30),
                Guardrails.MAX_INPUT_AGE, capMaxCount), new CapacityPlanner());
    }

    /** Pool "auto" autoscales 10..50 in the profile; the recommendation's ceiling for it is {@code ceiling}. */
    static Situation situation(Integer ceiling) {
        ClusterProfile profile = ProfileBuilder.cluster().armId(ActuatorTest.ARM_ID).autoscaledPool("auto", 10, 50, 30,
                "1").pool("fixed", 3, 30, "1").build();
        Map<String, Integer> ceilings = ceiling == null ? Map.of() : Map.of("auto", ceiling, "fixed", 1);
        return new Situation(new Recommendation("c1", null, null, ActuatorTest.NOW.minusSeconds(60), ceilings), profile,
                ActuatorTest.NOW.minusSeconds(60), ActuatorTest.NOW.minusSeconds(60), null, ActuatorTest.NOW);
    }

    static LivePool live(String state, int count, Integer min, Integer max) {
        return new LivePool("auto", state, "\"pool-etag\"", max != null, count, min, max);
    }

    @Test
    void onlyAutoscalingPoolsAboveACeilingOfAtLeastOneAreAskedAbout() {
        assertEquals(List.of("auto"), actuator(Mode.APPLY, true, "c1").poolsToCap(situation(40)));
        assertEquals(List.of(), actuator(Mode.APPLY, true, "c1").poolsToCap(situation(50)), "at the ceiling");
        assertEquals(List.of(), actuator(Mode.APPLY, true, "c1").poolsToCap(situation(0)), "a ceiling of 0 never");
        assertEquals(List.of(), actuator(Mode.APPLY, true, "c1").poolsToCap(situation(null)), "no ceiling");
        assertEquals(List.of(), actuator(Mode.APPLY, false, "c1").poolsToCap(situation(40)), "cap-max-count off");
        assertEquals(List.of(), actuator(Mode.OFF, true, "c1").poolsToCap(situation(40)), "mode off");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // mode, allowlisted, live state, count, min, max, ceiling -> outcome, reason, change to
                Arguments.of(Mode.APPLY, true, "Succeeded", 12, 10, 50, 40, Outcome.APPLIED, null, 40),
                Arguments.of(Mode.DRY_RUN, true, "Succeeded", 12, 10, 50, 40, Outcome.DRY_RUN, null, 40),
                Arguments.of(Mode.APPLY, false, "Succeeded", 12, 10, 50, 40, Outcome.REFUSED, "not-allowed", null),
                Arguments.of(Mode.APPLY, true, "Scaling", 12, 10, 50, 40, Outcome.REFUSED, "not-quiet", null),
                // Never below minCount: Azure refuses maxCount < minCount, and the autoscaler's floor is the owner's.
                Arguments.of(Mode.APPLY, true, "Succeeded", 12, 45, 50, 40, Outcome.REFUSED, "below-min-count", null),
                // Never below the nodes running: the autoscaler would have to remove some.
                Arguments.of(Mode.APPLY, true, "Succeeded", 44, 10, 50, 40, Outcome.REFUSED, "below-current-count",
                        null),
                Arguments.of(Mode.APPLY, true, "Succeeded", 40, 40, 50, 40, Outcome.APPLIED, null, 40),
                // Azure already has it at or under the ceiling (the profile was behind): nothing to lower, never raised.
                Arguments.of(Mode.APPLY, true, "Succeeded", 12, 10, 30, 40, Outcome.UP_TO_DATE, null, null),
                Arguments.of(Mode.APPLY, true, "Succeeded", 12, null, null, 40, Outcome.REFUSED, "profile-differs",
                        null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void capPool(Mode mode, boolean allowed, String state, int count, Integer min, Integer max, int ceiling,
            Outcome outcome, String reason, Integer to) {
        Actuator actuator = actuator(mode, true, allowed ? "c1" : "other");
        Decision decision = actuator.capPool(situation(ceiling), live(state, count, min, max));
        assertEquals(outcome, decision.outcome(), decision.toString());
        assertEquals(reason, decision.reason(), decision.toString());
        assertEquals("agentPool/auto", decision.target());
        assertEquals("auto", decision.agentPool());
        assertEquals(to == null ? List.of() : List.of(new Change(Change.POOL_MAX_COUNT, max, to)), decision.changes());
    }

    @Test
    void theInputGuardrailsHoldForPoolsToo() {
        Actuator actuator = actuator(Mode.APPLY, true, "c1");
        Situation fresh = situation(40);
        Situation staleSamples = new Situation(fresh.recommendation(), fresh.profile(), fresh.profileAt(),
                ActuatorTest.NOW.minus(Duration.ofMinutes(16)), null, ActuatorTest.NOW);
        assertEquals("stale-samples", actuator.capPool(staleSamples, live("Succeeded", 12, 10, 50)).reason());
        Situation inCooldown = new Situation(fresh.recommendation(), fresh.profile(), fresh.profileAt(),
                fresh.lastSampleAt(), ActuatorTest.NOW.minus(Duration.ofMinutes(10)), ActuatorTest.NOW);
        assertEquals("cooldown", actuator.capPool(inCooldown, live("Succeeded", 12, 10, 50)).reason());
    }
}
