package dev.chatcentral.processor.command;

import static dev.chatcentral.processor.command.RejectReason.INSTANCE_UNAVAILABLE;
import static dev.chatcentral.processor.command.RejectReason.INVALID_COMMAND;
import static dev.chatcentral.processor.command.RejectReason.INVALID_STATE;
import static dev.chatcentral.processor.command.RejectReason.NOT_FOUND;
import static dev.chatcentral.processor.command.RejectReason.UNCONFIRMED;

import java.time.Instant;

import dev.chatcentral.processor.command.KnownAtendentes.KnownAtendente;
import dev.chatcentral.processor.command.PendingSends.PendingSend;
import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.ConversaRules;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * Applies one atendente's command to the conversa state of its empresa's partition (docs/commands.md). Commands and
 * webhooks of an empresa are processed one at a time in this task, so two atendentes taking one conversa are decided
 * in the order their commands were written: the first wins, the second is refused. Everything is decided before any
 * store is written, so a failure leaves the state as it was.
 */
public final class CommandHandler {

    private final Conversas conversas;
    private final MensagemIndex mensagens;
    private final KnownAtendentes atendentes;
    private final PendingSends sends;
    private final DedupeWindow seenCommands;

    public CommandHandler(Conversas conversas, MensagemIndex mensagens, KnownAtendentes atendentes,
                          PendingSends sends, DedupeWindow seenCommands) {
        this.conversas = conversas;
        this.mensagens = mensagens;
        this.atendentes = atendentes;
        this.sends = sends;
        this.seenCommands = seenCommands;
    }

    /**
     * @param empresaId the record's key
     * @param timestamp the record's time: when the change happened, for the events and the conversa
     * @throws InvalidCommandException when the command names no issuer to answer
     */
    public Effects handle(String empresaId, AgentCommand command, long timestamp, long nowMillis) {
        if (command == null || !CommandRules.validUserId(command.userId())) {
            throw new InvalidCommandException("command " + (command == null ? null : command.commandId())
                    + " of empresa " + empresaId + " names no issuer (userId)");
        }
        Instant at = Instant.ofEpochMilli(timestamp);
        boolean identifiable = CommandRules.validCommandId(command.commandId());
        String dedupeKey = identifiable ? DedupeWindow.commandKey(empresaId, command.userId(), command.commandId()) : null;
        if (identifiable && seenCommands.seenWithinWindow(dedupeKey, nowMillis)) {
            return Effects.NONE;
        }
        if (empresaId.equals(command.empresaId())) {
            atendentes.issuedCommand(empresaId, command.userId());
        }
        Effects effects;
        try {
            CommandRules.validate(command, empresaId);
            effects = apply(empresaId, command, at, nowMillis);
        } catch (CommandRefusedException e) {
            effects = Effects.builder()
                    .event(CommandEvents.rejected(empresaId, command, e.reason(), e.getMessage(), at))
                    .build();
        }
        return identifiable ? effects.andWrite(() -> seenCommands.remember(dedupeKey, nowMillis)) : effects;
    }

    private Effects apply(String empresaId, AgentCommand command, Instant at, long nowMillis) {
        Conversa current = conversas.byId(command.conversaId());
        // an id of another empresa that shares this partition looks exactly like one that does not exist
        if (current == null || !empresaId.equals(current.empresaId())) {
            throw new CommandRefusedException(NOT_FOUND, "conversa " + command.conversaId() + " does not exist");
        }
        String cause = DeterministicIds.commandCause(empresaId, command.userId(), command.commandId());
        return switch (command.type()) {
            case AgentCommand.TRANSFER -> transfer(current, command, cause, at);
            case AgentCommand.ASSIGN -> assign(current, command.userId(), cause, at);
            case AgentCommand.CLOSE -> changed(CommandRules.close(current, command, at), cause, at);
            case AgentCommand.REOPEN -> changed(CommandRules.reopen(current, command, at), cause, at);
            case AgentCommand.SEND_MESSAGE -> sendMessage(current, command, at, nowMillis);
            case AgentCommand.RESEND -> resend(current, command, cause, at, nowMillis);
            case AgentCommand.REACT -> react(current, command, nowMillis);
            case AgentCommand.DELETE -> delete(current, command, nowMillis);
            default -> throw new IllegalStateException("validated type " + command.type());
        };
    }

    /**
     * {@code atendenteId} takes the waiting conversa {@code current}: an atendente's assign command, and automatic
     * assignment's decision alike, so both produce the same records and events.
     *
     * @throws CommandRefusedException when the conversa is closed or already has an atendente
     */
    public Effects assign(Conversa current, String atendenteId, String cause, Instant at) {
        return changed(CommandRules.assign(current, atendenteId, at), cause, at);
    }

    private Effects transfer(Conversa current, AgentCommand command, String cause, Instant at) {
        String target = command.targetAtendenteId();
        boolean known = target == null || atendentes.get(current.empresaId(), target) != null;
        return transferred(current, CommandRules.transfer(current, command, known, at), command.userId(), cause, at);
    }

