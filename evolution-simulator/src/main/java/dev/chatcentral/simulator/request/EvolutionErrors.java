package dev.chatcentral.simulator.request;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;

/** Evolution's error answers: {@code {"status":400,"error":"Bad Request","response":{"message":...}}}. */
public final class EvolutionErrors {

    private EvolutionErrors() {
    }

    public static ResponseEntity<JsonNode> answer(HttpStatus status, JsonNode message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.putObject("response").set("message", message);
        return ResponseEntity.status(status).body(body);
    }

    public static ResponseEntity<JsonNode> badRequest(String reason) {
        return answer(HttpStatus.BAD_REQUEST, Json.MAPPER.createArrayNode().add(reason));
    }

    /** 401 with Evolution's body, for a wrong {@code apikey}. */
    public static ResponseEntity<JsonNode> unauthorized() {
        return answer(HttpStatus.UNAUTHORIZED, Json.MAPPER.getNodeFactory().stringNode("Unauthorized"));
    }
}
