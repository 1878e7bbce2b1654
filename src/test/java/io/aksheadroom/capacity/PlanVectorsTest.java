package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.json.DomainJsonModule;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.PlanVectors;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every public vector, through the parser and the engine without HTTP in between. */
class PlanVectorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new DomainJsonModule());
    private final CapacityPlanner planner = new CapacityPlanner();

    @TestFactory
    Stream<DynamicTest> validProfilesMeetTheirExpectations() {
        return PlanVectors.valid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            Plan plan = planner.plan(ProfileJson.parse(vector.get("profile")));
            PlanVectors.check(vector, MAPPER.valueToTree(plan));
        }));
    }

    @TestFactory
    Stream<DynamicTest> impossibleProfilesAreRejectedWithTheirField() {
        return PlanVectors.invalid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            JsonNode profile = vector.get("profile");
            InvalidInputException error = assertThrows(InvalidInputException.class, () -> ProfileJson.parse(profile));
            assertEquals(PlanVectors.invalidField(vector), error.field(), error.getMessage());
        }));
    }
}
