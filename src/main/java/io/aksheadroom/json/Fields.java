package io.aksheadroom.json;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.capacity.Cidr;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Ipv4;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Typed reads of JSON fields that fail with the field's full path, so a 400 or a dead-letter reason says exactly
 * which value is wrong. Absent and {@code null} are the same: az prints {@code null} for unset fields.
 */
final class Fields {

    private Fields() {
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /**
     * The field, matched case-insensitively when the exact name is absent: ARM's REST shape says {@code vnetSubnetID}
     * and {@code dnsServiceIP} where {@code az aks show} prints {@code vnetSubnetId} and {@code dnsServiceIp}.
     */
    static JsonNode child(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null && node.isObject()) {
            for (java.util.Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (name.equalsIgnoreCase(field)) {
                    value = node.get(name);
                    break;
                }
            }
        }
        return value == null || value.isNull() ? null : value;
    }

    static JsonNode object(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value != null && !value.isObject()) {
            throw new InvalidInputException(path(parent, field), "expected an object, got " + kind(value));
        }
        return value;
    }

    static JsonNode array(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value != null && !value.isArray()) {
            throw new InvalidInputException(path(parent, field), "expected an array, got " + kind(value));
        }
        return value;
    }

    static String text(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(path(parent, field), "expected a string, got " + kind(value));
        }
        return value.asText();
    }

    static String requiredText(JsonNode node, String field, String parent) {
        String value = text(node, field, parent);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(path(parent, field), "required");
        }
        return value;
    }

    static Long integer(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value == null) {
            return null;
        }
        return integerValue(value, path(parent, field));
    }

    /** Integers as numbers, or as strings of digits (az prints some counts as strings). */
    static long integerValue(JsonNode value, String path) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isFloatingPointNumber() && !Double.isNaN(value.asDouble()) && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15) {
            return (long) value.asDouble();
        }
        if (value.isTextual() && value.asText().matches("-?\\d{1,15}")) {
            return Long.parseLong(value.asText());
        }
        throw new InvalidInputException(path, "expected an integer, got " + kind(value));
    }

    static Integer int32(JsonNode node, String field, String parent) {
        Long value = integer(node, field, parent);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidInputException(path(parent, field), "out of range: " + value);
        }
        return value.intValue();
    }

    static int requiredInt32(JsonNode node, String field, String parent) {
        Integer value = int32(node, field, parent);
        if (value == null) {
            throw new InvalidInputException(path(parent, field), "required");
        }
        return value;
    }

    static Boolean bool(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new InvalidInputException(path(parent, field), "expected true or false, got " + kind(value));
    }

    static Double number(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || Double.isNaN(value.asDouble()) || Double.isInfinite(value.asDouble())) {
            throw new InvalidInputException(path(parent, field), "expected a finite number, got " + kind(value));
        }
        return value.asDouble();
    }

    static Instant instant(JsonNode node, String field, String parent) {
        JsonNode value = child(node, field);
        if (value == null) {
            throw new InvalidInputException(path(parent, field), "required");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(path(parent, field), "expected an ISO-8601 instant, got " + kind(value));
        }
        try {
            Instant canonical = canonicalUtc(value.asText());
            return canonical != null ? canonical : Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(path(parent, field), "'" + value.asText() + "' is not an ISO-8601 instant "
                    + "such as 2026-11-26T08:00:00Z");
        }
    }

    /**
     * The form every producer here writes ({@code Instant.toString()}: {@code 2026-11-26T08:00:00Z}, optionally with
     * 1 to 9 fraction digits), read without {@link java.time.format.DateTimeFormatter}, which is slow for a read made
     * for every record. Null for anything else (other years, offsets, lower case, a leap second, an invalid date):
     * {@link Instant#parse} then decides, so what is accepted does not change.
     */
    static Instant canonicalUtc(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || length == 21 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || fraction < 0) {
            return null;
        }
        long nanos = fraction;
        for (int digitsRead = length - 21; length > 20 && digitsRead < 9; digitsRead++) {
            nanos *= 10;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 unless every character there is an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static Cidr cidr(JsonNode node, String field, String parent) {
        String text = text(node, field, parent);
        return text == null ? null : cidrValue(text, path(parent, field));
    }

    static Cidr cidrValue(String text, String path) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path, e.getMessage());
        }
    }

    static Long ipv4(JsonNode node, String field, String parent) {
        String text = text(node, field, parent);
        if (text == null) {
            return null;
        }
        try {
            return Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path(parent, field), e.getMessage());
        }
    }

    static <T> T enumValue(JsonNode node, String field, String parent, Function<String, T> fromWire) {
        String text = text(node, field, parent);
        if (text == null) {
            return null;
        }
        try {
            return fromWire.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path(parent, field), e.getMessage());
        }
    }

    /** Runs a record constructor and re-roots its error under {@code parent}. */
    static <T> T construct(String parent, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidInputException e) {
            throw parent.isEmpty() ? e : e.under(parent);
        }
    }

    static String kind(JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText();
            return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
