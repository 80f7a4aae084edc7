package dev.chatcentral.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.command.CommandRefusedException;
import dev.chatcentral.gateway.command.CommandRequest;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.serde.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Atendentes' commands over HTTP, for clients without a WebSocket (SSE and long-poll) and for integrators: the
 * same commands, checks and answers as the WebSocket's {@code command} frame (docs/protocol.md).
 */
@RestController
@RequestMapping(path = "/api/v1/commands", produces = "application/json")
@Tag(name = "commands", description = "Transfer, assign, close, reopen, reply, resend, react, delete: written to chat.commands")
class CommandController {

    /** Far above the largest valid command (4096 characters of text), so the body is never read unbounded. */
    private static final int MAX_BODY = 64 * 1024;

    private final CommandIntake commands;

    CommandController(CommandIntake commands) {
        this.commands = commands;
    }

    @PostMapping
    @Operation(summary = "Issue a command",
            description = "Answered once Kafka has the command; what it does comes later over the realtime channels "
                    + "(conversation_updated, conversation_transferred, message_notification, message_reaction, "
                    + "message_deleted), and a refusal by "
                    + "the conversa's state as command_rejected on the caller's `atendente:{userId}` channel: "
                    + "follow it. The same commandId sent twice acts once, so after a 503 or a lost answer send "
                    + "the command again with the same commandId.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = CommandRequest.class))))
    @ApiResponse(responseCode = "202", description = "the command is in chat.commands")
    @ApiResponse(responseCode = "400", description = "the command is malformed (error bad_command, with the reason)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no conversa with this id in the caller's empresa",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "the body is larger than 64 KiB",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "the conversa could not be checked or Kafka did not take the "
            + "command in time: send it again with the same commandId",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<Accepted> issue(@Parameter(hidden = true) Agent agent, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw ApiException.tooLarge("a command must be at most " + MAX_BODY + " bytes");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.badCommand("the body is not valid JSON");
        }
        AgentCommand command;
        try {
            command = commands.submit(agent, json).join();
        } catch (CompletionException e) {
            CommandRefusedException refused = CommandRefusedException.of(e);
            throw switch (refused.reason()) {
                case BAD_COMMAND -> ApiException.badCommand(refused.getMessage());
                // the same answer as the conversa endpoints give, so ids of other tenants cannot be probed
                case FOREIGN_CONVERSA -> ApiException.notFound(refused.getMessage());
                case UNAVAILABLE -> ApiException.unavailable(refused.getMessage());
            };
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(command.commandId(), "accepted"));
    }

    /** @param status always {@code accepted}: the command is in Kafka, its outcome comes as events */
    @Schema(name = "CommandAccepted", example = "{\"commandId\":\"c-7f3a-1\",\"status\":\"accepted\"}")
    record Accepted(String commandId, String status) {
    }
}
