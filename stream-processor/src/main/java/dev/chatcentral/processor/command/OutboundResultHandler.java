package dev.chatcentral.processor.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.command.PendingSends.PendingSend;
import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.conversa.MensagemRevisions;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * Applies what the dispatcher reports about a send (docs/commands.md).
 *
 * <p>For a reply: SENT gives the mensagem WhatsApp's keyId and moves it to SERVER_ACK; from then on it is indexed and
 * deduplicated under that keyId, so the {@code send.message} echo and the receipts of that key apply to this mensagem
 * and never make a second one. FAILED moves it to ERROR with the reason, for the atendente to resend (an open circuit
 * says when). UNCONFIRMED, a request that may have reached WhatsApp, moves it to UNCONFIRMED until evidence settles
 * it ({@link ReplyEvidence}) or the window ends ({@link #settleOverdue}).
 *
 * <p>For a reaction or a deletion: SENT applies it to its mensagem (its webhook echo, arriving before or after, then
 * changes nothing); FAILED tells the atendente why. A result applies only to the send it names while that send is
 * awaited, so a repeated or stale result changes nothing.
 */
public final class OutboundResultHandler {

    /** Why an unconfirmed reply became ERROR: the window passed without evidence either way. */
    public static final String NO_EVIDENCE = "no_evidence";

    private static final Logger log = LoggerFactory.getLogger(OutboundResultHandler.class);
    private static final List<String> KINDS = List.of(OutboundMessage.REPLY, OutboundMessage.REACTION,
            OutboundMessage.DELETE);

    private final Conversas conversas;
    private final MensagemIndex mensagens;
    private final PendingSends sends;
    private final DedupeWindow seenWebhooks;
    private final MensagemRevisions revisions;
    private final Duration unconfirmedWindow;

    public OutboundResultHandler(Conversas conversas, MensagemIndex mensagens, PendingSends sends,
                                 DedupeWindow seenWebhooks, Duration unconfirmedWindow) {
        this.conversas = conversas;
        this.mensagens = mensagens;
        this.sends = sends;
        this.seenWebhooks = seenWebhooks;
        this.revisions = new MensagemRevisions(mensagens);
        this.unconfirmedWindow = unconfirmedWindow;
    }

    /**
     * @param empresaId the record's key
     * @throws InvalidCommandException when the result is malformed
     */
    public Effects handle(String empresaId, OutboundResult result, long timestamp, long nowMillis) {
        validate(empresaId, result);
        MensagemIndex.Entry entry = mensagens.byId(result.mensagemId());
        PendingSend pending = entry == null ? null : awaited(entry.conversaKey(), result);
        if (pending == null) {
            log.info("ignoring {} result of send {} for mensagem {}: that send is not awaited", result.status(),
                    result.commandId(), result.mensagemId());
            return Effects.NONE;
        }
        Conversa conversa = conversas.get(entry.conversaKey());
        if (conversa == null) {
            throw new IllegalStateException("mensagem " + result.mensagemId() + " has no conversa "
                    + entry.conversaKey());
        }
        Instant at = Instant.ofEpochMilli(timestamp);
        if (!pending.reply()) {
            return action(entry, conversa, pending, result, at, nowMillis);
        }
        String cause = DeterministicIds.resultCause(empresaId, result.mensagemId(), result.commandId());
        return switch (result.status()) {
            case OutboundResult.SENT -> sent(entry, conversa, pending, result, cause, at, nowMillis);
            case OutboundResult.UNCONFIRMED -> unconfirmed(entry, conversa, pending, result, cause, at, nowMillis);
            default -> failed(entry, conversa, pending, result, cause, at, nowMillis);
        };
    }

    /**
     * Unconfirmed replies whose window passed without evidence become ERROR (no_evidence): now they may be resent,
     * and a later echo of them is still theirs ({@link ReplyEvidence}).
     */
    public Effects settleOverdue(long nowMillis) {
        Effects.Builder effects = Effects.builder();
        for (PendingSends.Overdue overdue : sends.overdue(nowMillis)) {
            PendingSend send = overdue.send();
            MensagemIndex.Entry entry = mensagens.byId(send.message().mensagemId());
            Conversa conversa = entry == null ? null : conversas.get(entry.conversaKey());
            if (conversa == null || entry.mensagem().status() != MensagemStatus.UNCONFIRMED) {
                effects.write(() -> sends.forget(overdue));
                continue;
            }
            Mensagem current = entry.mensagem();
            Mensagem failed = current.withDelivery(MensagemStatus.ERROR, current.keyId(), NO_EVIDENCE,
                    "no sign within " + unconfirmedWindow.toSeconds() + " s that WhatsApp received it: resend it"
                            + " if the customer did not get it", null);
            String cause = DeterministicIds.resultCause(current.empresaId(), current.mensagemId(),
                    send.message().commandId() + "@" + NO_EVIDENCE);
            effects.write(() -> mensagens.put(failed, entry.conversaKey(), nowMillis))
                    .write(() -> sends.put(entry.conversaKey(), new PendingSend(send.message(), false, nowMillis)))
                    .mensagem(failed)
                    .event(ConversaEvents.messageStatus(conversa, failed, current.status(),
                            Instant.ofEpochMilli(nowMillis), cause));
        }
        return effects.build();
    }

    private PendingSend awaited(String conversaKey, OutboundResult result) {
        for (String kind : KINDS) {
            PendingSend pending = sends.get(conversaKey, result.mensagemId(), kind);
            if (pending != null && pending.awaitingResult()
                    && pending.message().commandId().equals(result.commandId())) {
                return pending;
            }
        }
        return null;
    }

    private Effects sent(MensagemIndex.Entry entry, Conversa conversa, PendingSend pending, OutboundResult result,
                         String cause, Instant at, long nowMillis) {
        Mensagem current = entry.mensagem();
        Mensagem sent = current.withDelivery(MensagemStatus.SERVER_ACK, result.keyId(), null, null, null);
        return Effects.builder()
                .write(() -> mensagens.put(sent, entry.conversaKey(), nowMillis))
                // the send.message echo (and a fromMe upsert) of this key is this mensagem, not a new one
                .write(() -> seenWebhooks.remember(DedupeWindow.messageKey(current.empresaId(), sent.instance(),
                        result.keyId(), true), nowMillis))
                .write(() -> sends.remove(entry.conversaKey(), pending))
                .mensagem(sent)
                .event(ConversaEvents.messageStatus(conversa, sent, current.status(), at, cause))
                .workOff(entry.conversaKey())
                .build();
    }

    private Effects unconfirmed(MensagemIndex.Entry entry, Conversa conversa, PendingSend pending,
                                OutboundResult result, String cause, Instant at, long nowMillis) {
        Mensagem current = entry.mensagem();
        Mensagem unconfirmed = current.withDelivery(MensagemStatus.UNCONFIRMED, current.keyId(),
                result.reason() != null ? result.reason() : OutboundResult.UNCONFIRMED,
                result.error() != null ? result.error() : "no answer said whether WhatsApp received it", null);
        PendingSend waiting = new PendingSend(pending.message(), false, nowMillis,
                nowMillis + unconfirmedWindow.toMillis());
        return Effects.builder()
                .write(() -> mensagens.put(unconfirmed, entry.conversaKey(), nowMillis))
                .write(() -> sends.put(entry.conversaKey(), waiting))
                .mensagem(unconfirmed)
                .event(ConversaEvents.messageStatus(conversa, unconfirmed, current.status(), at, cause))
                // company mensagens parked while it awaited its result may be its echo: they are tried now
                .workOff(entry.conversaKey())
                .build();
    }

    private Effects failed(MensagemIndex.Entry entry, Conversa conversa, PendingSend pending, OutboundResult result,
                           String cause, Instant at, long nowMillis) {
        Mensagem current = entry.mensagem();
        Mensagem failed = current.withDelivery(MensagemStatus.ERROR, current.keyId(),
                result.reason() != null ? result.reason() : "failed",
                result.error() != null ? result.error() : "the reply could not be delivered", result.retryAt());
        return Effects.builder()
                .write(() -> mensagens.put(failed, entry.conversaKey(), nowMillis))
                .write(() -> sends.put(entry.conversaKey(), new PendingSend(pending.message(), false, nowMillis)))
                .mensagem(failed)
                .event(ConversaEvents.messageStatus(conversa, failed, current.status(), at, cause))
                // parked company mensagens waited for this result; they are not this reply, so they go on now
                .workOff(entry.conversaKey())
                .build();
    }

    /** A reaction or a deletion: applied once WhatsApp has it; a refusal is told to the atendente who asked. */
    private Effects action(MensagemIndex.Entry entry, Conversa conversa, PendingSend pending, OutboundResult result,
                           Instant at, long nowMillis) {
        OutboundMessage message = pending.message();
        Effects done = Effects.builder().write(() -> sends.remove(entry.conversaKey(), pending)).build();
        if (OutboundResult.SENT.equals(result.status())) {
            Effects applied = OutboundMessage.REACTION.equals(message.kind())
                    ? revisions.react(entry, conversa, Reaction.COMPANY, true,
                            message.text().isEmpty() ? null : message.text(), at, nowMillis)
                    : revisions.delete(entry, conversa, at, nowMillis);
            return applied.then(done);
        }
        if (OutboundResult.UNCONFIRMED.equals(result.status())) {
            // its webhook echo, if WhatsApp took it, applies it; nothing to tell before
            return done;
        }
        String why = result.error() != null ? result.error() : "Evolution did not take it";
        return Effects.builder()
                .event(CommandEvents.actionFailed(conversa, message, result.reason(), why, at))
                .build()
                .then(done);
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
        if (!sent && !OutboundResult.FAILED.equals(result.status())
                && !OutboundResult.UNCONFIRMED.equals(result.status())) {
            throw new InvalidCommandException("outbound result " + result.commandId() + " has status "
                    + result.status() + ", not SENT, FAILED or UNCONFIRMED");
        }
        if (sent && (result.keyId() == null || result.keyId().isBlank())) {
            throw new InvalidCommandException("outbound result " + result.commandId() + " is SENT without a keyId");
        }
    }
}
