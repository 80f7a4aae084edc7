package dev.chatcentral.processor.topology;

import java.time.Instant;
import java.util.function.Supplier;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.processor.command.ReplyEvidence;
import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.ConversaKey;
import dev.chatcentral.processor.conversa.ConversaRules;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.conversa.JidAliases;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.conversa.MensagemRevisions;
import dev.chatcentral.processor.conversa.Mensagens;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.ParkingLot;
import dev.chatcentral.processor.retry.RetryLaterException;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.processor.webhook.ParsedWebhook;
import dev.chatcentral.processor.webhook.ParsedWebhook.Edit;
import dev.chatcentral.processor.webhook.ParsedWebhook.MensagemChange;
import dev.chatcentral.processor.webhook.ParsedWebhook.ReactionChange;
import dev.chatcentral.processor.webhook.ParsedWebhook.Receipt;
import dev.chatcentral.processor.webhook.ParsedWebhook.TargetKey;
import dev.chatcentral.processor.webhook.WebhookParser;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

/**
 * The webhooks about a mensagem: a message ({@code messages.upsert}, {@code send.message}), a receipt, and a change
 * (an edit, a deletion for everyone, a reaction). Each is decided here into its {@link Effects}, which the caller
 * emits; nothing is written before.
 *
 * <p>A receipt whose mensagem has not arrived yet is parked (Evolution sends webhooks concurrently, so a receipt
 * often overtakes its message). Parked records form one FIFO queue per conversa: a later receipt of that conversa
 * waits behind, so its status changes are shown in the order they came. A mensagem never waits: a receipt is about
 * a mensagem and must follow it, so the mensagem is shown at once and the queue is then worked off, applying the
 * receipts that waited for it. A company mensagem ({@code send.message}, or a {@code fromMe} upsert) that arrives
 * while a reply of its conversa awaits its dispatch result is parked like a receipt: it is most likely that reply's
 * echo, and must become that mensagem once the result names its keyId, never a second one (docs/commands.md). With
 * no reply awaiting a result, a company mensagem with the text of an unconfirmed reply is that reply's evidence
 * ({@link ReplyEvidence}). A change waits for its target like a receipt.
 */
final class MensagemWebhooks {

    /** A mensagem's conversa, worked out once per webhook; {@code resolved} is null for a group. */
    private record Target(ConversaKey key, JidAliases.Resolved resolved) {

        String alt() {
            return resolved != null ? resolved.alt() : null;
        }
    }

    private final ProcessorContext<String, byte[]> context;
    private final ConversaStores stores;
    private final RetryPolicy retry;
    private final Parking parking;
    private final DeadLetterRoute deadLetters;
    private final ReplyEvidence evidence;
    private final MensagemRevisions revisions;

    MensagemWebhooks(ProcessorContext<String, byte[]> context, ConversaStores stores, RetryPolicy retry,
                     Parking parking, DeadLetterRoute deadLetters) {
        this.context = context;
        this.stores = stores;
        this.retry = retry;
        this.parking = parking;
        this.deadLetters = deadLetters;
        this.evidence = new ReplyEvidence(stores.conversas(), stores.mensagens(), stores.sends(), stores.dedupe());
        this.revisions = new MensagemRevisions(stores.mensagens());
    }

    Handled onMensagem(Record<String, byte[]> record, MessageUpsert upsert) {
        if (upsert.isStatusBroadcast()) {
            return Handled.of(WebhookOutcome.STATUS_BROADCAST);
        }
        String empresaId = record.key();
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.messageKey(empresaId, upsert.instance(), upsert.keyId(), upsert.fromMe());
        if (stores.dedupe().seenWithinWindow(dedupeKey, now)) {
            return Handled.of(WebhookOutcome.DUPLICATE);
        }
        Target target = target(empresaId, upsert);
        // only a company mensagem can be a reply's echo; a customer's is applied without looking for replies
        if (!upsert.fromMe()) {
            return apply(empresaId, upsert, target, record.timestamp(), dedupeKey, false);
        }
        if (stores.sends().awaitingIn(target.key().storeKey())) {
            return park(target.key().storeKey(), waiting(record, dedupeKey), now, () -> awaitingReply(upsert));
        }
        Handled echo = echoOfUncertainReply(upsert, target, record.timestamp(), dedupeKey, false);
        return echo != null ? echo : apply(empresaId, upsert, target, record.timestamp(), dedupeKey, false);
    }

