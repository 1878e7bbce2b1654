package io.aksheadroom.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Property
    void formattingAndParsingRoundTrip(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long address,
            @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Cidr cidr = new Cidr(address & Cidr.mask(prefix), prefix);
        assertEquals(cidr, Cidr.parse(cidr.toString()));
    }

    @Property
    void hostBitsPastThePrefixAreAlwaysRefused(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long address,
            @ForAll @IntRange(min = 0, max = 31) int prefix) {
        boolean hostBitsSet = (address & ~Cidr.mask(prefix) & 0xFFFF_FFFFL) != 0;
        String text = Ipv4.format(address) + "/" + prefix;
        if (hostBitsSet) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        } else {
            assertEquals(text, Cidr.parse(text).toString());
        }
    }

    @Property
    void arbitraryTextNeverEscapesAsAnotherException(@ForAll("cidrLikeText") String text) {
        try {
            Cidr cidr = Cidr.parse(text);
            assertEquals(text, cidr.toString(), "only canonical text parses");
        } catch (IllegalArgumentException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }

    @Property
    void containsImpliesOverlaps(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b) {
        if (a.contains(b)) {
            assertTrue(a.overlaps(b));
            assertTrue(a.size() >= b.size());
        }
    }

    @Provide
    Arbitrary<String> cidrLikeText() {
        return Arbitraries.strings().withChars("0123456789./-x ").ofMaxLength(22);
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        return Arbitraries.integers().between(0, 32).flatMap(prefix -> Arbitraries.longs().between(0, 0xFFFF_FFFFL)
                .map(address -> new Cidr(address & Cidr.mask(prefix), prefix)));
    }
}
