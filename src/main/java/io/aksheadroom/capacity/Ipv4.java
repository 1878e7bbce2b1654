package io.aksheadroom.capacity;

/** Dotted-quad IPv4 addresses as unsigned 32-bit values held in a {@code long}. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static long parse(String text) {
        long address = dottedQuad(text);
        return address >= 0 ? address : parseBySplitting(text);
    }

    /**
     * The address when {@code text} is four octets of 1 to 3 ASCII digits without a leading zero, each at most 255,
     * else -1 (then {@link #parseBySplitting} refuses it and says why). One pass over the characters, since every SNAT
     * sample's backend address goes through here.
     */
    private static long dottedQuad(String text) {
        if (text == null) {
            return -1;
        }
        long address = 0;
        int octets = 0;
        int octet = 0;
        int digits = 0;
        for (int i = 0, length = text.length(); i <= length; i++) {
            char c = i == length ? '.' : text.charAt(i);
            if (c == '.') {
                if (digits == 0 || octet > 255 || ++octets > 4) {
                    return -1;
                }
                address = address << 8 | octet;
                octet = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3 && !(digits == 1 && octet == 0)) {
                octet = octet * 10 + (c - '0');
                digits++;
            } else {
                return -1;
            }
        }
        return octets == 4 ? address : -1;
    }

    /** The reference reading, with the reason for every refusal. */
    static long parseBySplitting(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("missing IPv4 address");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (a.b.c.d)");
        }
        long value = 0;
        for (String part : parts) {
            // Leading zeros are refused: some parsers read them as octal, so their meaning is ambiguous.
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet '" + part + "')");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet " + octet + " > 255)");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
