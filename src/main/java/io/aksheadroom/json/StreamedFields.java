package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;

/**
 * Field names of an object read token by token, for the readers of the records on the pipeline's path for every
 * input (samples, load-balancer minutes): the next name is first compared with the one expected there, character by
 * character, which spares the parser the lookup of every name in its symbol table.
 */
final class StreamedFields {

    /** Another name than the object's fields. */
    static final int UNKNOWN = -1;
    /** No field name: the object ended, or something else came. */
    static final int END = -2;

    private StreamedFields() {
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
