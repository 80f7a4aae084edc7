package dev.chatcentral.processor.command;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

import dev.chatcentral.processor.command.PendingSends.PendingSend;
import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * Settles a reply whose send may or may not have reached WhatsApp, by WhatsApp's own word: a company mensagem of the
 * same conversa (Evolution's {@code send.message}, or a {@code fromMe} {@code messages.upsert}) with the reply's text
 * is that reply, arrived by another way. It gives the reply its WhatsApp key (so the key's receipts move it on) and is
 * never a second mensagem. Only replies whose fate was uncertain are candidates: an UNCONFIRMED one, or one that
 * became ERROR because no answer or evidence came; a reply refused for sure (not on WhatsApp, an open circuit) is not.
 */
public final class ReplyEvidence {

    /** The ERROR reasons that leave open whether WhatsApp took the reply. */
    private static final Set<String> UNCERTAIN = Set.of(OutboundResultHandler.NO_EVIDENCE, "no_answer",
            "unknown_outcome", OutboundResult.UNCONFIRMED);

    private final Conversas conversas;
    private final MensagemIndex mensagens;
    private final PendingSends sends;
    private final DedupeWindow seenWebhooks;

    public ReplyEvidence(Conversas conversas, MensagemIndex mensagens, PendingSends sends,
                         DedupeWindow seenWebhooks) {
        this.conversas = conversas;
        this.mensagens = mensagens;
        this.sends = sends;
        this.seenWebhooks = seenWebhooks;
    }

    /**
     * The effects of linking a company mensagem to the uncertain reply it is the echo of, or null when it is the echo
     * of none (then it is a mensagem of its own).
     *
     * @param conversaKey its conversa
     * @param reported    the status its webhook reported, or null
     */
    public Effects link(String conversaKey, String keyId, String text, MensagemStatus reported, Instant at,
                        long nowMillis) {
        MensagemIndex.Entry reply = sends.settledWithoutKey(conversaKey).stream()
                .map(send -> mensagens.byId(send.message().mensagemId()))
                .filter(entry -> entry != null && uncertain(entry.mensagem()) && sameText(entry.mensagem(), text))
                .min(Comparator.comparing((MensagemIndex.Entry entry) -> entry.mensagem().sentAt()))
                .orElse(null);
        Conversa conversa = reply == null ? null : conversas.get(reply.conversaKey());
        if (conversa == null) {
            return null;
        }
        Mensagem current = reply.mensagem();
        PendingSend send = sends.get(reply.conversaKey(), current.mensagemId());
        // WhatsApp's server has it, whatever the echo says of the moment it was taken
        MensagemStatus status = reported != null && reported.rank() > MensagemStatus.SERVER_ACK.rank() ? reported
                : MensagemStatus.SERVER_ACK;
        Mensagem linked = current.withDelivery(status, keyId, null, null, null);
        String cause = DeterministicIds.resultCause(current.empresaId(), current.mensagemId(), "echo:" + keyId);
        return Effects.builder()
                .write(() -> mensagens.put(linked, reply.conversaKey(), nowMillis))
                .write(() -> seenWebhooks.remember(DedupeWindow.messageKey(current.empresaId(), current.instance(),
                        keyId, true), nowMillis))
                .write(() -> sends.remove(reply.conversaKey(), send))
                .mensagem(linked)
                .event(ConversaEvents.messageStatus(conversa, linked, current.status(), at, cause))
                .workOff(reply.conversaKey())
                .build();
    }

    private static boolean uncertain(Mensagem reply) {
        if (!Replies.hasProvisionalKeyId(reply)) {
            return false;
        }
        return reply.status() == MensagemStatus.UNCONFIRMED
                || (reply.status() == MensagemStatus.ERROR && UNCERTAIN.contains(reply.statusReason()));
    }

    /** Evolution and WhatsApp may trim what they were given. */
    private static boolean sameText(Mensagem reply, String text) {
        return reply.text() != null && text != null && Objects.equals(reply.text().strip(), text.strip());
    }
}