    /**
     * A change to a mensagem (an edit, a deletion, a reaction): applied to its target, or parked until the target
     * arrives, like a receipt. Applying one twice changes nothing, so its dedupe key only keeps a redelivery from
     * being parked twice.
     */
    Handled onChange(Record<String, byte[]> record, MensagemChange change) {
        if ("status@broadcast".equals(change.target().remoteJid())) {
            return Handled.of(WebhookOutcome.STATUS_BROADCAST);
        }
        String empresaId = record.key();
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.changeKey(empresaId, change.instance(), change.target().keyId(),
                change.changeId());
        if (stores.dedupe().seenWithinWindow(dedupeKey, now)) {
            return Handled.of(WebhookOutcome.DUPLICATE);
        }
        MensagemIndex.Entry entry = findMensagem(empresaId, change.instance(), change.target());
        String queueKey = entry != null ? entry.conversaKey()
                : stores.aliases().resolve(empresaId, change.instance(), change.target().remoteJid(), null).key()
                        .storeKey();
        if (entry != null && !parking.hasQueue(queueKey)) {
            Handled applied = applyChange(entry, change, record.timestamp());
            return new Handled(applied.outcome(),
                    applied.effects().andWrite(() -> stores.dedupe().remember(dedupeKey, now)));
        }
        return park(queueKey, waiting(record, dedupeKey), now, () -> targetNotSeen(change));
    }

    Handled onReceipt(Record<String, byte[]> record, Receipt receipt) {
        if ("status@broadcast".equals(receipt.remoteJid())) {
            return Handled.of(WebhookOutcome.STATUS_BROADCAST);
        }
        String empresaId = record.key();
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.receiptKey(empresaId, receipt.instance(), receipt.keyId(), receipt.fromMe(),
                receipt.status().name());
        if (stores.dedupe().seenWithinWindow(dedupeKey, now)) {
            return Handled.of(WebhookOutcome.DUPLICATE);
        }
        MensagemIndex.Entry entry = findMensagem(empresaId, receipt);
        String queueKey = entry != null ? entry.conversaKey()
                : stores.aliases().resolve(empresaId, receipt.instance(), receipt.remoteJid(), null).key().storeKey();
        if (entry != null && !parking.hasQueue(queueKey)) {
            Handled applied = applyReceipt(entry, receipt, record.timestamp());
            return new Handled(applied.outcome(),
                    applied.effects().andWrite(() -> stores.dedupe().remember(dedupeKey, now)));
        }
        return park(queueKey, waiting(record, dedupeKey), now, () -> mensagemNotSeen(receipt));
    }

    /**
     * One attempt at a parked record: a receipt, or a company mensagem that waited for a reply's result.
     *
     * @throws RetryLaterException when it still cannot be processed
     */
    Handled attempt(ParkedRecord parked) {
        ParsedWebhook parsed = WebhookParser.parse(parked.value());
        if (parsed instanceof MessageUpsert upsert) {
            return attemptCompanyMensagem(parked, upsert);
        }
        if (parsed instanceof MensagemChange change) {
            MensagemIndex.Entry target = findMensagem(parked.key(), change.instance(), change.target());
            if (target == null) {
                throw targetNotSeen(change);
            }
            return applyChange(target, change, parked.timestamp());
        }
        if (!(parsed instanceof Receipt receipt)) {
            throw new IllegalStateException("only receipts, changes and company mensagens are parked");
        }
        MensagemIndex.Entry entry = findMensagem(parked.key(), receipt);
        if (entry == null) {
            throw mensagemNotSeen(receipt);
        }
        return applyReceipt(entry, receipt, parked.timestamp());
    }

