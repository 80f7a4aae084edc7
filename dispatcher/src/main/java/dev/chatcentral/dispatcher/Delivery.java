package dev.chatcentral.dispatcher;

import java.time.Instant;
import java.util.Locale;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * What became of one send: SENT with its WhatsApp {@code keyId}, FAILED (not sent) or UNCONFIRMED (maybe sent), the
 * last two with the reason the agent reads and its code.
 *
 * @param status   {@link OutboundResult#SENT}, {@link OutboundResult#FAILED} or {@link OutboundResult#UNCONFIRMED}
 * @param error    why, for people; for SENT, null or why the keyId is missing (receipts then cannot be linked)
 * @param attempts calls made to Evolution
 * @param reason   for FAILED and UNCONFIRMED: why, as a code
 * @param retryAt  for {@code instance_unavailable}: when the instance's circuit lets a call through again
 */
record Delivery(String status, String keyId, String error, int attempts, String reason, Instant retryAt) {

    static final String NO_ANSWER = "no_answer";
    static final String UNKNOWN_OUTCOME = "unknown_outcome";
    static final String INVALID = "invalid";
    static final String FOREIGN_INSTANCE = "foreign_instance";

    static Delivery sent(String keyId, String note, int attempts) {
        return new Delivery(OutboundResult.SENT, keyId, note, attempts, null, null);
    }

    static Delivery failed(String reason, String error, int attempts) {
        return new Delivery(OutboundResult.FAILED, null, error, attempts, reason, null);
    }

    /** The instance's circuit allowed no call: nothing was sent and no attempt used. */
    static Delivery unavailable(String error, Instant retryAt) {
        return new Delivery(OutboundResult.FAILED, null, error, 0, OutboundResult.INSTANCE_UNAVAILABLE, retryAt);
    }

    static Delivery unconfirmed(String reason, String error, int attempts) {
        return new Delivery(OutboundResult.UNCONFIRMED, null, error, attempts, reason, null);
    }

    boolean sent() {
        return OutboundResult.SENT.equals(status);
    }

    /** The {@code outcome} tag of the sends metric. */
    String outcome() {
        if (sent()) {
            return "sent";
        }
        return reason != null ? reason : status.toLowerCase(Locale.ROOT);
    }

    OutboundResult result(OutboundMessage message) {
        return new OutboundResult(message.commandId(), message.mensagemId(), message.conversaId(),
                message.empresaId(), message.instance(), status, keyId, error, attempts, Instant.now(), reason,
                retryAt);
    }
}
