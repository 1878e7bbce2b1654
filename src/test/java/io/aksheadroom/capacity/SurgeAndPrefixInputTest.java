package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.WireJson;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code maxSurge} and outbound prefix lengths accept, and the 400 that names the field for the rest. */
class SurgeAndPrefixInputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SURGE_FIELD = "agentPoolProfiles[0].upgradeSettings.maxSurge";

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {"0 | 0", "1 | 1", "007 | 7", "0% | 0%", "33% | 33%", "100% | 100%",
        "0100% | 100%", "99999999999 | 2147483647"})
    void acceptsWholeCountsAndWholePercentages(String text, String parsed) {
        MaxSurge surge = MaxSurge.parse(text);
        assertEquals(parsed, surge.toString());
        assertTrue(surge.stated());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"5.5", "1.0", "-1", "+1", "one", "101%", "1000%", "1.5%", "-5%", "%", "33 %", "1e2",
        "10%%", "0x10", "½", "１"})
    void refusesEverythingElse(String text) {
        assertThrows(InvalidInputException.class, () -> MaxSurge.parse(text));
        JsonNode profile = withSurge(MAPPER.getNodeFactory().textNode(text));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> ProfileJson.parse(profile));
        assertEquals(SURGE_FIELD, error.field(), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.5", "-1", "1e2", "true", "{}", "[1]"})
    void refusesJsonValuesThatAreNotAWholeCount(String json) throws Exception {
        JsonNode profile = withSurge(MAPPER.readTree(json));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> ProfileJson.parse(profile));
        assertEquals(SURGE_FIELD, error.field(), error.getMessage());
    }

    @Test
    void aJsonIntegerIsACount() {
        ClusterProfile profile = ProfileJson.parse(withSurge(MAPPER.getNodeFactory().numberNode(2)));
        assertEquals(new MaxSurge(2, false), profile.pools().get(0).maxSurge());
    }

    @Test
    void anAbsentSurgeIsTheDefaultAndStaysAbsentOnTheWire() {
        ObjectNode profile = base();
        ((ObjectNode) profile.get("agentPoolProfiles").get(0)).remove("upgradeSettings");
        ClusterProfile parsed = ProfileJson.parse(profile);
        assertEquals(MaxSurge.DEFAULT, parsed.pools().get(0).maxSurge());
        assertFalse(parsed.pools().get(0).maxSurge().stated());
        assertTrue(WireJson.tree(parsed).get("agentPoolProfiles").get(0).path("upgradeSettings").isMissingNode(),
                "written back, it is still absent, so a re-read plan still says it assumed 10%");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"null", "\"\"", "\"  \""})
    void anUnsetSurgeAsTheApiPrintsItIsAbsent(String json) throws Exception {
        MaxSurge surge = ProfileJson.parse(withSurge(MAPPER.readTree(json))).pools().get(0).maxSurge();
        assertEquals(MaxSurge.DEFAULT, surge);
    }

    @ParameterizedTest(name = "{0} nodes at {1} -> {2}")
    @CsvSource({"0, 5, 0", "3, 5, 3", "5, 5, 5", "6, 5, 5", "10, 0, 0", "1, 10%, 1", "10, 10%, 1", "11, 10%, 2",
        "40, 10%, 4", "3, 33%, 1", "7, 100%, 7", "7, 0%, 0"})
    void surgeAt(int nodes, String surge, int expected) {
        assertEquals(expected, MaxSurge.parse(surge).surgeAt(nodes));
    }

    @Test
    void theDefaultIsTenPercentAssumed() {
        assertEquals(4, MaxSurge.DEFAULT.surgeAt(40));
        assertFalse(MaxSurge.DEFAULT.stated());
        assertFalse(MaxSurge.DEFAULT.equals(MaxSurge.parse("10%")), "a stated 10% raises no SURGE-1");
    }

    @ParameterizedTest(name = "/{0} as the second prefix")
    @ValueSource(ints = {0, 32, 33, -1})
    void everyListedPrefixLengthIsWithinOneToThirtyOne(int length) {
        ObjectNode profile = withPrefixes(List.of(28, length));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> ProfileJson.parse(profile));
        assertEquals("networkProfile.loadBalancerProfile.outboundIPPrefixes.publicIPPrefixes[1].prefixLength",
                error.field(), error.getMessage());
    }

    @Test
    void largeDerivedPrefixesCountTheirAddressesWithoutOverflow() {
        ClusterProfile profile = ProfileJson.parse(withPrefixes(List.of(1, 1, 31)));
        assertEquals(Integer.MAX_VALUE, profile.loadBalancer().outboundIps(), "2^31 + 2^31 + 2 saturates");
        assertEquals(16_777_216, ProfileJson.parse(withPrefixes(List.of(8))).loadBalancer().outboundIps());
        Plan plan = new CapacityPlanner().plan(ProfileJson.parse(withPrefixes(List.of(8))));
        assertTrue(plan.snat().maxNodes() > 0, "no wrap-around: " + plan.snat());
    }

    private static ObjectNode base() {
        return PlanVectors.valid().get(0).get("profile").deepCopy();
    }

    private static ObjectNode withSurge(JsonNode surge) {
        ObjectNode profile = base();
        ((ObjectNode) profile.get("agentPoolProfiles").get(0)).putObject("upgradeSettings").set("maxSurge", surge);
        return profile;
    }

    private static ObjectNode withPrefixes(List<Integer> lengths) {
        ObjectNode profile = base();
        ObjectNode lb = profile.with("networkProfile").putObject("loadBalancerProfile");
        lb.put("allocatedOutboundPorts", 1024);
        ArrayNode prefixes = lb.putObject("outboundIPPrefixes").putArray("publicIPPrefixes");
        for (int i = 0; i < lengths.size(); i++) {
            prefixes.addObject().put("id", "prefix-" + i).put("prefixLength", lengths.get(i));
        }
        return profile;
    }
}
