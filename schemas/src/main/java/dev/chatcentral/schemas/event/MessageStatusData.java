package dev.chatcentral.schemas.event;

import dev.chatcentral.schemas.conversa.MensagemStatus;

/**
 * {@code data} of a {@code message_status} event: a mensagem's delivery status moved forward (or to ERROR).
 *
 * @param keyId          WhatsApp's message id, as in the mensagem
 * @param previousStatus the status it had before this receipt
 */
public record MessageStatusData(
        String conversaId,
        String mensagemId,
        String keyId,
        boolean fromMe,
        MensagemStatus status,
        MensagemStatus previousStatus) {
}
