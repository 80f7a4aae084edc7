package dev.chatcentral.simulator.request;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * 400 with a reason for a bad request (404 for a control request about an instance without target): the
 * simulator's control API answers {@code {"error","reason"}}, the faked Evolution API its own error body
 * {@code {"status":400,"error":"Bad Request","response":{"message":[reason]}}}.
 */
@RestControllerAdvice
class InvalidRequestAdvice {

    @ExceptionHandler(InvalidRequest.class)
    ResponseEntity<JsonNode> invalid(InvalidRequest e, HttpServletRequest request) {
        return badRequest(request, e.getMessage());
    }

    @ExceptionHandler(UnknownInstance.class)
    ResponseEntity<JsonNode> unknown(UnknownInstance e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Json.MAPPER.createObjectNode()
                .put("error", "unknown_instance").put("reason", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<JsonNode> unreadable(HttpServletRequest request) {
        return badRequest(request, "body must be JSON");
    }

    static ResponseEntity<JsonNode> badRequest(HttpServletRequest request, String reason) {
        if (request.getRequestURI().startsWith("/simulator/")) {
            return ResponseEntity.badRequest().body(Json.MAPPER.createObjectNode()
                    .put("error", "invalid_request").put("reason", reason));
        }
        return EvolutionErrors.answer(HttpStatus.BAD_REQUEST, Json.MAPPER.createArrayNode().add(reason));
    }
}
