package dev.chatcentral.schemas.outbound;

import java.time.Instant;

/**
 * What became of an {@link OutboundMessage}, as kept in {@code chat.outbound.results} (key = empresaId, so the
 * conversa topology reads it in the partition of the empresa's conversas): sent, with the WhatsApp message id
 * ({@code key.id}) that links later receipts, or failed for good.
 *
 * @param status  {@link #SENT} or {@link #FAILED}
 * @param keyId   for SENT: the {@code key.id} Evolution answered with
 * @param error   for FAILED: why (not on WhatsApp, bad instance key, retries exhausted, outcome unknown after a
 *                dispatcher restart)
 */
public record OutboundResult(
        String commandId,
        String mensagemId,
        String conversaId,
        String empresaId,
        String instance,
        String status,
        String keyId,
        String error,
        int attempts,
        Instant ts) {

    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
}
