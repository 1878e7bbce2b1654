package io.aksheadroom.json;

import static io.aksheadroom.support.Generators.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;
import io.aksheadroom.support.WireJson;
import io.aksheadroom.support.PlanVectors;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Fuzzing of the profile parser and CIDR handling, the two places hostile input meets first (on the API and on
 * {@code aks.cluster-profiles}): whatever arrives, the only failure is an {@link InvalidInputException} naming a field
 * (a 400, a dead letter), and whatever is accepted plans without an exception (never a 500, never a poisoned stream).
 */
class ProfileJsonFuzzTest {

    private static final String ACCEPTED = "accepted and planned";
    private static final String REFUSED = "refused naming a field";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final CapacityPlanner PLANNER = new CapacityPlanner();
    /** Every field name the parser reads, so random trees reach deep into it rather than being ignored. */
    private static final List<String> FIELDS = List.of("clusterId", "name", "resourceGroup", "networkProfile",
            "networkPlugin", "networkPluginMode", "podCidr", "podCidrs", "serviceCidr", "serviceCidrs", "dnsServiceIP",
            "outboundType", "loadBalancerProfile", "managedOutboundIPs", "count", "outboundIPs", "publicIPs",
            "outboundIPPrefixes", "publicIPPrefixes", "prefixLength", "allocatedOutboundPorts", "idleTimeoutInMinutes",
            "natGatewayProfile", "managedOutboundIPProfile", "agentPoolProfiles", "maxPods", "enableAutoScaling",
            "minCount", "maxCount", "upgradeSettings", "maxSurge", "vnetSubnetID", "podSubnetID",
            "podIpAllocationMode", "subnets", "default", "vnetAddressSpace", "subnetConsumers", "observed",
            "peakUsedSnatPortsPerNode", "failedSnatConnections", "podsPerNode", "allocatedSnatPortsPerNode",
            "peakUtilization");
    /** Numbers at and past every boundary a field could have. */
    private static final List<JsonNode> EDGE_NUMBERS = List.of(NODES.numberNode(0), NODES.numberNode(-1),
            NODES.numberNode(1), NODES.numberNode(8), NODES.numberNode(29), NODES.numberNode(32), NODES.numberNode(33),
            NODES.numberNode(250), NODES.numberNode(251), NODES.numberNode(1000), NODES.numberNode(5000),
            NODES.numberNode(64_000), NODES.numberNode(64_001), NODES.numberNode(Integer.MAX_VALUE),
            NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE),
            NODES.numberNode(BigInteger.TEN.pow(40)), NODES.numberNode(new BigDecimal("1e400")),
            NODES.numberNode(Double.NaN), NODES.numberNode(Double.POSITIVE_INFINITY),
            NODES.numberNode(Double.NEGATIVE_INFINITY), NODES.numberNode(-0.0), NODES.numberNode(0.5),
            NODES.numberNode(1e15), NODES.numberNode(1e300), NODES.numberNode(Double.MIN_VALUE));
    private static final List<String> EDGE_STRINGS = List.of("", " ", "0", "-1", "33%", "101%", "-5%", "%", "1e3",
            "999999999999", "azure", "kubenet", "none", "overlay", "Overlay", "loadBalancer", "natGateway",
            "managedNATGateway", "userAssignedNATGateway", "userDefinedRouting", "StaticBlock", "DynamicIndividual",
            "default", "true", "FALSE", "10.0.0.10", "10.0.0.0/16", "10.240.0.0/12", "0.0.0.0/0", "255.255.255.255/32",
            "10.0.0.1/16", "10.0.0.0/33", "10.0.0.0", "/16", "::1/128", "１０.0.0.0/8", "10.0.0.0/16\n", "010.0.0.0/8",
            "naïve-名前-🚀", "\u0000", "\u202e", "x".repeat(5_000));

    /** Parsing and planning are cheap, but a failure shrinks by reparsing: bounded so it reports in seconds. */
    private static final int SHRINK_CYCLES = 5_000;

    // ---- arbitrary JSON trees ----

    @Test
    void arbitraryTreesFailOnlyWithAFieldAndAcceptedOnesPlan() {
        outcomesOf("arbitrary trees", trees());
    }

    @Test
    void mutatedValidProfilesFailOnlyWithAFieldAndAcceptedOnesPlan() {
        // Both outcomes must occur, or the generator has degenerated and the property proves nothing.
        outcomesOf("mutated valid profiles", mutants()).assertSeen(ACCEPTED).assertSeen(REFUSED);
    }

    /** Parses and plans 2,000 documents of {@code documents}, and prints how they ended (RELIABILITY.md's figures). */
    private static Coverage outcomesOf(String what, Gen<JsonNode> documents) {
        Coverage outcomes = Coverage.ofOneRun();
        qt().withFixedSeed(outcomes.seed()).withExamples(2_000).withShrinkCycles(SHRINK_CYCLES).forAll(documents)
                .checkAssert(json -> outcomes.count(parseAndPlan(json)));
        System.out.println("ProfileJsonFuzzTest " + what + ": " + outcomes);
        return outcomes;
    }

    /** An accepted profile written back by the parser's own writer reads as the same profile. */
    @Test
    void acceptedProfilesSurviveTheirOwnWireForm() {
        qt().withExamples(500).withShrinkCycles(SHRINK_CYCLES).forAll(mutants()).checkAssert(mutant -> {
            ClusterProfile profile;
            try {
                profile = ProfileJson.parse(mutant);
            } catch (InvalidInputException e) {
                return;
            }
            ClusterProfile again = ProfileJson.parse(WireJson.tree(profile));
            assertEquals(PLANNER.plan(profile.withObserved(null)), PLANNER.plan(again), mutant.toString());
        });
    }

    private static String parseAndPlan(JsonNode json) {
        ClusterProfile profile;
        try {
            profile = ProfileJson.parse(json);
        } catch (InvalidInputException e) {
            // The API answers with e.field() and the pipeline dead-letters with it: it must be a path, never null,
            // and empty only when the body as a whole is wrong (not a JSON object).
            if (e.field() == null || e.detail() == null || (json.isObject() && e.field().isEmpty())) {
                throw new AssertionError("an error without a field or detail for " + abbreviated(json), e);
            }
            return REFUSED;
        } catch (RuntimeException e) {
            throw new AssertionError("parsing threw " + e + " for " + abbreviated(json), e);
        }
        try {
            PLANNER.plan(profile);
        } catch (RuntimeException e) {
            throw new AssertionError("an accepted profile failed to plan with " + e + ": " + abbreviated(json), e);
        }
        return ACCEPTED;
    }

    private static String abbreviated(JsonNode json) {
        String text = json.toString();
        return text.length() > 3_000 ? text.substring(0, 3_000) + "..." : text;
    }

    /**
     * Trees of arrays and objects over the parser's field names, 0 to 4 levels deep with leaves at the bottom: at
     * most a few hundred nodes, wide enough to reach every branch of the parser, small enough for thousands of tries
     * in seconds.
     */
    private static Gen<JsonNode> trees() {
        return ints(0, 4).flatMap(ProfileJsonFuzzTest::treesOfDepth);
    }

    private static Gen<JsonNode> treesOfDepth(int depth) {
        if (depth == 0) {
            return leaves();
        }
        Gen<JsonNode> inner = treesOfDepth(depth - 1);
        Gen<JsonNode> arrays = Generators.listsOf(inner, 0, 3).map(ProfileJsonFuzzTest::array);
        Gen<JsonNode> objects = Generators.listsOf(Generators.of(FIELDS).zip(inner, Map::entry), 0, 4)
                .map(ProfileJsonFuzzTest::object);
        return Generate.oneOf(arrays, objects);
    }

    /** A valid profile from the public vectors with 1 to 4 of its values replaced, removed, re-typed or repeated. */
    private static Gen<JsonNode> mutants() {
        List<JsonNode> profiles = PlanVectors.all().stream().map(vector -> vector.get("profile")).toList();
        Gen<Long> seeds = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE);
        return Generators.of(profiles).zip(seeds, Generators.listsOf(trees(), 1, 4),
                (profile, seed, replacements) -> mutate(profile.deepCopy(), new Random(seed), replacements));
    }

    private static Gen<JsonNode> leaves() {
        Gen<JsonNode> empties = Generators.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(),
                NODES.objectNode(), NODES.arrayNode());
        return Generate.oneOf(
                Generators.of(EDGE_NUMBERS),
                Generators.of(EDGE_STRINGS).map(text -> (JsonNode) NODES.textNode(text)),
                ints(-100, 70_000).map(n -> (JsonNode) NODES.numberNode(n)),
                Generators.anyDoubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Generators.anyStrings(20).map(text -> (JsonNode) NODES.textNode(text)),
                cidrLike().map(text -> (JsonNode) NODES.textNode(text)),
                // A fresh copy: a mutation may add fields to an empty object it placed, and draws must not share it.
                empties.map(JsonNode::deepCopy));
    }

    /** Replaces, removes or re-types a few values anywhere in a valid profile. */
    private static JsonNode mutate(JsonNode profile, Random random, List<JsonNode> replacements) {
        for (JsonNode replacement : replacements) {
            List<JsonNode> containers = new ArrayList<>();
            collectContainers(profile, containers);
            JsonNode container = containers.get(random.nextInt(containers.size()));
            if (container instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                switch (random.nextInt(4)) {
                    case 0 -> object.remove(name);
                    case 1 -> object.set(FIELDS.get(random.nextInt(FIELDS.size())), replacement);
                    default -> object.set(name, replacement);
                }
            } else if (container instanceof ArrayNode array && array.size() > 0) {
                int index = random.nextInt(array.size());
                if (random.nextBoolean()) {
                    array.set(index, replacement);
                } else {
                    array.add(array.get(index).deepCopy());
                }
            }
        }
        return profile;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collectContainers(child, into));
        }
    }

    private static JsonNode array(List<JsonNode> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(array::add);
        return array;
    }

    private static JsonNode object(List<Map.Entry<String, JsonNode>> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(field -> object.set(field.getKey(), field.getValue()));
        return object;
    }

    // ---- CIDRs ----

    /** Strings shaped like CIDRs, most of them broken in one of the ways people and tools break them. */
    private static Gen<String> cidrLike() {
        Gen<String> octet = Generate.oneOf(ints(0, 300, 255).map(n -> String.valueOf(n)),
                Generators.of("", "00", "01", "-1", "1a", "0x0A", "２", " 1", "+1", "1.5"));
        Gen<String> prefix = Generate.oneOf(ints(-2, 40, 32).map(n -> String.valueOf(n)),
                Generators.of("", "08", "016", "99999999999", "3 2", "+8", "１６", "16\n"));
        Gen<String> separator = Generators.of("/", "/", "/", "//", "\\", "", "/ ");
        return Generators.listsOf(octet, 1, 5).zip(separator, prefix,
                (octets, slash, bits) -> String.join(".", octets) + slash + bits);
    }

    @Test
    void anyStringIsACidrOrAnIllegalArgument() {
        Gen<String> anyCidrText = Generate.oneOf(cidrLike(), Generators.anyStrings(25),
                Generators.strings("0123456789./", 20), realPrefixesRewritten());
        qt().withExamples(3_000).forAll(anyCidrText.describedAs(Generators::quoted)).checkAssert(text -> {
            Cidr cidr;
            try {
                cidr = Cidr.parse(text);
            } catch (IllegalArgumentException e) {
                return;
            }
            // Parsing is strict, so what it accepts is exactly what it prints: nothing is silently re-read.
            assertEquals(text, cidr.toString());
            assertEquals(cidr.network(), Ipv4.parse(text.substring(0, text.indexOf('/'))));
        });
    }

    /**
     * A real prefix's text with one of its five numbers written another way (a leading zero, a sign, a space, a
     * full-width digit): such text must be refused, and random text almost never comes this close to a valid one.
     */
    private static Gen<String> realPrefixesRewritten() {
        Gen<String> rewrites = Generators.of("0", "00", "+", " ", "\uff10");
        return Generators.ipv4Addresses().zip(Generators.prefixLengths(0, 32), ints(0, 4), rewrites,
                (address, prefix, part, rewrite) -> {
                    String[] parts = new Cidr(network(address, prefix), prefix).toString().split("(?=[./])");
                    parts[part] = parts[part].substring(0, part == 0 ? 0 : 1) + rewrite
                            + parts[part].substring(part == 0 ? 0 : 1);
                    return String.join("", parts);
                });
    }

    @Test
    void everyRealPrefixPrintsAndParsesBack() {
        qt().withExamples(1_000).forAll(Generators.ipv4Addresses(), Generators.prefixLengths(0, 32))
                .checkAssert((address, prefix) -> {
                    Cidr cidr = new Cidr(network(address, prefix), prefix);
                    assertEquals(cidr, Cidr.parse(cidr.toString()));
                });
    }

    /** {@code address} with the bits past {@code prefix} cleared. */
    private static long network(long address, int prefix) {
        return prefix == 0 ? 0 : address & ((0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL);
    }

    /** Every malformed form named, in each place a profile holds a CIDR: a 400 naming that place. */
    @Test
    void everyMalformedCidrFormIsRefusedWhereverItStands() {
        List<String> malformed = List.of("", " ", "10.0.0.0", "10.0.0.0/", "/16", "10.0.0/16", "10.0.0.0.0/16",
                "10.0.0.256/16", "10.0.0.1/16", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/016", "010.0.0.0/16",
                " 10.0.0.0/16", "10.0.0.0/16 ", "10.0.0.0//16", "10.0.0.0/1a", "１０.0.0.0/16", "10.0.0.0/１６",
                "10.0.0.0/16\n", "::1/128", "fd00::/8", "+10.0.0.0/16", "10.0.0.0/+16", "0x0A.0.0.0/8",
                "10.0.0.0/99999999999", "10.0.0.0/16/16", "10..0.0/16", "10.0.0.-0/16", "10.0.0.0\\16",
                "10.0.0.0 /16", "1e1.0.0.0/8", "10.0.0.0/16%", "ten.0.0.0/8");
        JsonNode base = PlanVectors.valid().get(0).get("profile");
        String subnet = base.get("subnets").fieldNames().next();
        // Each place a profile holds a CIDR, and the field path a 400 or a dead letter must name for it.
        Map<String, java.util.function.BiConsumer<ObjectNode, String>> places = Map.of(
                "networkProfile.serviceCidr", (p, text) -> p.with("networkProfile").put("serviceCidr", text),
                "networkProfile.podCidr", (p, text) -> p.with("networkProfile").put("podCidr", text),
                // The list is read only when the single field is absent, as az prints one or the other.
                "networkProfile.serviceCidrs[0]", (p, text) -> {
                    ObjectNode network = p.with("networkProfile");
                    network.remove("serviceCidr");
                    network.putArray("serviceCidrs").add(text);
                },
                "subnets[\"" + subnet + "\"]", (p, text) -> p.with("subnets").put(subnet, text),
                "vnetAddressSpace[0]", (p, text) -> p.putArray("vnetAddressSpace").add(text));
        for (String text : malformed) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
            places.forEach((field, setter) -> {
                ObjectNode profile = base.deepCopy();
                setter.accept(profile, text);
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileJson.parse(profile),
                        field + " = " + text);
                assertEquals(field, e.field(), field + " = " + text);
            });
        }
    }
}
