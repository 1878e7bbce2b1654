package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Ipv4;
import io.aksheadroom.support.PlanVectors;
import io.aksheadroom.support.WireJson;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import org.junit.jupiter.api.Test;

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

    // ---- arbitrary JSON trees ----

    @Property(tries = 2_000)
    void arbitraryTreesFailOnlyWithAFieldAndAcceptedOnesPlan(@ForAll("trees") JsonNode tree) {
        Statistics.collect(parseAndPlan(tree));
    }

    // Both outcomes must occur, or the generator has degenerated and the property proves nothing.
    @Property(tries = 2_000)
    @StatisticsReport(onFailureOnly = false)
    void mutatedValidProfilesFailOnlyWithAFieldAndAcceptedOnesPlan(@ForAll("mutants") JsonNode profile) {
        Statistics.collect(parseAndPlan(profile));
        Statistics.coverage(coverage -> {
            coverage.check(ACCEPTED).count(n -> n > 0);
            coverage.check(REFUSED).count(n -> n > 0);
        });
    }

    /** An accepted profile written back by the parser's own writer reads as the same profile. */
    @Property(tries = 500)
    void acceptedProfilesSurviveTheirOwnWireForm(@ForAll("mutants") JsonNode mutant) {
        ClusterProfile profile;
        try {
            profile = ProfileJson.parse(mutant);
        } catch (InvalidInputException e) {
            return;
        }
        ClusterProfile again = ProfileJson.parse(WireJson.tree(profile));
        assertEquals(PLANNER.plan(profile.withObserved(null)), PLANNER.plan(again), mutant.toString());
    }

    private static String parseAndPlan(JsonNode json) {
        ClusterProfile profile;
        try {
            profile = ProfileJson.parse(json);
        } catch (InvalidInputException e) {
            // The API answers with e.field() and the pipeline dead-letters with it: it must be a path, never null.
            if (e.field() == null || e.detail() == null) {
                throw new AssertionError("an error without a field or detail for " + json, e);
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

    @Provide
    Arbitrary<JsonNode> trees() {
        // Depth and width are bounded so a tree has at most a few hundred nodes: wide enough to reach every branch
        // of the parser, small enough for thousands of tries in seconds.
        return Arbitraries.recursive(ProfileJsonFuzzTest::leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(ProfileJsonFuzzTest::array),
                Combinators.combine(Arbitraries.of(FIELDS), inner).as(Tuple::of).list().ofMaxSize(4)
                        .map(ProfileJsonFuzzTest::object)), 0, 4);
    }

    @Provide
    Arbitrary<JsonNode> mutants() {
        List<JsonNode> profiles = PlanVectors.all().stream().map(vector -> vector.get("profile")).toList();
        return Combinators.combine(Arbitraries.of(profiles), Arbitraries.longs(), trees().list().ofMinSize(1)
                .ofMaxSize(4)).as((profile, seed, replacements) -> mutate(profile.deepCopy(), new Random(seed),
                        replacements));
    }

    private static Arbitrary<JsonNode> leaves() {
        return Arbitraries.oneOf(
                Arbitraries.of(EDGE_NUMBERS),
                Arbitraries.of(EDGE_STRINGS).map(NODES::textNode),
                Arbitraries.integers().between(-100, 70_000).map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                cidrLike().map(NODES::textNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(),
                        NODES.objectNode(), NODES.arrayNode()));
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

    private static JsonNode object(List<Tuple.Tuple2<String, JsonNode>> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(field -> object.set(field.get1(), field.get2()));
        return object;
    }

    // ---- CIDRs ----

    /** Strings shaped like CIDRs, most of them broken in one of the ways people and tools break them. */
    private static Arbitrary<String> cidrLike() {
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.of("", "00", "01", "-1", "1a", "0x0A", "２", " 1", "+1", "1.5"));
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.integers().between(-2, 40).map(String::valueOf),
                Arbitraries.of("", "08", "016", "99999999999", "3 2", "+8", "１６", "16\n"));
        Arbitrary<String> separator = Arbitraries.of("/", "/", "/", "//", "\\", "", "/ ");
        return Combinators.combine(octet.list().ofMinSize(1).ofMaxSize(5), separator, prefix)
                .as((octets, slash, bits) -> String.join(".", octets) + slash + bits);
    }

    @Property(tries = 3_000)
    void anyStringIsACidrOrAnIllegalArgument(@ForAll("anyCidrText") String text) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        // Parsing is strict, so what it accepts is exactly what it prints: nothing is silently re-read.
        assertEquals(text, cidr.toString());
        assertEquals(cidr.network(), Ipv4.parse(text.substring(0, text.indexOf('/'))));
    }

    @Provide
    Arbitrary<String> anyCidrText() {
        return Arbitraries.oneOf(cidrLike(), Arbitraries.strings().ofMaxLength(25),
                Arbitraries.strings().withChars("0123456789./").ofMaxLength(20));
    }

    @Property(tries = 1_000)
    void everyRealPrefixPrintsAndParsesBack(@ForAll("addresses") long address,
            @ForAll("prefixLengths") int prefix) {
        long network = prefix == 0 ? 0 : address & ((0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL);
        Cidr cidr = new Cidr(network, prefix);
        assertEquals(cidr, Cidr.parse(cidr.toString()));
    }

    @Provide
    Arbitrary<Long> addresses() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    @Provide
    Arbitrary<Integer> prefixLengths() {
        return Arbitraries.integers().between(0, 32);
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
