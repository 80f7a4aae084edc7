package dev.chatcentral.schemas.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.chatcentral.schemas.conversa.MensagemStatus;

/**
 * {@code data} of a {@code message_status} event: a mensagem's delivery status moved forward, to ERROR or to
 * UNCONFIRMED.
 *
 * @param keyId          WhatsApp's message id, as in the mensagem
 * @param previousStatus the status it had before this receipt
 * @param reason         with ERROR or UNCONFIRMED: why, as a code (see {@code Mensagem#statusReason})
 * @param error          with ERROR or UNCONFIRMED: why, for people
 * @param retryAt        with {@code instance_unavailable}: when a resend can get through
 */
public record MessageStatusData(
        String conversaId,
        String mensagemId,
        String keyId,
        boolean fromMe,
        MensagemStatus status,
        MensagemStatus previousStatus,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant retryAt) {

    public MessageStatusData(String conversaId, String mensagemId, String keyId, boolean fromMe,
                             MensagemStatus status, MensagemStatus previousStatus) {
        this(conversaId, mensagemId, keyId, fromMe, status, previousStatus, null, null, null);
    }
}
