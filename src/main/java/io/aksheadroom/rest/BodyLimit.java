package io.aksheadroom.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body past the HTTP layer's limit is answered with a problem document naming the limit, not a bare 413: the HTTP
 * layer refuses it before any resource (and so any exception mapper) sees the request. A declared length is checked
 * on a route ahead of Quarkus' own check; a chunked body that grows past the limit fails the route, and the failure
 * handler answers.
 */
@ApplicationScoped
public class BodyLimit {

    static final String SETTING = "quarkus.http.limits.max-body-size";
    private static final int PAYLOAD_TOO_LARGE = 413;

    private final long limit;
    private final ObjectMapper mapper;

    BodyLimit(@ConfigProperty(name = SETTING, defaultValue = "10240K") MemorySize limit, ObjectMapper mapper) {
        this.limit = limit.asLongValue();
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        // Ahead of Quarkus' own check of the declared length (order -2), and of its failure handler, which would answer
        // a body that outgrew the limit with an empty 413.
        router.route().order(-3).handler(this::checkDeclaredLength).failureHandler(this::answerTooLarge);
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                // The HTTP decoder has already refused a malformed length; any other is not ours to judge.
            }
        }
        if (length > limit) {
            tooLarge(context.response(), length);
        } else {
            context.next();
        }
    }

    private void answerTooLarge(RoutingContext context) {
        if (context.statusCode() == PAYLOAD_TOO_LARGE && !context.response().headWritten()) {
            tooLarge(context.response(), -1);
        } else {
            context.next();
        }
    }

    private void tooLarge(HttpServerResponse response, long length) {
        String body;
        try {
            body = mapper.writeValueAsString(Problem.bodyTooLarge(length, limit, SETTING));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The body is left unread: the connection closes once the answer is out.
        response.setStatusCode(PAYLOAD_TOO_LARGE).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
