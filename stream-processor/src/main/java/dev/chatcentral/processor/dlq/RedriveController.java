package dev.chatcentral.processor.dlq;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.management.ManagementApi;

/**
 * {@code POST /dlq/redrive}: the redrive command. Body, exactly one of
 * {@code {"ids":["chat.dlq-3-17"]}}, {@code {"from":"2025-10-21T00:00:00Z","to":"..."}} (failure time, either
 * bound optional) or {@code {"all":true}}, each optionally with {@code "stage"} and {@code "reason"}. Answers
 * {@code {"redriven":n,"ids":[...],"notFound":[...],"superseded":[...],"unroutable":{...}}}; a bad body gets 400
 * with the reason. Served on the management port only, behind its token.
 */
@ManagementApi
class RedriveController {

    private final DeadLetterRedriver redriver;
    private final int dlqPartitions;

    RedriveController(DeadLetterRedriver redriver, TopicCatalog catalog) {
        this.redriver = redriver;
        this.dlqPartitions = catalog.partitions(Topics.DLQ);
    }

    @PostMapping(path = "/dlq/redrive", produces = "application/json")
    ResponseEntity<Map<String, Object>> redrive(@RequestBody RedriveRequest request) {
        DeadLetterSelection selection;
        try {
            selection = request.selection(dlqPartitions);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        DeadLetterRedriver.Result result = redriver.redrive(selection);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("redriven", result.redriven());
        body.put("ids", result.ids());
        body.put("notFound", result.notFound());
        body.put("superseded", result.superseded());
        body.put("unroutable", result.unroutable());
        return ResponseEntity.ok(body);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        return badRequest("body is not a redrive request: " + (cause.getMessage() != null
                ? cause.getMessage().lines().findFirst().orElse("") : cause.getClass().getSimpleName()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> notJson(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(Map.of("error", "unsupported_media_type", "reason", "send the body as application/json"));
    }

    private static ResponseEntity<Map<String, Object>> badRequest(String reason) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "reason", reason));
    }
}
