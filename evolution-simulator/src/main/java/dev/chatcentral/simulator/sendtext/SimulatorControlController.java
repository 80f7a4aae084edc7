package dev.chatcentral.simulator.sendtext;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * Run-time control of the simulated sending calls (sendText, sendReaction, deleteMessageForEveryone), for tests
 * and demos: {@code PUT /simulator/instances/{instance}/behavior {"mode":"server_error","delayMs":0,"failures":3}}
 * makes the next three calls answer 500 (failures 0 or absent: until changed), {@code DELETE} of the same path
 * restores OK, {@code GET .../calls} lists the calls received and how each was answered ({@code ?kind=sendText}:
 * those of one kind), {@code DELETE .../calls} forgets them.
 */
@RestController
class SimulatorControlController {

    private final InstanceBehaviors behaviors;
    private final CallLog calls;

    SimulatorControlController(InstanceBehaviors behaviors, CallLog calls) {
        this.behaviors = behaviors;
        this.calls = calls;
    }

    @PutMapping("/simulator/instances/{instance}/behavior")
    ResponseEntity<JsonNode> setBehavior(@PathVariable String instance, @RequestBody JsonNode body) {
        Behavior behavior;
        try {
            behavior = parse(body);
        } catch (IllegalArgumentException e) {
            ObjectNode error = Json.MAPPER.createObjectNode().put("error", "invalid_behavior").put("reason",
                    e.getMessage());
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(error);
        }
        behaviors.set(instance, behavior);
        return ResponseEntity.ok(describe(instance));
    }

    @GetMapping("/simulator/instances/{instance}/behavior")
    JsonNode getBehavior(@PathVariable String instance) {
        return describe(instance);
    }

    @DeleteMapping("/simulator/instances/{instance}/behavior")
    JsonNode resetBehavior(@PathVariable String instance) {
        behaviors.reset(instance);
        return describe(instance);
    }

    /** The calls of the instance, oldest first; {@code ?kind=sendText} keeps those of one kind. */
    @GetMapping("/simulator/instances/{instance}/calls")
    List<CallLog.Call> calls(@PathVariable String instance, @RequestParam(required = false) String kind) {
        List<CallLog.Call> all = calls.of(instance);
        return kind == null ? all : all.stream().filter(call -> call.kind().equals(kind)).toList();
    }

    @DeleteMapping("/simulator/instances/{instance}/calls")
    ResponseEntity<Void> clearCalls(@PathVariable String instance) {
        calls.clear(instance);
        return ResponseEntity.noContent().build();
    }

    private JsonNode describe(String instance) {
        InstanceBehaviors.Current current = behaviors.get(instance);
        return Json.MAPPER.createObjectNode()
                .put("instance", instance)
                .put("mode", current.behavior().mode().wireName())
                .put("delayMs", current.behavior().delay().toMillis())
                .put("failures", current.behavior().failures())
                .put("remainingFailures", current.remaining());
    }

    private static Behavior parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object {\"mode\":..., \"delayMs\":..., "
                    + "\"failures\":...}");
        }
        JsonNode mode = body.get("mode");
        if (mode == null || !mode.isString()) {
            throw new IllegalArgumentException("mode is required, a string");
        }
        return new Behavior(Mode.parse(mode.asString()), Duration.ofMillis(nonNegative(body, "delayMs")),
                Math.toIntExact(nonNegative(body, "failures")));
    }

    private static long nonNegative(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || value.longValue() < 0 || value.longValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a whole number from 0, was " + value);
        }
        return value.longValue();
    }
}
