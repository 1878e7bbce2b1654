package io.aksheadroom.capacity;

import static io.aksheadroom.support.Generators.ints;
import static io.aksheadroom.support.Generators.ipv4Addresses;
import static io.aksheadroom.support.Generators.prefixLengths;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.aksheadroom.support.Coverage;
import io.aksheadroom.support.Generators;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.240.0.0/16, 65536, 65531",
        "10.240.0.0/24, 256, 251",
        "10.240.0.0/22, 1024, 1019",
        "10.240.0.0/29, 8, 3",
        "0.0.0.0/0, 4294967296, 4294967291",
        "10.0.0.1/32, 1, 0"})
    void sizesAndAzureUsableAddresses(String text, long size, long usable) {
        Cidr cidr = Cidr.parse(text);
        assertEquals(size, cidr.size());
        assertEquals(usable, cidr.azureUsableAddresses());
        assertEquals(text, cidr.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.240.0.0/33", "10.240.0.7/24", "10.240.0.0", "10.240.0/16", "10.240.0.0.0/16",
        "256.0.0.0/8", "10.240.0.0/", "/16", "10.240.0.0/-1", "10.240.0.0/1a", "010.0.0.0/8", "10.0.0.0/08",
        "10.0.0.0//8", "10.0.0.0/8/8", " 10.0.0.0/8", "10.0.0.0/8 ", "a.b.c.d/8", "", "10..0.0/16", "1e1.0.0.0/8",
        "10.240.0.0/ 16", "+10.0.0.0/8", "10.0.0.-1/32", "１０.0.0.0/8"})
    void rejectsEveryMalformedForm(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/16, 10.0.255.0/24, true",
        "10.0.0.0/16, 10.1.0.0/16, false",
        "10.0.0.0/8, 10.240.0.0/16, true",
        "192.168.0.0/22, 192.168.3.0/24, true",
        "192.168.0.0/22, 192.168.4.0/24, false"})
    void overlaps(String a, String b, boolean overlapping) {
        assertEquals(overlapping, Cidr.parse(a).overlaps(Cidr.parse(b)));
        assertEquals(overlapping, Cidr.parse(b).overlaps(Cidr.parse(a)));
    }

    @ParameterizedTest
    @CsvSource({"192.168.0.0/22, 4", "10.244.0.0/16, 256", "10.0.0.0/24, 1", "10.0.0.0/25, 0", "10.0.0.0/8, 65536"})
    void podCidrBlocksOfSlash24(String cidr, long blocks) {
        assertEquals(blocks, Cidr.parse(cidr).blocksOf(24));
    }

    @Test
    void formattingAndParsingRoundTrip() {
        qt().withExamples(1000).forAll(ipv4Addresses(), prefixLengths(0, 32)).checkAssert((address, prefix) -> {
            Cidr cidr = new Cidr(address & Cidr.mask(prefix), prefix);
            assertEquals(cidr, Cidr.parse(cidr.toString()));
        });
    }

    @Test
    void hostBitsPastThePrefixAreAlwaysRefused() {
        // Half the addresses are cut to their prefix, so the accepted side is checked as often as the refused one.
        Gen<Boolean> aligned = Generate.booleans();
        qt().withExamples(1000).forAll(ipv4Addresses(), prefixLengths(0, 31), aligned)
                .checkAssert((drawn, prefix, cut) -> {
                    long address = cut ? drawn & Cidr.mask(prefix) : drawn;
                    boolean hostBitsSet = (address & ~Cidr.mask(prefix) & 0xFFFF_FFFFL) != 0;
                    String text = Ipv4.format(address) + "/" + prefix;
                    if (hostBitsSet) {
                        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
                    } else {
                        assertEquals(text, Cidr.parse(text).toString());
                    }
                });
    }

    @Test
    void arbitraryTextNeverEscapesAsAnotherException() {
        qt().withExamples(1000).forAll(Generators.strings("0123456789./-x ", 22).describedAs(Generators::quoted))
                .checkAssert(text -> {
                    try {
                        Cidr cidr = Cidr.parse(text);
                        assertEquals(text, cidr.toString(), "only canonical text parses");
                    } catch (IllegalArgumentException expected) {
                        assertFalse(expected.getMessage().isBlank());
                    }
                });
    }

    @Test
    void containsImpliesOverlaps() {
        // Two independent CIDRs rarely nest; one in three pairs is drawn nested so the implication is exercised.
        Coverage nested = Coverage.ofOneRun();
        qt().withFixedSeed(nested.seed()).withExamples(1000).forAll(pairs()).checkAssert(pair -> {
            Cidr a = pair.get(0);
            Cidr b = pair.get(1);
            if (nested.count(a.contains(b))) {
                assertTrue(a.overlaps(b), pair.toString());
                assertTrue(a.size() >= b.size(), pair.toString());
            }
        });
        nested.assertShareAbove(true, 10);
    }

    private static Gen<Cidr> cidrs() {
        return prefixLengths(0, 32).zip(ipv4Addresses(),
                (prefix, address) -> new Cidr(address & Cidr.mask(prefix), prefix));
    }

    /** Two CIDRs, the second one in three times a block inside the first. */
    private static Gen<List<Cidr>> pairs() {
        Gen<List<Cidr>> independent = cidrs().zip(cidrs(), List::of);
        Gen<List<Cidr>> inside = cidrs().zip(ints(0, 32), ipv4Addresses(), (outer, more, host) -> {
            int prefix = Math.min(32, outer.prefix() + more);
            long hostBits = host & ~Cidr.mask(outer.prefix()) & 0xFFFF_FFFFL;
            return List.of(outer, new Cidr((outer.network() | hostBits) & Cidr.mask(prefix), prefix));
        });
        return Generators.weighted(2, independent, 1, inside);
    }
}
