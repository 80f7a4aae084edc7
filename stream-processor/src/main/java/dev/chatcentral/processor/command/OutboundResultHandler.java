package dev.chatcentral.processor.command;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Applies what the dispatcher reports about a reply (docs/commands.md). SENT gives the mensagem WhatsApp's keyId and
 * moves it to SERVER_ACK; from then on it is indexed and deduplicated under that keyId, so the {@code send.message}
 * echo and the receipts of that key apply to this mensagem and never make a second one. FAILED moves it to ERROR with
 * the reason, for the atendente to resend. A result applies only to the send it names while that send is awaited, so
 * a repeated or stale result changes nothing.
 */
public final class OutboundResultHandler {

    private static final Logger log = LoggerFactory.getLogger(OutboundResultHandler.class);

    private final Conversas conversas;
    private final MensagemIndex mensagens;
    private final PendingSends sends;
    private final DedupeWindow seenWebhooks;

    public OutboundResultHandler(Conversas conversas, MensagemIndex mensagens, PendingSends sends,
                                 DedupeWindow seenWebhooks) {
        this.conversas = conversas;
        this.mensagens = mensagens;
        this.sends = sends;
        this.seenWebhooks = seenWebhooks;
    }

    /**
     * @param empresaId the record's key
     * @throws InvalidCommandException when the result is malformed
     */
    public Effects handle(String empresaId, OutboundResult result, long timestamp, long nowMillis) {
        validate(empresaId, result);
        MensagemIndex.Entry entry = mensagens.byId(result.mensagemId());
        PendingSend pending = entry == null ? null : sends.get(entry.conversaKey(), result.mensagemId());
        if (pending == null || !pending.awaitingResult()
                || !pending.message().commandId().equals(result.commandId())) {
            log.info("ignoring {} result of send {} for mensagem {}: that send is not awaited", result.status(),
                    result.commandId(), result.mensagemId());
            return Effects.NONE;
        }
        Conversa conversa = conversas.get(entry.conversaKey());
        if (conversa == null) {
            throw new IllegalStateException("mensagem " + result.mensagemId() + " has no conversa "
                    + entry.conversaKey());
        }
        Mensagem current = entry.mensagem();
        Instant at = Instant.ofEpochMilli(timestamp);
        String cause = DeterministicIds.resultCause(empresaId, result.mensagemId(), result.commandId());
        if (OutboundResult.SENT.equals(result.status())) {
            Mensagem sent = Replies.with(current, MensagemStatus.SERVER_ACK, result.keyId());
            return Effects.builder()
                    .write(() -> mensagens.put(sent, entry.conversaKey(), nowMillis))
                    // the send.message echo (and a fromMe upsert) of this key is this mensagem, not a new one
                    .write(() -> seenWebhooks.remember(DedupeWindow.messageKey(empresaId, sent.instance(),
                            result.keyId(), true), nowMillis))
                    .write(() -> sends.remove(entry.conversaKey(), sent.mensagemId()))
                    .mensagem(sent)
                    .event(ConversaEvents.messageStatus(conversa, sent, current.status(), at, cause, null))
                    .workOff(entry.conversaKey())
                    .build();
        }
        Mensagem failed = Replies.with(current, MensagemStatus.ERROR, current.keyId());
        String error = result.error() != null ? result.error() : "the reply could not be delivered";
        return Effects.builder()
                .write(() -> mensagens.put(failed, entry.conversaKey(), nowMillis))
                .write(() -> sends.put(entry.conversaKey(), new PendingSend(pending.message(), false, nowMillis)))
                .mensagem(failed)
                .event(ConversaEvents.messageStatus(conversa, failed, current.status(), at, cause, error))
                // parked company mensagens waited for this result; they are not this reply, so they go on now
                .workOff(entry.conversaKey())
                .build();
    }

    private static void validate(String empresaId, OutboundResult result) {
        if (result == null || result.commandId() == null || result.mensagemId() == null) {
            throw new InvalidCommandException("outbound result of empresa " + empresaId
                    + " names no send (commandId, mensagemId)");
        }
        if (!empresaId.equals(result.empresaId())) {
            throw new InvalidCommandException("outbound result " + result.commandId() + " has empresaId "
                    + result.empresaId() + ", not its record key " + empresaId);
        }
        boolean sent = OutboundResult.SENT.equals(result.status());
        if (!sent && !OutboundResult.FAILED.equals(result.status())) {
            throw new InvalidCommandException("outbound result " + result.commandId() + " has status "
                    + result.status() + ", neither SENT nor FAILED");
        }
        if (sent && (result.keyId() == null || result.keyId().isBlank())) {
            throw new InvalidCommandException("outbound result " + result.commandId() + " is SENT without a keyId");
        }
    }
}
