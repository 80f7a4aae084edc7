package dev.chatcentral.schemas.event;

import java.time.Instant;

/** {@code data} of a {@code message_deleted} event: a mensagem was deleted for everyone (a WhatsApp revoke). */
public record MessageDeletedData(String conversaId, String mensagemId, String keyId, boolean fromMe,
                                 Instant deletedAt) {
}
