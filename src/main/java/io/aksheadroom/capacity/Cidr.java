package io.aksheadroom.capacity;

/**
 * An IPv4 prefix such as {@code 10.240.0.0/16}. Parsing is strict: host bits set past the prefix are an
 * error rather than silently masked, because Azure rejects such a prefix too.
 */
public record Cidr(long network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0..32");
        }
        if (network < 0 || network > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("address outside IPv4");
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException(
                    "bits are set past the prefix: " + Ipv4.format(network) + "/" + prefix
                            + " (did you mean " + Ipv4.format(network & mask(prefix)) + "/" + prefix + "?)");
        }
    }

    /** Parses {@code a.b.c.d/n}; the message of the exception says what is wrong. */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing CIDR");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (a.b.c.d/n)");
        }
        long address = Ipv4.parse(text.substring(0, slash));
        String bits = text.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 2 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (bits.length() > 1 && bits.charAt(0) == '0')) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        int prefix = Integer.parseInt(bits);
        if (prefix > 32) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + " > 32");
        }
        return new Cidr(address, prefix);
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    /** Every address in the prefix, reserved ones included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public long lastAddress() {
        return network + size() - 1;
    }

    /** IP-1: Azure keeps five addresses of every subnet (network, gateway, two DNS, broadcast). */
    public long azureUsableAddresses() {
        return Math.max(0, size() - 5);
    }

    public boolean contains(long address) {
        return address >= network && address <= lastAddress();
    }

    public boolean contains(Cidr other) {
        return other.network >= network && other.lastAddress() <= lastAddress();
    }

    public boolean overlaps(Cidr other) {
        return network <= other.lastAddress() && other.network <= lastAddress();
    }

    /** How many /{@code perNodePrefix} blocks fit (kubenet and overlay hand each node a /24). */
    public long blocksOf(int perNodePrefix) {
        return perNodePrefix < prefix ? 0 : 1L << (perNodePrefix - prefix);
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefix;
    }
}
