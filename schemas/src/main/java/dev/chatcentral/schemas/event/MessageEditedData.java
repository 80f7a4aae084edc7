package dev.chatcentral.schemas.event;

import java.time.Instant;

/**
 * {@code data} of a {@code message_edited} event: WhatsApp's sender edited a mensagem.
 *
 * @param originalText the text before its first edit
 */
public record MessageEditedData(String conversaId, String mensagemId, String keyId, boolean fromMe, String text,
                                String originalText, Instant editedAt) {
}