    private ParkedRecord waiting(Record<String, byte[]> record, String dedupeKey) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        return ParkedRecord.waiting(record.key(), record.value(), record.timestamp(), record.headers(),
                source.topic(), source.partition(), source.offset(), dedupeKey);
    }

    /**
     * Parks behind its conversa's queue, or as the head of a new one after this first failed attempt. Its dedupe key
     * is remembered while parked, so that a redelivery of the same webhook is not parked twice.
     */
    private Handled park(String queueKey, ParkedRecord parked, long now, Supplier<RetryLaterException> notYet) {
        String parkingKey = ParkingLot.parkingKey(queueKey, parked.originalOffset());
        ParkedRecord toPark = parked;
        if (!parking.hasQueue(queueKey)) {
            RetryLaterException failure = notYet.get();
            if (retry.exhausted(1)) {
                return Handled.of(deadLetters.parked(parked, failure, 1));
            }
            toPark = parked.failed(failure, now, retry);
        }
        ParkedRecord head = toPark;
        return new Handled(WebhookOutcome.PARKED, Effects.builder()
                .write(() -> stores.dedupe().remember(parked.dedupeKey(), now))
                .write(() -> parking.park(parkingKey, head))
                .build());
    }

    private Target target(String empresaId, MessageUpsert upsert) {
        // a group is its own identity; only a person may appear under a LID and a phone JID
        if (upsert.isGroup()) {
            return new Target(new ConversaKey(empresaId, upsert.instance(), upsert.remoteJid()), null);
        }
        JidAliases.Resolved resolved = stores.aliases().resolve(empresaId, upsert.instance(), upsert.remoteJid(),
                upsert.remoteJidAlt());
        return new Target(resolved.key(), resolved);
    }

    /**
     * The echo of a reply that is now sent is that reply: nothing more to do. Any other company mensagem is applied
     * once no reply of its conversa awaits a result any more (typed on the phone meanwhile, or the echo of a reply
     * whose result said FAILED although WhatsApp took it).
     */
    private Handled attemptCompanyMensagem(ParkedRecord parked, MessageUpsert upsert) {
        if (stores.mensagens().get(parked.key(), upsert.instance(), upsert.keyId(), true) != null) {
            return Handled.of(WebhookOutcome.DUPLICATE);
        }
        Target target = target(parked.key(), upsert);
        if (stores.sends().awaitingIn(target.key().storeKey())) {
            throw awaitingReply(upsert);
        }
        Handled echo = echoOfUncertainReply(upsert, target, parked.timestamp(), parked.dedupeKey(), true);
        return echo != null ? echo : apply(parked.key(), upsert, target, parked.timestamp(), parked.dedupeKey(), true);
    }

    /**
     * The company mensagem as the evidence that an unconfirmed (or uncertainly failed) reply reached WhatsApp.
     *
     * @param fromQueue true when it is a parked record being worked off, whose queue the caller goes on with
     */
    private Handled echoOfUncertainReply(MessageUpsert upsert, Target target, long timestamp, String dedupeKey,
                                         boolean fromQueue) {
        long now = context.currentSystemTimeMs();
        Effects linked = evidence.link(target.key().storeKey(), upsert.keyId(), upsert.text(),
                MensagemStatus.evolutionNamed(upsert.reportedStatus()), Instant.ofEpochMilli(timestamp), now);
        if (linked == null) {
            return null;
        }
        Effects effects = fromQueue ? linked.withoutWorkOff() : linked;
        return new Handled(WebhookOutcome.PROCESSED, effects.andWrite(() -> stores.dedupe().remember(dedupeKey, now)));
    }

    private Handled applyChange(MensagemIndex.Entry entry, MensagemChange change, long timestamp) {
        Conversa conversa = stores.conversas().get(entry.conversaKey());
        if (conversa == null) {
            throw new IllegalStateException("mensagem " + entry.mensagem().mensagemId() + " has no conversa "
                    + entry.conversaKey());
        }
        long now = context.currentSystemTimeMs();
        Instant received = Instant.ofEpochMilli(timestamp);
        Effects effects;
        if (change instanceof Edit edit) {
            effects = revisions.edit(entry, conversa, edit.text(), sane(edit.editedAt(), received), now);
        } else if (change instanceof ReactionChange reaction) {
            effects = revisions.react(entry, conversa, reaction.reactorJid(), reaction.reactorFromMe(),
                    reaction.emoji(), sane(reaction.reactedAt(), received), now);
        } else {
            effects = revisions.delete(entry, conversa, received, now);
        }
        return new Handled(effects.events().isEmpty() ? WebhookOutcome.STALE_STATUS : WebhookOutcome.PROCESSED,
                effects);
    }

    /** WhatsApp's own time of a change, unless it is missing or beyond the bounds a mensagem's time is held to. */
    private static Instant sane(Instant reported, Instant received) {
        return reported != null && Mensagens.saneSentAt(reported, received) ? reported : received;
    }

    /**
     * @param dedupeKey remembered once the mensagem is applied
     * @param fromQueue true when it is a parked record being worked off, whose queue the caller goes on with
     */
    private Handled apply(String empresaId, MessageUpsert upsert, Target target, long timestamp, String dedupeKey,
                          boolean fromQueue) {
        long now = context.currentSystemTimeMs();
        Instant at = Instant.ofEpochMilli(timestamp);
        ConversaKey key = target.key();
        Conversa current = stores.conversas().get(key.storeKey());
        Mensagem mensagem = Mensagens.fromUpsert(empresaId, upsert, key.conversaId(), at);
        Conversa next = ConversaRules.onMensagem(current, key, target.alt(), mensagem, at);
        boolean changed = next != current;
        Effects.Builder effects = Effects.builder();
        if (changed) {
            effects.conversa(next);
        }
        effects.mensagem(mensagem).event(ConversaEvents.messageNotification(next, mensagem, at));
        if (changed) {
            effects.event(ConversaEvents.conversationUpdated(next, mensagem.mensagemId(), at));
        }
        effects.write(() -> stores.dedupe().remember(dedupeKey, now));
        if (target.resolved() != null) {
            effects.write(() -> stores.aliases().remember(target.resolved()));
        }
        effects.write(() -> stores.mensagens().put(mensagem, key.storeKey(), now));
        if (changed) {
            effects.write(() -> stores.conversas().put(next));
        }
        if (!fromQueue) {
            effects.workOff(key.storeKey());
        }
        return new Handled(WebhookOutcome.PROCESSED, effects.build());
    }

    private Handled applyReceipt(MensagemIndex.Entry entry, Receipt receipt, long timestamp) {
        Mensagem current = entry.mensagem();
        Mensagem next = Mensagens.withStatus(current, receipt.status());
        if (next == null) {
            return Handled.of(WebhookOutcome.STALE_STATUS);
        }
        Conversa conversa = stores.conversas().get(entry.conversaKey());
        if (conversa == null) {
            throw new IllegalStateException("mensagem " + current.mensagemId() + " has no conversa "
                    + entry.conversaKey());
        }
        long now = context.currentSystemTimeMs();
        return new Handled(WebhookOutcome.PROCESSED, Effects.builder()
                .mensagem(next)
                .event(ConversaEvents.messageStatus(conversa, next, current.status(), Instant.ofEpochMilli(timestamp)))
                .write(() -> stores.mensagens().put(next, entry.conversaKey(), now))
                .build());
    }

    private MensagemIndex.Entry findMensagem(String empresaId, Receipt receipt) {
        return findMensagem(empresaId, receipt.instance(),
                new TargetKey(receipt.keyId(), receipt.fromMe(), receipt.remoteJid()));
    }

    private MensagemIndex.Entry findMensagem(String empresaId, String instance, TargetKey key) {
        MensagemIndex mensagens = stores.mensagens();
        if (key.fromMe() != null) {
            return mensagens.get(empresaId, instance, key.keyId(), key.fromMe());
        }
        MensagemIndex.Entry ours = mensagens.get(empresaId, instance, key.keyId(), true);
        return ours != null ? ours : mensagens.get(empresaId, instance, key.keyId(), false);
    }

    private static RetryLaterException targetNotSeen(MensagemChange change) {
        return new RetryLaterException(change.changeId() + " of mensagem " + change.target().keyId()
                + " of instance " + change.instance() + " that has not arrived yet");
    }

    private static RetryLaterException mensagemNotSeen(Receipt receipt) {
        return new RetryLaterException("receipt " + receipt.status() + " for mensagem " + receipt.keyId()
                + " of instance " + receipt.instance() + " that has not arrived yet");
    }

    private static RetryLaterException awaitingReply(MessageUpsert upsert) {
        return new RetryLaterException("company mensagem " + upsert.keyId() + " of instance " + upsert.instance()
                + " arrived while a reply of its conversa awaits its dispatch result, which has not come");
    }
}
