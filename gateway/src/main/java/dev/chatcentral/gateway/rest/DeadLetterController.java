package dev.chatcentral.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.redrive.ProcessorRedrive;
import dev.chatcentral.schemas.serde.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A supervisor's DLQ redrive from the console: the stream-processor's redrive (docs/reliability.md), narrowed to
 * the caller's empresa, so one tenant can send back its own dead letters once their cause is fixed and never
 * touches another's.
 */
@RestController
@RequestMapping(path = "/api/v1/dlq", produces = "application/json")
@Tag(name = "dlq", description = "Redrive of the caller's empresa's dead letters, for supervisors")
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "the caller is neither a supervisor nor an admin",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class DeadLetterController {

    private static final int MAX_BODY = 64 * 1024;
    /** What a supervisor may choose; the empresa is always the caller's. */
    private static final Set<String> FIELDS = Set.of("ids", "from", "to", "stage", "reason");

    private final ProcessorRedrive redrive;

    DeadLetterController(ProcessorRedrive redrive) {
        this.redrive = redrive;
    }

    @PostMapping(path = "/redrive")
    @Operation(summary = "Send the empresa's dead letters back to the topics they came from",
            description = "Body: `{}` for every dead letter of the empresa, or one of `{\"ids\":[\"3-17\"]}` and "
                    + "a failure time range `{\"from\":\"...\",\"to\":\"...\"}`, each optionally with `stage` and "
                    + "`reason` codes (docs/reliability.md). Answers what the stream-processor did: `redriven`, "
                    + "`ids`, `notFound` (ids that are not the empresa's dead letters), `superseded` and "
                    + "`unroutable`. One redrive per empresa at a time.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json",
                    examples = @ExampleObject("{\"stage\": \"sink\", \"from\": \"2026-11-29T00:00:00Z\"}"))))
    @ApiResponse(responseCode = "200", description = "what was sent back")
    @ApiResponse(responseCode = "400", description = "a malformed selection, with the reason",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "a redrive of the empresa is running",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "the stream-processor cannot be reached or took too long",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<String> redrive(@Parameter(hidden = true) Agent agent, InputStream body) throws IOException {
        if (!agent.hasRole(Role.SUPERVISOR) && !agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only supervisors and admins may redrive dead letters");
        }
        ProcessorRedrive.Answer answer;
        try {
            answer = redrive.redrive(agent.empresaId(), selection(body));
        } catch (ProcessorRedrive.AlreadyRunningException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (ProcessorRedrive.UnavailableException e) {
            throw ApiException.unavailable(e.getMessage());
        }
        if (answer.status() != 200) {
            throw ApiException.badParameter(reasonOf(answer.body()));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.body());
    }

    /** The supervisor's selection, all of the empresa's dead letters when it names none. */
    private static ObjectNode selection(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw ApiException.tooLarge("a redrive request must be at most " + MAX_BODY + " bytes");
        }
        JsonNode json;
        try {
            json = bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.badParameter("the body is not valid JSON");
        }
        if (!(json instanceof ObjectNode selection)) {
            throw ApiException.badParameter("the body must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : selection.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw ApiException.badParameter("unknown field \"" + field.getKey() + "\"; a redrive takes "
                        + FIELDS.stream().sorted().toList());
            }
        }
        if (!selection.has("ids") && !selection.has("from") && !selection.has("to")) {
            selection.put("all", true);
        }
        return selection;
    }

    private static String reasonOf(String body) {
        try {
            return Json.MAPPER.readTree(body).path("reason").asString("the stream-processor refused the selection");
        } catch (JacksonException e) {
            return "the stream-processor refused the selection";
        }
    }
}
