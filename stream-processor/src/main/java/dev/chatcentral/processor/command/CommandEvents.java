package dev.chatcentral.processor.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.command.CommandRejectedData;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;

/** The realtime events of atendentes' commands (docs/commands.md); ids are derived from the command. */
public final class CommandEvents {

    private CommandEvents() {
    }

    /** A refusal, to the issuer alone. */
    public static RealtimeEvent rejected(String empresaId, AgentCommand command, RejectReason reason, String message,
                                         Instant ts) {
        CommandRejectedData data = new CommandRejectedData(command.commandId(), command.type(),
                command.conversaId(), reason.code(), message);
        // a malformed commandId is still answered, under an id of its own
        String cause = DeterministicIds.commandCause(empresaId, command.userId(), String.valueOf(command.commandId()));
        return new RealtimeEvent(DeterministicIds.eventId(cause, EventType.COMMAND_REJECTED), empresaId,
                EventType.COMMAND_REJECTED, List.of(Channel.atendente(command.userId())),
                Json.MAPPER.valueToTree(data), ts);
    }

    /**
     * A reaction or a deletion that the dispatcher could not carry out, to the atendente who asked: the command was
     * accepted, so it is answered the way a refused one is, with the dispatcher's reason.
     *
     * @param reason the dispatcher's code ({@code instance_unavailable}, {@code rejected}, ...), or null
     */
    public static RealtimeEvent actionFailed(Conversa conversa, OutboundMessage action, String reason,
                                             String message, Instant ts) {
        String type = OutboundMessage.REACTION.equals(action.kind()) ? AgentCommand.REACT : AgentCommand.DELETE;
        CommandRejectedData data = new CommandRejectedData(action.commandId(), type, conversa.conversaId(),
                reason != null ? reason : "failed", message);
        String cause = DeterministicIds.commandCause(conversa.empresaId(), action.userId(), action.commandId());
        return new RealtimeEvent(DeterministicIds.eventId(cause + "@result", EventType.COMMAND_REJECTED),
                conversa.empresaId(), EventType.COMMAND_REJECTED, List.of(Channel.atendente(action.userId())),
                Json.MAPPER.valueToTree(data), ts);
    }

    /**
     * A transfer: to the atendente who receives the conversa (a direct notification) and to the empresa; the
     * {@code conversation_updated} beside it moves the conversa in everyone's lists.
     *
     * @param from the atendente it had, or null when it was waiting
     * @param to   the atendente it has now, or null when it went back to the queue
     * @param by   who transferred it
     */
    public static RealtimeEvent transferred(Conversa conversa, String from, String to, String by, String causeId,
                                            Instant ts) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("conversa", Json.MAPPER.valueToTree(conversa));
        data.put("from", from);
        data.put("to", to);
        data.put("by", by);
        List<String> channels = new ArrayList<>(2);
        if (to != null) {
            channels.add(Channel.atendente(to));
        }
        channels.add(Channel.empresa(conversa.empresaId()));
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.CONVERSATION_TRANSFERRED),
                conversa.empresaId(), EventType.CONVERSATION_TRANSFERRED, List.copyOf(channels), data, ts);
    }
}
