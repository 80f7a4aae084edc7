package dev.chatcentral.processor.command;

import java.time.Instant;
import java.util.List;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

/** An atendente's reply as a mensagem and as what the dispatcher sends to Evolution's sendText. */
public final class Replies {

    private static final String PHONE_SUFFIX = "@s.whatsapp.net";
    /** Marks a keyId chat-central made up: WhatsApp's ids are hex, so none of them starts like this. */
    public static final String PROVISIONAL_KEY_PREFIX = "pending:";

    private Replies() {
    }

    /**
     * A reply's keyId until WhatsApp gives it one: {@code pending:<mensagemId>}, unique like a real one, because the
     * mensagem is recorded (and unique by keyId in PostgreSQL) before it is sent. The dispatch result replaces it.
     */
    public static String provisionalKeyId(String mensagemId) {
        return PROVISIONAL_KEY_PREFIX + mensagemId;
    }

    public static boolean hasProvisionalKeyId(Mensagem mensagem) {
        return mensagem.keyId().startsWith(PROVISIONAL_KEY_PREFIX);
    }

    /**
     * sendText's {@code number}: the customer's phone digits when the conversa knows their phone JID (as
     * {@code remoteJid} or, behind a LID, as {@code remoteJidAlt}); otherwise the full JID, which Evolution also
     * takes (a group, or a customer known only by LID).
     */
    public static String number(Conversa conversa) {
        String jid = conversa.remoteJid();
        if (!jid.endsWith(PHONE_SUFFIX) && conversa.remoteJidAlt() != null
                && conversa.remoteJidAlt().endsWith(PHONE_SUFFIX)) {
            jid = conversa.remoteJidAlt();
        }
        return jid.endsWith(PHONE_SUFFIX) ? jid.substring(0, jid.length() - PHONE_SUFFIX.length()) : jid;
    }

    /** @param senderName the atendente's name, or their user id when no name is known */
    public static Mensagem mensagem(String mensagemId, Conversa conversa, String senderName, String text, Instant at) {
        return new Mensagem(mensagemId, conversa.conversaId(), conversa.empresaId(), conversa.instance(),
                provisionalKeyId(mensagemId), true, null, senderName, "conversation", text, MensagemStatus.PENDING,
                at, at, List.of());
    }
}
