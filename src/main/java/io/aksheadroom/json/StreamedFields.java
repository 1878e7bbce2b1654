package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;

import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.io.IOException;
import java.time.Instant;

/**
 * Field names of an object read token by token, for the readers of the records on the pipeline's path for every
 * input (samples, load-balancer minutes): the next name is first compared with the one expected there, character by
 * character, which spares the parser the lookup of every name in its symbol table.
 */
final class StreamedFields {

    private static final Protocol[] PROTOCOLS = Protocol.values();

    /** Another name than the object's fields. */
    static final int UNKNOWN = -1;
    /** No field name: the object ended, or something else came. */
    static final int END = -2;

    private StreamedFields() {
    }

    /** Takes the value of one field, the parser on its first token; false when the tree must decide. */
    @FunctionalInterface
    interface Value {
        boolean take(int field, JsonToken token) throws IOException;
    }

    /**
     * Reads the fields of an object, the parser on its start, each value through {@code value}: the fields seen, as
     * bits of their index in {@code names}, or -1 when the tree must decide (a field it does not know, a repeated
     * one, a value refused).
     */
    static int object(JsonParser parser, SerializedString[] names, Value value) throws IOException {
        int seen = 0;
        for (int field = next(parser, names, 0); field != END; field = next(parser, names, field + 1)) {
            if (field == UNKNOWN || (seen & 1 << field) != 0) {
                return -1;
            }
            seen |= 1 << field;
            if (!value.take(field, parser.nextToken())) {
                return -1;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? seen : -1;
    }

    /**
     * The fields of one backend's sample, as the one-sample record and each sample of a minute carry them: strings
     * and integers, {@code protocol} and {@code failedConnections} optional (null is absent to the tree).
     */
    static final class Backend {

        static final int BACKEND_IP = 0;
        static final int PROTOCOL = 1;
        static final int ALLOCATED = 2;
        static final int USED = 3;
        static final int FAILED = 4;
        /** The names by index, in the order the wire forms write them. */
        static final String[] NAMES = {"backendIp", "protocol", "allocatedSnatPorts", "usedSnatPorts",
                "failedConnections"};
        private static final int REQUIRED = 1 << BACKEND_IP | 1 << ALLOCATED | 1 << USED;

        private final JsonParser parser;
        private long allocated;
        private long used;
        private long failed;
        private String ip;
        /** The protocol when the wire wrote one of its names exactly; else {@link #protocolText} has it. */
        private Protocol protocol;
        private String protocolText;
        private int seen;
        private int nulls;

        Backend(JsonParser parser) {
            this.parser = parser;
        }

        /** A copy of what was read so far, for a reader that keeps it while it reads the next backend into this one. */
        Backend copy() {
            Backend copy = new Backend(parser);
            copy.allocated = allocated;
            copy.used = used;
            copy.failed = failed;
            copy.ip = ip;
            copy.protocol = protocol;
            copy.protocolText = protocolText;
            copy.seen = seen;
            copy.nulls = nulls;
            return copy;
        }

        /** Forgets what was read, to read the next backend. */
        void clear() {
            allocated = 0;
            used = 0;
            failed = 0;
            ip = null;
            protocol = null;
            protocolText = null;
            seen = 0;
            nulls = 0;
        }

        /** The value of backend field {@code field}, the parser on it; false when the tree must decide. */
        boolean take(int field, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL && (field == PROTOCOL || field == FAILED)) {
                nulls |= 1 << field;
            } else if (field == BACKEND_IP && token == JsonToken.VALUE_STRING) {
                ip = parser.getText();
            } else if (field == PROTOCOL && token == JsonToken.VALUE_STRING) {
                protocol = protocolAsWritten(parser);
                protocolText = protocol == null ? parser.getText() : null;
            } else if (field >= ALLOCATED && token == JsonToken.VALUE_NUMBER_INT && fitsLong(parser)) {
                long number = parser.getLongValue();
                switch (field) {
                    case ALLOCATED -> allocated = number;
                    case USED -> used = number;
                    default -> failed = number;
                }
            } else {
                return false;
            }
            seen |= 1 << field;
            return true;
        }

        /** Whether every required field came, the backend IP not blank. */
        boolean complete() {
            return (seen & REQUIRED) == REQUIRED && !ip.isBlank();
        }

        /** The sample, once {@link #complete()}; the sample's own checks may still refuse it. */
        SnatSample sample(String clusterId, Instant at) {
            return new SnatSample(clusterId, at, ip, protocol != null ? protocol
                    : protocolText == null ? null : Protocol.fromWire(protocolText), allocated, used,
                    (seen & ~nulls & 1 << FAILED) != 0 ? failed : null);
        }

        /**
         * The protocol when the string token is one of its names as producers write them, compared in the parser's
         * own buffer; null for anything else, which {@link Protocol#fromWire} then reads.
         */
        private static Protocol protocolAsWritten(JsonParser parser) throws IOException {
            int length = parser.getTextLength();
            for (Protocol protocol : PROTOCOLS) {
                if (protocol.name().length() == length && sameText(parser, protocol.name())) {
                    return protocol;
                }
            }
            return null;
        }

        private static boolean sameText(JsonParser parser, String name) throws IOException {
            char[] text = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            for (int i = 0; i < name.length(); i++) {
                if (text[offset + i] != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }


    static SerializedString[] names(String... names) {
        SerializedString[] serialized = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            serialized[i] = new SerializedString(names[i]);
        }
        return serialized;
    }

    /**
     * Moves to the next token: the index in {@code names} of the field it names (most often {@code expected}),
     * {@link #UNKNOWN} for another name, {@link #END} when it is no field name.
     */
    static int next(JsonParser parser, SerializedString[] names, int expected) throws IOException {
        if (expected < names.length) {
            if (parser.nextFieldName(names[expected])) {
                return expected;
            }
        } else {
            parser.nextToken();
        }
        return parser.currentToken() == JsonToken.FIELD_NAME ? index(names, parser.currentName()) : END;
    }

    /** Whether the current number token is an integer a {@code long} holds. */
    static boolean fitsLong(JsonParser parser) throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    private static int index(SerializedString[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].getValue().equals(name)) {
                return i;
            }
        }
        return UNKNOWN;
    }
}
