package dev.chatcentral.schemas.conversa;

import java.time.Instant;

/**
 * The state of one conversa, as kept in the compacted topic {@code chat.conversas} (key = conversaId): each record
 * replaces the previous one. {@code version} grows by one per change, so a sink can ignore stale rewrites.
 *
 * @param remoteJid    the customer's WhatsApp address (phone JID or group JID)
 * @param remoteJidAlt the customer's other identifier when WhatsApp hides the phone behind a LID, else null
 */
public record Conversa(
        String conversaId,
        String empresaId,
        String instance,
        String remoteJid,
        String remoteJidAlt,
        String contactName,
        ConversaStatus status,
        String atendenteId,
        int unreadCount,
        String lastMensagemPreview,
        Instant lastMensagemAt,
        long version,
        Instant createdAt,
        Instant updatedAt) {
}
