package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public plan vectors (copied from shared/vectors, format in vectors/README.md) and the one checker that both the
 * plain engine test and the HTTP test apply, so the two cannot drift apart.
 */
public final class PlanVectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AKS_SUBNET = "subnets[\"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
            + "net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks\"]";
    /**
     * The field each impossible vector's 400 must name. The vectors say why a profile is impossible, not where: a
     * 400 naming another field would send the user to fix the wrong line, so each is pinned here.
     */
    private static final Map<String, String> INVALID_FIELDS = Map.of(
            "v2-prefix-length-32",
            "networkProfile.loadBalancerProfile.outboundIPPrefixes.publicIPPrefixes[0].prefixLength",
            "v2-surge-fraction", "agentPoolProfiles[0].upgradeSettings.maxSurge",
            "malformed-cidr", AKS_SUBNET,
            "host-bits-set", AKS_SUBNET,
            "subnet-smaller-than-29", AKS_SUBNET,
            "negative-count", "agentPoolProfiles[0].count");

    /**
     * The rules the spec calls critical whatever their figures: the ones Azure refuses (SNAT-2, SNAT-6, IP-11, NET-5)
     * or that run out at the planned size (SNAT-12, IP-4, IP-6, IP-7), and NET-1 to NET-4, which state what a network
     * plan must be ("must not overlap", "lies inside") and so read as critical too.
     */
    public static final Set<String> CRITICAL_RULES = Set.of("SNAT-2", "SNAT-6", "SNAT-12", "IP-4", "IP-6", "IP-7",
            "IP-11", "NET-1", "NET-2", "NET-3", "NET-4", "NET-5");

    private PlanVectors() {
    }

    public static List<JsonNode> all() {
        try (InputStream in = PlanVectors.class.getResourceAsStream("/vectors/plan.json")) {
            Objects.requireNonNull(in, "vectors/plan.json on the test class path");
            List<JsonNode> cases = new ArrayList<>();
            MAPPER.readTree(in).forEach(cases::add);
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vector called {@code name}, valid or not. */
    public static JsonNode named(String name) {
        return all().stream().filter(v -> v.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vector " + name));
    }

    public static List<JsonNode> valid() {
        return all().stream().filter(c -> !c.has("expectStatus")).toList();
    }

    public static List<JsonNode> invalid() {
        return all().stream().filter(c -> c.has("expectStatus")).toList();
    }

    /** Whether the vector expects a finding of a rule in {@link #CRITICAL_RULES}. */
    public static boolean expectsCritical(JsonNode vector) {
        for (JsonNode rule : vector.get("expect").get("findingsInclude")) {
            if (CRITICAL_RULES.contains(rule.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The field the 400 for an impossible {@code vector} must name; a vector not tabled here fails the test. */
    public static String invalidField(JsonNode vector) {
        String name = vector.get("name").asText();
        String field = INVALID_FIELDS.get(name);
        assertNotNull(field, "impossible vector " + name + " has no expected field in PlanVectors.INVALID_FIELDS");
        return field;
    }

    /** Asserts that {@code answer} (the plan as JSON) meets the vector's {@code expect}. */
    public static void check(JsonNode vector, JsonNode answer) {
        String name = vector.get("name").asText();
        JsonNode expect = vector.get("expect");
        assertEquals(expect.get("plannedNodes").asInt(), answer.path("plannedNodes").asInt(), name + " plannedNodes");
        assertEquals(expect.get("currentNodes").asInt(), answer.path("currentNodes").asInt(), name + " currentNodes");
        for (Iterator<String> it = expect.get("snat").fieldNames(); it.hasNext();) {
            String field = it.next();
            JsonNode want = expect.get("snat").get(field);
            JsonNode got = answer.path("snat").path(field);
            if (want.isNull()) {
                assertTrue(got.isMissingNode() || got.isNull(), name + " snat." + field + " should be null, was " + got);
            } else {
                assertEquals(want.asText(), got.asText(), name + " snat." + field);
            }
        }
        for (JsonNode wantSubnet : expect.get("subnets")) {
            JsonNode gotSubnet = find(answer.path("subnets"), "id", wantSubnet.get("id").asText(), name);
            for (String field : List.of("usable", "used", "free", "required", "fits")) {
                assertEquals(wantSubnet.get(field).asText(), gotSubnet.path(field).asText(),
                        name + " subnet " + field);
            }
        }
        for (JsonNode wantPool : expect.get("pools")) {
            JsonNode gotPool = find(answer.path("pools"), "name", wantPool.get("name").asText(), name);
            for (String field : List.of("perNodeIps", "additionalNodes", "maxCountCeiling")) {
                JsonNode want = wantPool.get(field);
                JsonNode got = gotPool.path(field);
                assertNotNull(want, name + " names no pool " + field);
                if (want.isNull()) {
                    assertTrue(got.isMissingNode() || got.isNull(), name + " pool " + field + " should be null, was "
                            + got);
                } else {
                    assertEquals(want.asText(), got.asText(), name + " pool " + field);
                }
            }
        }
        List<String> rules = new ArrayList<>();
        answer.path("findings").forEach(f -> rules.add(f.path("rule").asText()));
        expect.get("findingsInclude").forEach(r -> assertTrue(rules.contains(r.asText()),
                name + " should include finding " + r.asText() + ", has " + rules));
        expect.get("findingsExclude").forEach(r -> assertTrue(!rules.contains(r.asText()),
                name + " should not include finding " + r.asText() + ", has " + rules));
    }

    private static JsonNode find(JsonNode array, String key, String value, String name) {
        assertNotNull(array, name);
        for (JsonNode item : array) {
            if (value.equals(item.path(key).asText())) {
                return item;
            }
        }
        return fail(name + ": no entry with " + key + " = " + value + " in " + array);
    }
}
