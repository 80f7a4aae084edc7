package dev.chatcentral.schemas.outbound;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What became of an {@link OutboundMessage}, as kept in {@code chat.outbound.results} (key = empresaId, so the
 * conversa topology reads it in the partition of the empresa's conversas).
 *
 * @param status  {@link #SENT}: WhatsApp has it; {@link #FAILED}: it was not sent and may be sent again;
 *                {@link #UNCONFIRMED}: the request may have reached Evolution and no answer said whether it was
 *                sent, so sending it again could give the customer two copies
 * @param keyId   for SENT: the {@code key.id} Evolution answered with (or found when it looked the message up)
 * @param error   for FAILED and UNCONFIRMED: why, for people
 * @param reason  for FAILED and UNCONFIRMED: why, as a code ({@code instance_unavailable}, {@code not_on_whatsapp},
 *                {@code unauthorized}, {@code rejected}, {@code retries_exhausted}, {@code invalid},
 *                {@code foreign_instance}, {@code no_answer}, {@code unknown_outcome}); null on records written
 *                before it was added
 * @param retryAt with {@code instance_unavailable}: when the instance's circuit lets a call through again
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
        Instant ts,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant retryAt) {

    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String UNCONFIRMED = "UNCONFIRMED";

    /** The instance's circuit is open: nothing was called, so the send used none of its attempts. */
    public static final String INSTANCE_UNAVAILABLE = "instance_unavailable";

    public OutboundResult(String commandId, String mensagemId, String conversaId, String empresaId, String instance,
                          String status, String keyId, String error, int attempts, Instant ts) {
        this(commandId, mensagemId, conversaId, empresaId, instance, status, keyId, error, attempts, ts, null, null);
    }
}
