package io.aksheadroom.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body past the HTTP layer's limit is answered with a problem document naming the limit, not a bare 413: the HTTP
 * layer refuses it before any resource (and so any exception mapper) sees the request. A declared length is checked
 * on a route ahead of Quarkus' own check. A chunked body (no declared length) is read here, ahead of the resources:
 * left to them, the stream they read it through answers an empty 413 itself once the body outgrows the limit, and a
 * chunk the HTTP decoder cannot read only closes the connection. Read here, the first is a 413 problem naming the
 * bytes received, and the second a 400 problem; a body within the limit is handed on whole, as the resources would
 * have read it anyway.
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
        if (declared == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            readChunked(context);
            return;
        }
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

    /**
     * Reads a body of undeclared length up to the limit. Past it, the answer goes out at once and the rest is read and
     * dropped, up to as much again, before the connection closes: closed with bytes still unread, the connection would
     * be reset, and a reset can throw away the answer before the client reads it.
     */
    private void readChunked(RoutingContext context) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        long[] received = {0};
        request.handler(piece -> {
            received[0] += piece.length();
            if (received[0] <= limit) {
                body.appendBuffer(piece);
            } else if (!context.response().headWritten()) {
                answer(context.response(), Problem.chunkedBodyTooLarge(received[0], limit, SETTING));
            } else if (received[0] > 2 * limit) {
                request.connection().close();
            }
        });
        request.exceptionHandler(error -> {
            if (!context.response().headWritten()) {
                answer(context.response(), Problem.malformedBody(String.valueOf(error.getMessage())));
                // The decoder's error closes the connection as soon as this returns, and while the connection is
                // being read, a write waits for the end of the read to be flushed: without a flush now, the answer
                // would be dropped with the connection.
                ((ConnectionBase) request.connection()).channel().flush();
            }
        });
        request.endHandler(end -> {
            if (context.response().headWritten()) {
                request.connection().close();
            } else {
                context.setBody(body);
                context.next();
            }
        });
        request.resume();
    }

    private void tooLarge(HttpServerResponse response, long length) {
        // The body is left unread: the connection closes once the answer is out.
        answer(response, Problem.bodyTooLarge(length, limit, SETTING));
    }

    private void answer(HttpServerResponse response, Problem problem) {
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
