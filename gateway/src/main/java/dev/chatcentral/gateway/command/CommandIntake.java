package dev.chatcentral.gateway.command;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.channel.ConversaDirectory;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.service.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Takes an atendente's command from any transport: checks its shape and that the conversa is of the caller's
 * empresa, stamps it with who issued it (from the token, never from the client) and writes it to
 * {@code chat.commands}. Whether the conversa's state allows it (assigned to whom, open or closed, the assign race)
 * is decided by the stream-processor, which answers with events, {@code command_rejected} on the issuer's
 * {@code atendente:} channel among them.
 */
@Component
public class CommandIntake {

    /** Counter of commands by {@code command} type and {@code outcome}. */
    public static final String COMMANDS = "chatcentral.gateway.commands";

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    private final ConversaDirectory conversas;
    private final CommandPublisher publisher;
    private final CommandProperties properties;
    private final MeterRegistry metrics;

    CommandIntake(ConversaDirectory conversas, CommandPublisher publisher, CommandProperties properties,
                  MeterRegistry metrics) {
        this.conversas = conversas;
        this.publisher = publisher;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * Checks the command at once (on the caller's thread, so a client's commands are written in the order it sent
     * them) and writes it.
     *
     * @return completes with the command as written once Kafka acknowledged it; fails with a
     *         {@link CommandRefusedException} when it was refused or not acknowledged within the ack timeout
     */
    public CompletableFuture<AgentCommand> submit(Agent agent, JsonNode body) {
        try (LogContext logContext = LogContext.open().put(LogContext.EMPRESA_ID, agent.empresaId())
                .put(LogContext.COMMAND_ID, body.path("commandId").asString(null))) {
            return submitInContext(agent, body);
        }
    }

    private CompletableFuture<AgentCommand> submitInContext(Agent agent, JsonNode body) {
        CommandRequest request;
        try {
            request = CommandRequest.parse(body);
            owned(agent, request);
        } catch (CommandRefusedException e) {
            count(body, e.reason().name());
            return CompletableFuture.failedFuture(e);
        }
        AgentCommand command = new AgentCommand(request.commandId(), agent.empresaId(), agent.userId(),
                agent.roles().stream().map(Role::claim).sorted().toList(), request.command(), request.conversaId(),
                request.targetAtendenteId(), request.text(), request.quotedMensagemId(), request.mensagemId(),
                Instant.now(), request.emoji());
        return publisher.publish(command)
                .orTimeout(properties.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((written, e) -> {
                    if (e != null) {
                        try (LogContext callback = LogContext.open().put(LogContext.EMPRESA_ID, command.empresaId())
                                .put(LogContext.COMMAND_ID, command.commandId())) {
                            log.warn("command {} of user {} of empresa {} not written: {}", command.commandId(),
                                    command.userId(), command.empresaId(), e.toString());
                        }
                        count(body, CommandRefusedException.Reason.UNAVAILABLE.name());
                        throw new CommandRefusedException(CommandRefusedException.Reason.UNAVAILABLE,
                                command.commandId(), "the command could not be written now: send it again, with "
                                + "the same commandId");
                    }
                    count(body, "accepted");
                    return command;
                });
    }

    private void owned(Agent agent, CommandRequest request) {
        boolean owned;
        try {
            owned = conversas.belongsTo(request.conversaId(), agent.empresaId());
        } catch (DataAccessException e) {
            log.warn("cannot check conversa {} for empresa {}: {}", request.conversaId(), agent.empresaId(),
                    e.getMessage());
            throw new CommandRefusedException(CommandRefusedException.Reason.UNAVAILABLE, request.commandId(),
                    "cannot check the conversa now: send the command again");
        }
        if (!owned) {
            throw new CommandRefusedException(CommandRefusedException.Reason.FOREIGN_CONVERSA, request.commandId(),
                    "no such conversa in your empresa");
        }
    }

    /** The type tag is one of the known types or "unknown", so a client cannot grow the meter's tags. */
    private void count(JsonNode body, String outcome) {
        JsonNode type = body == null ? null : body.get("command");
        String command = type != null && type.isString() && AgentCommand.TYPES.contains(type.stringValue())
                ? type.stringValue() : "unknown";
        metrics.counter(COMMANDS, "command", command, "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
    }
}
