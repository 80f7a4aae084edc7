package dev.chatcentral.processor.conversa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

/** Turns a parsed {@code messages.upsert} into the mensagem chat-central keeps. */
public final class Mensagens {

    /** WhatsApp did not exist before this; an earlier timestamp is a broken one. */
    static final Instant EARLIEST_SENT_AT = Instant.parse("2009-01-01T00:00:00Z");
    /** Phones' clocks are wrong by hours at times, never by more than this in the future of our own. */
    static final Duration LATEST_SENT_AT_AHEAD = Duration.ofDays(1);

    private Mensagens() {
    }

    /**
     * @param receivedAt when the webhook reached chat-central; also stands in for a missing WhatsApp timestamp, and
     *                   for one outside the sane range (which is flagged in {@link Mensagem#sanitized()})
     */
    public static Mensagem fromUpsert(String empresaId, MessageUpsert upsert, String conversaId, Instant receivedAt) {
        Instant sentAt = upsert.sentAt();
        List<String> sanitized = upsert.sanitized();
        if (sentAt != null && !saneSentAt(sentAt, receivedAt)) {
            sentAt = null;
            sanitized = Stream.concat(sanitized.stream(), Stream.of(Mensagem.SENT_AT)).distinct().toList();
        }
        return new Mensagem(
                DeterministicIds.mensagemId(empresaId, upsert.instance(), upsert.keyId(), upsert.fromMe()),
                conversaId,
                empresaId,
                upsert.instance(),
                upsert.keyId(),
                upsert.fromMe(),
                sender(upsert),
                upsert.pushName(),
                upsert.messageType(),
                upsert.text(),
                status(upsert),
                sentAt != null ? sentAt : receivedAt,
                receivedAt,
                sanitized);
    }

    /** Whether WhatsApp's time of something received at {@code receivedAt} is within what a phone's clock gives. */
    public static boolean saneSentAt(Instant sentAt, Instant receivedAt) {
        return !sentAt.isBefore(EARLIEST_SENT_AT) && !sentAt.isAfter(receivedAt.plus(LATEST_SENT_AT_AHEAD));
    }

    /** Why a mensagem is ERROR when WhatsApp's own receipt said so. */
    static final String WHATSAPP_ERROR = "whatsapp_error";

    /**
     * The mensagem after a receipt, or null when the receipt would not move its status (an older receipt arriving
     * late, ERROR after delivery). A receipt of delivery moves a failed or unconfirmed reply on: it is WhatsApp's word.
     */
    public static Mensagem withStatus(Mensagem mensagem, MensagemStatus next) {
        if (!mensagem.status().canMoveTo(next)) {
            return null;
        }
        return mensagem.withDelivery(next, mensagem.keyId(), WHATSAPP_ERROR,
                "WhatsApp reported that it could not deliver it", null);
    }

    private static String sender(MessageUpsert upsert) {
        if (upsert.fromMe()) {
            return upsert.ownJid();
        }
        return upsert.isGroup() ? upsert.participant() : upsert.customerAddress();
    }

    /**
     * A customer's message reached us, so it is delivered; a company message carries its own status (sendText's
     * answer says PENDING), and one typed on the phone was at least accepted by WhatsApp's server when Evolution
     * saw it.
     */
    private static MensagemStatus status(MessageUpsert upsert) {
        if (!upsert.fromMe()) {
            return MensagemStatus.DELIVERY_ACK;
        }
        MensagemStatus reported = MensagemStatus.evolutionNamed(upsert.reportedStatus());
        return reported != null ? reported : MensagemStatus.SERVER_ACK;
    }
}
