package dev.chatcentral.gateway.command;

import java.util.Locale;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.command.AgentCommand;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A command as the client sends it (the WebSocket {@code command} frame, or the body of
 * {@code POST /api/v1/commands}), checked for shape only: whether the conversa allows it is the stream-processor's
 * to decide. Fields a command type does not use are ignored, and are not forwarded.
 */
@Schema(name = "Command", description = "An atendente's command; who issues it always comes from the token")
public record CommandRequest(
        @Schema(description = "the client's id of this command: the same id sent twice acts once",
                pattern = "^[A-Za-z0-9_.:-]{1,64}$", example = "c-7f3a-1", requiredMode = Schema.RequiredMode.REQUIRED)
        String commandId,
        @Schema(allowableValues = {AgentCommand.TRANSFER, AgentCommand.ASSIGN, AgentCommand.CLOSE,
                AgentCommand.REOPEN, AgentCommand.SEND_MESSAGE, AgentCommand.RESEND, AgentCommand.REACT,
                AgentCommand.DELETE},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String command,
        @Schema(format = "uuid", description = "a conversa of the caller's empresa",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String conversaId,
        @Schema(description = "transfer only, and required there: the atendente (user id) who receives the conversa, "
                + "or null to put it back in the queue", nullable = true)
        String targetAtendenteId,
        @Schema(description = "send_message only, required there: the reply, not blank, at most 4096 characters")
        String text,
        @Schema(format = "uuid", description = "send_message only, optional: the mensagem being answered",
                nullable = true)
        String quotedMensagemId,
        @Schema(format = "uuid", description = "resend, react and delete, required there: the mensagem whose delivery "
                + "failed (resend), the mensagem reacted to (react), the empresa's own mensagem to delete for "
                + "everyone (delete)")
        String mensagemId,
        @Schema(description = "react only, required there: the reaction, at most 64 characters without control "
                + "characters, or the empty string to remove the empresa's reaction", example = "👍")
        String emoji) {

    /** Longest reply, in characters (code points, as a person counts them, so an emoji is one). */
    public static final int MAX_TEXT = 4096;

    /** Longest reaction, in code points: an emoji sequence (a family, a flag with its tags) is well below it. */
    public static final int MAX_EMOJI = 64;

    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** Strictly the canonical form: {@link java.util.UUID#fromString} also takes "1-1-1-1-1". */
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Reads and checks a command; ids come out in lower case, as the services write them.
     *
     * @throws CommandRefusedException with {@link CommandRefusedException.Reason#BAD_COMMAND} saying what is wrong
     */
    public static CommandRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw bad(null, "a command must be a JSON object");
        }
        JsonNode id = body.get("commandId");
        String commandId = id != null && id.isString() ? id.stringValue() : null;
        if (commandId == null || !COMMAND_ID.matcher(commandId).matches()) {
            throw bad(commandId, "\"commandId\" must be a string of 1 to 64 characters of A-Z a-z 0-9 _ . : -");
        }
        String command = required(body, "command", commandId);
        if (!AgentCommand.TYPES.contains(command)) {
            throw bad(commandId, "\"command\" must be one of " + String.join(", ", AgentCommand.TYPES));
        }
        String conversaId = uuid(body, "conversaId", commandId);
        return switch (command) {
            case AgentCommand.TRANSFER -> new CommandRequest(commandId, command, conversaId,
                    target(body, commandId), null, null, null, null);
            case AgentCommand.SEND_MESSAGE -> new CommandRequest(commandId, command, conversaId, null,
                    text(body, commandId), optionalUuid(body, "quotedMensagemId", commandId), null, null);
            case AgentCommand.RESEND, AgentCommand.DELETE -> new CommandRequest(commandId, command, conversaId, null,
                    null, null, uuid(body, "mensagemId", commandId), null);
            case AgentCommand.REACT -> new CommandRequest(commandId, command, conversaId, null, null, null,
                    uuid(body, "mensagemId", commandId), emoji(body, commandId));
            default -> new CommandRequest(commandId, command, conversaId, null, null, null, null, null);
        };
    }

    /**
     * Required, so that a client that forgot the field does not send a conversa back to the queue by accident:
     * explicit null means the queue.
     */
    private static String target(JsonNode body, String commandId) {
        JsonNode target = body.get("targetAtendenteId");
        if (target == null) {
            throw bad(commandId, "\"transfer\" needs \"targetAtendenteId\": an atendente's user id, or null to put "
                    + "the conversa back in the queue");
        }
        if (target.isNull()) {
            return null;
        }
        // the rules of a token's sub, since that is what user ids are
        if (!target.isString() || target.stringValue().isBlank() || target.stringValue().indexOf(':') >= 0) {
            throw bad(commandId, "\"targetAtendenteId\" must be null or a user id: not blank, without ':'");
        }
        return target.stringValue();
    }

    private static String text(JsonNode body, String commandId) {
        String text = required(body, "text", commandId);
        if (text.isBlank()) {
            throw bad(commandId, "\"text\" must not be blank");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw bad(commandId, "\"text\" must be at most " + MAX_TEXT + " characters");
        }
        return text;
    }

    /**
     * Empty removes the empresa's reaction. Not checked for being one emoji: WhatsApp decides what it shows, and
     * Unicode adds emoji every year; only what no reaction holds is refused, control characters (NUL among them)
     * and halves of a surrogate pair.
     */
    private static String emoji(JsonNode body, String commandId) {
        String emoji = required(body, "emoji", commandId);
        if (emoji.codePointCount(0, emoji.length()) > MAX_EMOJI) {
            throw bad(commandId, "\"emoji\" must be at most " + MAX_EMOJI + " characters");
        }
        boolean unprintable = emoji.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.SURROGATE);
        if (unprintable) {
            throw bad(commandId, "\"emoji\" must not contain control characters");
        }
        return emoji;
    }

    private static String uuid(JsonNode body, String field, String commandId) {
        String value = required(body, field, commandId);
        if (!UUID_TEXT.matcher(value).matches()) {
            throw bad(commandId, "\"" + field + "\" must be a UUID");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String optionalUuid(JsonNode body, String field, String commandId) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : uuid(body, field, commandId);
    }

    private static String required(JsonNode body, String field, String commandId) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString()) {
            throw bad(commandId, "\"" + field + "\" must be a string");
        }
        return value.stringValue();
    }

    private static CommandRefusedException bad(String commandId, String message) {
        return new CommandRefusedException(CommandRefusedException.Reason.BAD_COMMAND, commandId, message);
    }
}
