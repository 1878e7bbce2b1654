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

    /**
     * A chunked body (no declared length) that grew past the HTTP layer's limit; {@code received} is what had arrived
     * when it did: the body's whole size is never known, it is not read further.
     */
    public static Problem chunkedBodyTooLarge(long received, long limit, String setting) {
        return new Problem("https://aks-headroom.dev/problems/body-too-large", "Body too large", 413,
                "the chunked request body reached " + received + " bytes, over the limit of " + limit + " bytes ("
                        + setting + ")", null);
    }

    /** A body the HTTP decoder could not read, e.g. a chunk size that is not hexadecimal; {@code cause}: its words. */
    public static Problem malformedBody(String cause) {
        return new Problem("https://aks-headroom.dev/problems/malformed-body", "Malformed body", 400,
                "the request body is not valid HTTP/1.1 framing: " + cause, null);
    }

    public static Problem notFound(String detail) {
        return new Problem("https://aks-headroom.dev/problems/not-found", "Not found", 404, detail, null);
    }
}
