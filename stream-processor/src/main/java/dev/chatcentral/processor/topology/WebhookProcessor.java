package dev.chatcentral.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.ConversaRules;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.processor.instance.InstanceSilence;
import dev.chatcentral.processor.instance.InstanceStatus;
import dev.chatcentral.processor.typing.CustomerTyping;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.processor.webhook.ParsedWebhook;
import dev.chatcentral.processor.webhook.ParsedWebhook.ConnectionUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactName;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactNames;
import dev.chatcentral.processor.webhook.ParsedWebhook.HistorySync;
import dev.chatcentral.processor.webhook.ParsedWebhook.MensagemChange;
import dev.chatcentral.processor.webhook.ParsedWebhook.Presence;
import dev.chatcentral.processor.webhook.ParsedWebhook.PresenceUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.Receipt;
import dev.chatcentral.processor.webhook.ParsedWebhook.Unhandled;
import dev.chatcentral.processor.webhook.WebhookParser;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.webhooks}: parses a webhook, drops redeliveries, moves the conversa or the mensagem
 * ({@link MensagemWebhooks}), and emits the conversa, the mensagem and their realtime events. Typing, names and
 * instance states change no mensagem and never wait (a typing indicator held back would be stale); a customer's typing
 * never stopped is stopped by a wall-clock punctuator of this processor.
 */
