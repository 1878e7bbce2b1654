package io.aksheadroom.rest;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.aksheadroom.capacity.InvalidInputException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad input becomes a precise 400 problem, never a 500. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return problem(Problem.invalidInput(e.field(), e.detail()));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return problem(Problem.malformedJson(e));
    }

    static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
