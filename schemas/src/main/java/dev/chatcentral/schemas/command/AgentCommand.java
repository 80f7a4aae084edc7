package dev.chatcentral.schemas.command;

import java.time.Instant;

/**
 * An atendente's command, as kept in {@code chat.commands} (key = empresaId). {@code commandId} is chosen by the
 * client so the same command sent twice acts once.
 *
 * @param type              {@code transfer}, {@code assign}, {@code close}, {@code reopen} or {@code send_message}
 * @param targetAtendenteId for {@code transfer}: the atendente who receives it, or null for back to the queue
 * @param quotedMensagemId  for {@code send_message}: the mensagem being answered, or null
 */
public record AgentCommand(
        String commandId,
        String empresaId,
        String userId,
        String type,
        String conversaId,
        String targetAtendenteId,
        String text,
        String quotedMensagemId,
        Instant issuedAt) {
}