    /**
     * The conversa of an atendente who stayed offline past the empresa's grace goes back to the queue, as a transfer
     * to the queue by nobody ({@code by} null) writes it.
     *
     * @throws CommandRefusedException when the conversa is closed or has no atendente
     */
    public Effects returnToQueue(Conversa current, String cause, Instant at) {
        return transferred(current, CommandRules.toQueue(current, at), null, cause, at);
    }

    private Effects transferred(Conversa current, Conversa next, String by, String cause, Instant at) {
        return Effects.builder()
                .write(() -> conversas.put(next))
                .conversa(next)
                .event(CommandEvents.transferred(next, current.atendenteId(), next.atendenteId(), by, cause, at))
                .event(ConversaEvents.conversationUpdated(next, cause, at))
                .build();
    }

    private Effects changed(Conversa next, String cause, Instant at) {
        return Effects.builder()
                .write(() -> conversas.put(next))
                .conversa(next)
                .event(ConversaEvents.conversationUpdated(next, cause, at))
                .build();
    }

    private Effects sendMessage(Conversa current, AgentCommand command, Instant at, long nowMillis) {
        CommandRules.requireMaySend(current, command);
        Mensagem quoted = null;
        if (command.quotedMensagemId() != null) {
            MensagemIndex.Entry entry = mensagens.byId(command.quotedMensagemId());
            if (entry == null || !entry.mensagem().conversaId().equals(current.conversaId())) {
                throw new CommandRefusedException(INVALID_COMMAND, "quoted mensagem " + command.quotedMensagemId()
                        + " is not a recent mensagem of conversa " + current.conversaId());
            }
            quoted = entry.mensagem();
            if (Replies.hasProvisionalKeyId(quoted)) {
                throw new CommandRefusedException(INVALID_STATE, "quoted mensagem " + quoted.mensagemId()
                        + " has not reached WhatsApp yet");
            }
        }
        String mensagemId = DeterministicIds.outboundMensagemId(current.empresaId(), command.userId(),
                command.commandId());
        // validated within MAX_TEXT; still cleaned of what no database or WhatsApp keeps
        String text = Texts.clean(command.text());
        Mensagem mensagem = Replies.mensagem(mensagemId, current, senderName(current.empresaId(), command.userId()),
                text, at);
        Conversa next = ConversaRules.onMensagem(current, Conversas.key(current), null, mensagem, at);
        OutboundMessage outbound = new OutboundMessage(command.commandId(), command.userId(), mensagemId,
                current.conversaId(), current.empresaId(), current.instance(), Replies.number(current), text,
                quoted != null ? quoted.keyId() : null, quoted != null ? quotedText(quoted) : null);

        String conversaKey = Conversas.storeKey(current);
        Effects.Builder effects = Effects.builder()
                .write(() -> mensagens.put(mensagem, conversaKey, nowMillis))
                .write(() -> sends.put(conversaKey, new PendingSend(outbound, true, nowMillis)))
                .mensagem(mensagem);
        if (next != current) {
            effects.write(() -> conversas.put(next)).conversa(next);
        }
        effects.event(ConversaEvents.messageNotification(next, mensagem, at));
        if (next != current) {
            effects.event(ConversaEvents.conversationUpdated(next, mensagemId, at));
        }
        return effects.outbound(outbound).build();
    }

    /**
     * Sends a failed reply again, as a new send (the resend's commandId) of the same mensagem. An unconfirmed reply is
     * not failed (WhatsApp may have it: a resend could give the customer two copies), and one refused by an open
     * circuit waits for the time the circuit named.
     */
    private Effects resend(Conversa conversa, AgentCommand command, String cause, Instant at, long nowMillis) {
        MensagemIndex.Entry entry = recentMensagem(conversa, command.mensagemId());
        CommandRules.requireMaySend(conversa, command);
        Mensagem failed = entry.mensagem();
        if (failed.fromMe() && failed.status() == MensagemStatus.UNCONFIRMED) {
            PendingSend waiting = sends.get(entry.conversaKey(), failed.mensagemId());
            throw new CommandRefusedException(UNCONFIRMED, "mensagem " + failed.mensagemId() + " may have reached "
                    + "WhatsApp (" + failed.statusDetail() + "); it cannot be resent until that is settled"
                    + (waiting != null && waiting.unconfirmed()
                            ? ", by " + Instant.ofEpochMilli(waiting.settleBy()) + " at the latest" : ""));
        }
        if (!failed.fromMe() || failed.status() != MensagemStatus.ERROR) {
            throw new CommandRefusedException(INVALID_STATE, "only a reply whose delivery failed can be resent; "
                    + "mensagem " + failed.mensagemId() + " is " + failed.status());
        }
        if (failed.retryAt() != null && at.isBefore(failed.retryAt())) {
            throw new CommandRefusedException(INSTANCE_UNAVAILABLE, "WhatsApp number " + conversa.instance()
                    + " is unavailable; try again after " + failed.retryAt());
        }
        if (failed.text() == null) {
            throw new CommandRefusedException(INVALID_STATE, "mensagem " + failed.mensagemId()
                    + " has no text to send again");
        }
        String conversaKey = entry.conversaKey();
        PendingSend previous = sends.get(conversaKey, failed.mensagemId());
        OutboundMessage outbound = new OutboundMessage(command.commandId(), command.userId(), failed.mensagemId(),
                conversa.conversaId(), conversa.empresaId(), conversa.instance(), Replies.number(conversa),
                failed.text(), previous != null ? previous.message().quotedKeyId() : null,
                previous != null ? previous.message().quotedText() : null);
        Mensagem pending = failed.withDelivery(MensagemStatus.PENDING, failed.keyId(), null, null, null);
        return Effects.builder()
                .write(() -> mensagens.put(pending, conversaKey, nowMillis))
                .write(() -> sends.put(conversaKey, new PendingSend(outbound, true, nowMillis)))
                .mensagem(pending)
                .event(ConversaEvents.messageStatus(conversa, pending, failed.status(), at, cause))
                .outbound(outbound)
                .build();
    }