final class WebhookProcessor extends ConversaInputProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
    private static final Duration TYPING_EXPIRY_CHECK = Duration.ofSeconds(1);

    private final EphemeralEvents ephemeral;
    private CustomerTyping customerTyping;
    private InstanceSilence silence;
    /** Scheduled only while a customer is typing: every punctuation makes the task commit, even with no output. */
    private Cancellable typingPunctuation;

    /** @param ephemeral the fast lane, where customer typing also goes at once (docs/presence.md) */
    WebhookProcessor(ConversaTasks tasks, EphemeralEvents ephemeral) {
        super(tasks, true);
        this.ephemeral = ephemeral;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        customerTyping = task.stores().customerTyping();
        if (customerTyping.anyoneTyping()) {
            scheduleTypingExpiry();
        }
        TopologySettings settings = task.settings();
        silence = new InstanceSilence(settings.silence(), settings.silences(),
                context.getStateStore(ConversaTopology.INSTANCE_SILENCE_STORE));
        if (silence.enabled()) {
            context.schedule(settings.silence().checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
        }
    }

    @Override
    WebhookOutcome handle(Record<String, byte[]> record, RecordMetadata source, LogContext logContext) {
        task.deadLetters().throwIfPoisoned(source);
        String empresaId = record.key();
        if (empresaId == null || empresaId.isBlank()) {
            throw new InvalidWebhookException("record has no empresaId key");
        }
        ParsedWebhook parsed = WebhookParser.parse(record.value());
        Handled handled = decide(record, parsed);
        Effects effects = handled.effects();
        if (silence.enabled()) {
            RealtimeEvent speaks = silence.onWebhook(empresaId, parsed.instance(),
                    parsed instanceof ConnectionUpdate connection ? connection.state() : null,
                    context.currentSystemTimeMs());
            if (speaks != null) {
                effects = Effects.builder().event(speaks).build().then(effects);
            }
        }
        task.emit(effects, record.timestamp(), record.headers());
        return handled.outcome();
    }

    private Handled decide(Record<String, byte[]> record, ParsedWebhook parsed) {
        if (parsed instanceof MessageUpsert upsert) {
            return task.mensagens().onMensagem(record, upsert);
        }
        if (parsed instanceof Receipt receipt) {
            return task.mensagens().onReceipt(record, receipt);
        }
        if (parsed instanceof MensagemChange change) {
            return task.mensagens().onChange(record, change);
        }
        if (parsed instanceof PresenceUpdate presence) {
            return onPresence(record, presence);
        }
        if (parsed instanceof ConnectionUpdate connection) {
            return new Handled(WebhookOutcome.PROCESSED, Effects.builder()
                    .event(InstanceStatus.event(record.key(), connection, cause(),
                            Instant.ofEpochMilli(record.timestamp())))
                    .build());
        }
        if (parsed instanceof ContactNames contacts) {
            return onContacts(record, contacts);
        }
        if (parsed instanceof HistorySync) {
            return Handled.of(WebhookOutcome.HISTORY_SKIPPED);
        }
        log.debug("ignoring {} of empresa {}", ((Unhandled) parsed).event(), record.key());
        return Handled.of(WebhookOutcome.IGNORED_EVENT);
    }

    private Handled onPresence(Record<String, byte[]> record, PresenceUpdate update) {
        Conversa conversa = existingConversa(record.key(), update.instance(), update.chatJid());
        if (conversa == null) {
            return Handled.of(WebhookOutcome.NO_CONVERSA);
        }
        String cause = cause();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        long now = context.currentSystemTimeMs();
        List<RealtimeEvent> events = update.presences().stream()
                .map((Presence p) -> customerTyping.onPresence(conversa, p.jid(), p.presence(), cause, at, now))
                .flatMap(Optional::stream)
                .toList();
        if (customerTyping.anyoneTyping()) {
            scheduleTypingExpiry();
        }
        events.forEach(event -> ephemeral.publish(event, record.timestamp()));
        Effects.Builder effects = Effects.builder();
        events.forEach(effects::event);
        return new Handled(events.isEmpty() ? WebhookOutcome.IGNORED_EVENT : WebhookOutcome.PROCESSED,
                effects.build());
    }

    private Handled onContacts(Record<String, byte[]> record, ContactNames contacts) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Map<String, Conversa> renamed = new LinkedHashMap<>();
        Effects.Builder effects = Effects.builder();
        for (ContactName contact : contacts.contacts()) {
            Conversa current = existingConversa(record.key(), contacts.instance(), contact.jid());
            if (current == null) {
                continue;
            }
            // one batch may name a customer twice, by phone and by LID: the second name builds on the first
            Conversa latest = renamed.getOrDefault(current.conversaId(), current);
            Conversa next = ConversaRules.onContactName(latest, contact.name(), at);
            if (next == latest) {
                continue;
            }
            renamed.put(next.conversaId(), next);
            effects.conversa(next)
                    .event(ConversaEvents.conversationUpdated(next, next.conversaId() + "@" + next.version(), at));
        }
        renamed.values().forEach(next -> effects.write(() -> task.stores().conversas().put(next)));
        return new Handled(renamed.isEmpty() ? WebhookOutcome.NO_CONVERSA : WebhookOutcome.PROCESSED,
                effects.build());
    }

    /** The conversa a chat identifier (phone JID, LID or group) belongs to, or null: these events open none. */
    private Conversa existingConversa(String empresaId, String instance, String jid) {
        ConversaStores stores = task.stores();
        return stores.conversas().get(stores.aliases().resolve(empresaId, instance, jid, null).key().storeKey());
    }

    /** A stable name for what the current input record caused, for event ids. */
    private String cause() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "-" + m.offset())
                .orElseThrow();
    }

    private void scheduleTypingExpiry() {
        if (typingPunctuation == null) {
            typingPunctuation = context.schedule(TYPING_EXPIRY_CHECK, PunctuationType.WALL_CLOCK_TIME,
                    this::expireTyping);
        }
    }

    /** Punctuation: WhatsApp numbers that went quiet for far longer than usual are reported silent. */
    private void checkSilence(long now) {
        List<RealtimeEvent> silent = silence.check(now);
        if (!silent.isEmpty()) {
            Effects.Builder events = Effects.builder();
            silent.forEach(events::event);
            task.emit(events.build(), now, ConversaTask.NO_HEADERS);
        }
    }

    /** Punctuation: customers whose typing was never stopped stop typing after the timeout. */
    private void expireTyping(long now) {
        Effects.Builder stops = Effects.builder();
        for (RealtimeEvent stop : customerTyping.expire(now)) {
            ephemeral.publish(stop, now);
            stops.event(stop);
        }
        task.emit(stops.build(), now, ConversaTask.NO_HEADERS);
        if (!customerTyping.anyoneTyping()) {
            cancelTypingExpiry();
        }
    }

    private void cancelTypingExpiry() {
        if (typingPunctuation != null) {
            typingPunctuation.cancel();
            typingPunctuation = null;
        }
    }

    @Override
    public void close() {
        cancelTypingExpiry();
        super.close();
    }
}
