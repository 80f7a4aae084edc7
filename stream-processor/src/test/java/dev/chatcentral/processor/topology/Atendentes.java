package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;

import java.time.Instant;
import java.util.List;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/** Atendentes' commands on the one conversa of the tests, and the dispatcher's results, for topology tests. */
final class Atendentes {

    static final String ANA = "ana";
    static final List<String> ATENDENTE = List.of("atendente");
    static final String CONVERSA = DeterministicIds.conversaId(EMPRESA, INSTANCE, CUSTOMER_JID);

    private Atendentes() {
    }

    static AgentCommand command(String commandId, String type, String text, String mensagemId, String emoji) {
        return new AgentCommand(commandId, EMPRESA, ANA, ATENDENTE, type, CONVERSA, null, text, null, mensagemId,
                null, emoji);
    }

    static AgentCommand assign(String commandId) {
        return command(commandId, AgentCommand.ASSIGN, null, null, null);
    }

    static AgentCommand reply(String commandId, String text) {
        return command(commandId, AgentCommand.SEND_MESSAGE, text, null, null);
    }

    static AgentCommand resend(String commandId, String mensagemId) {
        return command(commandId, AgentCommand.RESEND, null, mensagemId, null);
    }

    static AgentCommand react(String commandId, String mensagemId, String emoji) {
        return command(commandId, AgentCommand.REACT, null, mensagemId, emoji);
    }

    static AgentCommand delete(String commandId, String mensagemId) {
        return command(commandId, AgentCommand.DELETE, null, mensagemId, null);
    }

    static OutboundResult result(OutboundMessage message, String status, String keyId, String reason, String error,
                                 Instant retryAt) {
        return new OutboundResult(message.commandId(), message.mensagemId(), message.conversaId(),
                message.empresaId(), message.instance(), status, keyId, error, OutboundResult.FAILED.equals(status)
                && OutboundResult.INSTANCE_UNAVAILABLE.equals(reason) ? 0 : 1, Instant.now(), reason, retryAt);
    }

    static OutboundResult sent(OutboundMessage message, String keyId) {
        return result(message, OutboundResult.SENT, keyId, null, null, null);
    }

    static OutboundResult unconfirmed(OutboundMessage message) {
        return result(message, OutboundResult.UNCONFIRMED, null, "no_answer",
                "Evolution did not answer within 10000 ms", null);
    }
}