    /**
     * The empresa's number reacts to a mensagem (or, with an empty emoji, takes its reaction back) through the
     * dispatcher; the mensagem shows it once WhatsApp has it (the result, or the webhook echo).
     */
    private Effects react(Conversa conversa, AgentCommand command, long nowMillis) {
        MensagemIndex.Entry entry = recentMensagem(conversa, command.mensagemId());
        CommandRules.requireMaySend(conversa, command);
        Mensagem target = onWhatsApp(entry.mensagem(), "react to");
        return action(conversa, command, entry, target, OutboundMessage.REACTION, command.emoji(), nowMillis);
    }

    /** Deletes one of the empresa's own mensagens for everyone, through the dispatcher. */
    private Effects delete(Conversa conversa, AgentCommand command, long nowMillis) {
        MensagemIndex.Entry entry = recentMensagem(conversa, command.mensagemId());
        CommandRules.requireMaySend(conversa, command);
        Mensagem target = onWhatsApp(entry.mensagem(), "delete");
        if (!target.fromMe()) {
            throw new CommandRefusedException(INVALID_STATE, "only the empresa's own mensagens can be deleted for "
                    + "everyone; mensagem " + target.mensagemId() + " is the customer's");
        }
        return action(conversa, command, entry, target, OutboundMessage.DELETE, null, nowMillis);
    }

    private Effects action(Conversa conversa, AgentCommand command, MensagemIndex.Entry entry, Mensagem target,
                           String kind, String text, long nowMillis) {
        // in a group, WhatsApp's key of someone else's message names its author
        String participant = conversa.remoteJid().endsWith("@g.us") && !target.fromMe() ? target.senderJid() : null;
        OutboundMessage outbound = new OutboundMessage(command.commandId(), command.userId(), target.mensagemId(),
                conversa.conversaId(), conversa.empresaId(), conversa.instance(), Replies.number(conversa), text,
                null, null, kind, new OutboundMessage.TargetKey(conversa.remoteJid(), target.fromMe(),
                        target.keyId(), participant));
        return Effects.builder()
                .write(() -> sends.put(entry.conversaKey(), new PendingSend(outbound, true, nowMillis)))
                .outbound(outbound)
                .build();
    }

    private MensagemIndex.Entry recentMensagem(Conversa conversa, String mensagemId) {
        MensagemIndex.Entry entry = mensagens.byId(mensagemId);
        if (entry == null || !entry.mensagem().conversaId().equals(conversa.conversaId())) {
            throw new CommandRefusedException(NOT_FOUND, "mensagem " + mensagemId
                    + " is not a recent mensagem of conversa " + conversa.conversaId());
        }
        return entry;
    }

    /** A reaction or a deletion names the mensagem by WhatsApp's key: it must have one, and still be there. */
    private static Mensagem onWhatsApp(Mensagem target, String what) {
        if (Replies.hasProvisionalKeyId(target)) {
            throw new CommandRefusedException(INVALID_STATE, "cannot " + what + " mensagem " + target.mensagemId()
                    + ": it has not reached WhatsApp");
        }
        if (target.deletedAt() != null) {
            throw new CommandRefusedException(INVALID_STATE, "cannot " + what + " mensagem " + target.mensagemId()
                    + ": it was deleted");
        }
        return target;
    }

    /** The excerpt of the quoted mensagem sent along, which WhatsApp shows above the reply. */
    private static String quotedText(Mensagem quoted) {
        return Texts.bounded(quoted.text(), FieldLimits.QUOTED_TEXT).value();
    }

    /** How the reply's author is shown: their name when a session told it, else their user id. */
    private String senderName(String empresaId, String userId) {
        KnownAtendente known = atendentes.get(empresaId, userId);
        return known != null && known.name() != null ? known.name() : userId;
    }
}
