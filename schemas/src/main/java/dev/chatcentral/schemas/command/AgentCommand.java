package dev.chatcentral.schemas.command;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An atendente's command, as kept in {@code chat.commands} (key = empresaId, so an empresa's commands are
 * processed one after another, with its webhooks: two atendentes taking one conversa at once are decided in
 * that order). {@code commandId} is chosen by the client, so the same command sent twice acts once.
 *
 * @param commandId         the client's id of this command: 1 to 64 characters of {@code [A-Za-z0-9_.:-]}
 * @param userId            the atendente who issued it (the JWT's {@code sub}), never taken from the client's frame
 * @param roles             that atendente's roles (from the JWT), for the permission checks of the processor
 * @param type              one of {@link #TYPES}
 * @param targetAtendenteId for {@code transfer}: the atendente who receives it, or null for back to the queue
 * @param text              for {@code send_message}: the reply
 * @param quotedMensagemId  for {@code send_message}: the mensagem being answered, or null
 * @param mensagemId        for {@code resend}: the mensagem whose delivery failed; for {@code react}: the mensagem
 *                          reacted to; for {@code delete}: the empresa's own mensagem to delete for everyone
 * @param emoji             for {@code react}: the reaction, or empty to remove the empresa's reaction
 */
public record AgentCommand(
        String commandId,
        String empresaId,
        String userId,
        List<String> roles,
        String type,
        String conversaId,
        String targetAtendenteId,
        String text,
        String quotedMensagemId,
        String mensagemId,
        Instant issuedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String emoji) {

    public static final String TRANSFER = "transfer";
    public static final String ASSIGN = "assign";
    public static final String CLOSE = "close";
    public static final String REOPEN = "reopen";
    public static final String SEND_MESSAGE = "send_message";
    public static final String RESEND = "resend";
    public static final String REACT = "react";
    public static final String DELETE = "delete";
    public static final List<String> TYPES = List.of(TRANSFER, ASSIGN, CLOSE, REOPEN, SEND_MESSAGE, RESEND, REACT,
            DELETE);

    /** A command of the types that existed before reactions. */
    public AgentCommand(String commandId, String empresaId, String userId, List<String> roles, String type,
                        String conversaId, String targetAtendenteId, String text, String quotedMensagemId,
                        String mensagemId, Instant issuedAt) {
        this(commandId, empresaId, userId, roles, type, conversaId, targetAtendenteId, text, quotedMensagemId,
                mensagemId, issuedAt, null);
    }
}
