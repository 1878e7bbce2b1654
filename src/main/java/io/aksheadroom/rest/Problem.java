package io.aksheadroom.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * An RFC 9457 problem document. {@code field} is the JSON path of the value at fault, so a client can point at it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem invalidInput(String field, String detail) {
        return new Problem("https://aks-headroom.dev/problems/invalid-input", "Invalid input", 400,
                field.isEmpty() ? detail : field + ": " + detail, field);
    }

    /** Jackson's own words and where in the body it stopped. */
    public static Problem malformedJson(JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return new Problem("https://aks-headroom.dev/problems/malformed-json", "Malformed JSON", 400,
                e.getOriginalMessage() + location, "");
    }

    /** A body past the HTTP layer's limit; {@code size} is what the request declared, or -1 when it did not. */
    public static Problem bodyTooLarge(long size, long limit, String setting) {
        return new Problem("https://aks-headroom.dev/problems/body-too-large", "Body too large", 413,
                (size < 0 ? "the request body is" : "the request body of " + size + " bytes is")
                        + " over the limit of " + limit + " bytes (" + setting + ")", null);
    }

    public static Problem notFound(String detail) {
        return new Problem("https://aks-headroom.dev/problems/not-found", "Not found", 404, detail, null);
    }
}
