package io.aksheadroom.capacity;

/**
 * Input that cannot exist in Azure (a profile, an event): the API answers 400, the pipeline dead-letters it.
 * {@code field} is a JSON path such as {@code agentPoolProfiles[0].count}.
 */
public final class InvalidInputException extends RuntimeException {

    private final String field;
    private final String detail;

    public InvalidInputException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
        this.detail = detail;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }

    /** The same error one level down, so records can validate without knowing where they sit. */
    public InvalidInputException under(String parent) {
        String path = field.isEmpty() ? parent : field.startsWith("[") ? parent + field : parent + "." + field;
        InvalidInputException nested = new InvalidInputException(path, detail);
        nested.setStackTrace(getStackTrace());
        return nested;
    }

    public static void require(boolean condition, String field, String detail) {
        if (!condition) {
            throw new InvalidInputException(field, detail);
        }
    }

    /**
     * Refuses a negative {@code value}; null passes. The message is built only on a refusal: records validated on
     * every sample of the pipeline must not concatenate messages they do not throw.
     */
    public static void requireNotNegative(Number value, String field) {
        if (value != null && value.doubleValue() < 0) {
            throw new InvalidInputException(field, "must not be negative, got " + value);
        }
    }
}
