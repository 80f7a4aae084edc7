package dev.chatcentral.processor.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.command.CommandHandler;
import dev.chatcentral.processor.command.CommandRules;
import dev.chatcentral.processor.command.Effects;
import dev.chatcentral.processor.command.InvalidCommandException;
import dev.chatcentral.processor.command.KnownAtendentes;
import dev.chatcentral.processor.command.OutboundResultHandler;
import dev.chatcentral.processor.command.PendingSends;
import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.ConversaKey;
import dev.chatcentral.processor.conversa.ConversaRules;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.JidAliases;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.conversa.Mensagens;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.DeadLetters;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.instance.InstanceStatus;
import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.ParkingLot;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.processor.retry.RetryLaterException;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.processor.typing.CustomerTyping;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.processor.webhook.ParsedWebhook;
import dev.chatcentral.processor.webhook.ParsedWebhook.ConnectionUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactName;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactNames;
import dev.chatcentral.processor.webhook.ParsedWebhook.HistorySync;
import dev.chatcentral.processor.webhook.ParsedWebhook.Presence;
import dev.chatcentral.processor.webhook.ParsedWebhook.PresenceUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.Receipt;
import dev.chatcentral.processor.webhook.ParsedWebhook.Unhandled;
import dev.chatcentral.processor.webhook.WebhookParser;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Handles one webhook: parse, drop redeliveries, move the conversa or the mensagem, and emit the conversa, the
 * mensagem and their realtime events. A record that cannot be handled goes to the DLQ and the stream goes on.
 *
 * <p>A receipt whose mensagem has not arrived yet is parked (Evolution sends webhooks concurrently, so a receipt
 * often overtakes its message). Parked records form one FIFO queue per conversa: a later receipt of that conversa
 * waits behind, so its status changes are shown in the order they came. A mensagem never waits: a receipt is about
 * a mensagem and must follow it, so the mensagem is shown at once and the queue is then worked off, applying the
 * receipts that waited for it. Typing, names and instance states change no mensagem and never wait either (a
 * typing indicator held back would be stale). The head of a queue is retried with exponential backoff: a
 * wall-clock punctuator releases it to {@code chat.webhooks.retry} when due, and that record, coming back to this
 * task, is the next attempt; after the last one it goes to the DLQ.
 *
 * <p>Atendentes' commands, the dispatcher's results and gateway session signals come through this processor too
 * (the {@code command} package decides them), so they see the conversas exactly as the webhooks before them left
 * them. A company mensagem ({@code send.message}, or a {@code fromMe} upsert) that arrives while a reply of its
 * conversa awaits its dispatch result is parked like a receipt: it is most likely that reply's echo, and must become
 * that mensagem once the result names its keyId, never a second one (docs/commands.md).
 */
final class WebhookProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final TopologySettings settings;
    private final RetryPolicy retry;
    private ProcessorContext<String, byte[]> context;
    private Conversas conversas;
    private DedupeWindow dedupe;
    private DedupeWindow seenCommands;
    private PendingSends sends;
    private KnownAtendentes atendentes;
    private CommandHandler commands;
    private OutboundResultHandler results;
    private MensagemIndex mensagens;
    private JidAliases aliases;
    private ParkingLot parking;
    /** Scheduled only while something is parked: every punctuation makes the task commit, even with no output. */
    private Cancellable retryPunctuation;
    private CustomerTyping customerTyping;
    /** Likewise scheduled only while a customer is typing. */
    private Cancellable typingPunctuation;

    private static final Duration TYPING_EXPIRY_CHECK = Duration.ofSeconds(1);
    /** A punctuation's outputs have no input whose headers they could carry. */
    private static final Headers NO_HEADERS = new org.apache.kafka.common.header.internals.RecordHeaders();

    WebhookProcessor(TopologySettings settings) {
        this.settings = settings;
        this.retry = settings.retry();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.conversas = new Conversas(context.getStateStore(ConversaTopology.CONVERSA_STORE),
                context.getStateStore(ConversaTopology.CONVERSA_ID_STORE));
        this.dedupe = new DedupeWindow(context.getStateStore(ConversaTopology.DEDUPE_STORE), settings.dedupeWindow());
        this.seenCommands = new DedupeWindow(context.getStateStore(ConversaTopology.COMMAND_DEDUPE_STORE),
                settings.commandDedupeWindow());
        this.mensagens = new MensagemIndex(context.getStateStore(ConversaTopology.MENSAGEM_INDEX_STORE),
                context.getStateStore(ConversaTopology.REPLY_KEY_STORE), settings.mensagemIndexRetention());
        this.aliases = new JidAliases(context.getStateStore(ConversaTopology.JID_ALIAS_STORE), conversas.store());
        this.parking = new ParkingLot(context.getStateStore(ConversaTopology.PARKING_STORE));
        this.sends = new PendingSends(context.getStateStore(ConversaTopology.PENDING_SEND_STORE),
                settings.mensagemIndexRetention());
        this.atendentes = new KnownAtendentes(context.getStateStore(ConversaTopology.ATENDENTE_STORE));
        this.commands = new CommandHandler(conversas, mensagens, atendentes, sends, seenCommands);
        this.results = new OutboundResultHandler(conversas, mensagens, sends, dedupe);
        context.schedule(settings.dedupePurgeInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int ids = dedupe.purge(now) + seenCommands.purge(now);
            int indexed = mensagens.purge(now) + sends.purge(now);
            if (ids + indexed > 0) {
                log.debug("forgot {} dedupe ids and {} indexed mensagens and replies past their retention", ids,
                        indexed);
            }
        });
        if (!parking.isEmpty()) {
            scheduleRetries();
        }
        this.customerTyping = new CustomerTyping(context.getStateStore(ConversaTopology.CUSTOMER_TYPING_STORE));
        if (customerTyping.anyoneTyping()) {
            scheduleTypingExpiry();
        }
    }

    private void scheduleTypingExpiry() {
        if (typingPunctuation == null) {
            typingPunctuation = context.schedule(TYPING_EXPIRY_CHECK, PunctuationType.WALL_CLOCK_TIME,
                    this::expireTyping);
        }
    }

    /** Punctuation: customers whose typing was never stopped stop typing after the timeout. */
    private void expireTyping(long now) {
        Outputs stops = new Outputs();
        customerTyping.expire(now).forEach(stop -> event(stops, stop));
        stops.forward(context, now, NO_HEADERS);
        if (!customerTyping.anyoneTyping()) {
            typingPunctuation.cancel();
            typingPunctuation = null;
        }
    }

    private void park(String parkingKey, ParkedRecord parked) {
        parking.put(parkingKey, parked);
        scheduleRetries();
    }

    private void scheduleRetries() {
        if (retryPunctuation == null) {
            retryPunctuation = context.schedule(retry.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME,
                    this::releaseDue);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try (LogContext logContext = LogContext.ofRecord(record.key(), record.headers())) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            String topic = source.topic();
            if (topic.equals(Topics.COMMANDS.name()) || topic.equals(Topics.OUTBOUND_RESULTS.name())
                    || topic.equals(Topics.SIGNALS.name())) {
                processFromAtendentes(record, source, logContext);
                return;
            }
            boolean isRetry = Topics.WEBHOOKS_RETRY.name().equals(topic);
            WebhookOutcome outcome;
            try {
                outcome = isRetry ? handleRetry(record) : handle(record);
            } catch (StreamsException e) {
                // store and producer failures belong to Kafka Streams (task migration, fencing): never swallowed
                throw e;
            } catch (RuntimeException e) {
                outcome = deadLetter(record, source, e);
            }
            settings.outcomes().accept(outcome);
        }
    }

    /**
     * A command, a dispatch result or a session signal. One that cannot be read, names nobody to answer, or fails
     * goes to the DLQ like a webhook would, so that it can be found and redriven.
     */
    private void processFromAtendentes(Record<String, byte[]> record, RecordMetadata source, LogContext logContext) {
        String topic = source.topic();
        try {
            throwIfPoisoned(source);
            if (record.key() == null || record.key().isBlank()) {
                throw new InvalidCommandException("record has no empresaId key");
            }
            long now = context.currentSystemTimeMs();
            if (topic.equals(Topics.COMMANDS.name())) {
                AgentCommand command = Topics.COMMANDS.valueSerde().deserializer().deserialize(topic, record.value());
                logContext.put(LogContext.COMMAND_ID, command == null ? null : command.commandId());
                emit(commands.handle(record.key(), command, record.timestamp(), now), record);
            } else if (topic.equals(Topics.OUTBOUND_RESULTS.name())) {
                OutboundResult result = Topics.OUTBOUND_RESULTS.valueSerde().deserializer()
                        .deserialize(topic, record.value());
                emit(results.handle(record.key(), result, record.timestamp(), now), record);
            } else {
                onSignal(record.key(), Topics.SIGNALS.valueSerde().deserializer().deserialize(topic, record.value()));
            }
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record, source, e);
        }
    }

    /** An atendente logged in to the empresa: from now on a valid target of transfers there. */
    private void onSignal(String empresaId, Signal signal) {
        if (signal != null && Signal.SESSION_OPENED.equals(signal.type()) && empresaId.equals(signal.empresaId())
                && CommandRules.validUserId(signal.userId())) {
            atendentes.sessionOpened(empresaId, signal.userId(),
                    Texts.bounded(signal.name(), FieldLimits.NAME).value());
        }
    }

    /** Checks every output, then makes the effects' store writes, then forwards the outputs. */
    private void emit(Effects effects, Record<String, byte[]> cause) {
        Outputs outputs = new Outputs();
        effects.conversas().forEach(conversa -> conversa(outputs, conversa));
        effects.mensagens().forEach(mensagem -> mensagem(outputs, mensagem));
        effects.events().forEach(event -> event(outputs, event));
        effects.outbound().forEach(outbound -> outputs.add(ConversaTopology.OUTBOUND_SINK, Topics.OUTBOUND,
                outbound.instance(), outbound));
        effects.write();
        outputs.forward(context, cause.timestamp(), cause.headers());
        if (effects.workOffQueue() != null && parking.hasQueue(effects.workOffQueue())) {
            workOffQueue(effects.workOffQueue());
        }
    }

    /**
     * The input Kafka refused an output of before (see {@link PoisonRecords}) fails now, before anything else, so
     * that it goes to the DLQ in this transaction.
     */
    private void throwIfPoisoned(RecordMetadata source) {
        PoisonRecords.Poison poison = settings.poison().take(source.topic(), source.partition(), source.offset());
        if (poison != null) {
            throw new PoisonedRecordException(poison);
        }
    }

    private WebhookOutcome handle(Record<String, byte[]> record) {
        throwIfPoisoned(context.recordMetadata().orElseThrow());
        String empresaId = record.key();
        if (empresaId == null || empresaId.isBlank()) {
            throw new InvalidWebhookException("record has no empresaId key");
        }
        ParsedWebhook parsed = WebhookParser.parse(record.value());
        if (parsed instanceof MessageUpsert upsert) {
            return onMensagem(record, upsert);
        }
        if (parsed instanceof Receipt receipt) {
            return onReceipt(record, receipt);
        }
        if (parsed instanceof PresenceUpdate presence) {
            return onPresence(record, presence);
        }
        if (parsed instanceof ConnectionUpdate connection) {
            return onConnection(record, connection);
        }
        if (parsed instanceof ContactNames contacts) {
            return onContacts(record, contacts);
        }
        if (parsed instanceof HistorySync) {
            return WebhookOutcome.HISTORY_SKIPPED;
        }
        log.debug("ignoring {} of empresa {}", ((Unhandled) parsed).event(), empresaId);
        return WebhookOutcome.IGNORED_EVENT;
    }

    private WebhookOutcome onMensagem(Record<String, byte[]> record, MessageUpsert upsert) {
        if (upsert.isStatusBroadcast()) {
            return WebhookOutcome.STATUS_BROADCAST;
        }
        String empresaId = record.key();
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.messageKey(empresaId, upsert.instance(), upsert.keyId(), upsert.fromMe());
        if (dedupe.seenWithinWindow(dedupeKey, now)) {
            return WebhookOutcome.DUPLICATE;
        }
        // only a company mensagem can be a reply's echo; a customer's is applied without looking for replies
        ConversaKey key = upsert.fromMe() ? conversaKey(empresaId, upsert) : null;
        if (key == null || !sends.awaitingIn(key.storeKey())) {
            return applyMensagem(empresaId, upsert, record.timestamp(), record.headers(), dedupeKey, false);
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String parkingKey = ParkingLot.parkingKey(key.storeKey(), source.offset());
        ParkedRecord parked = ParkedRecord.waiting(empresaId, record.value(), record.timestamp(), record.headers(),
                source.topic(), source.partition(), source.offset(), dedupeKey);
        // remembered while parked, so a redelivery of the same message is not parked twice
        dedupe.remember(dedupeKey, now);
        if (parking.hasQueue(key.storeKey())) {
            park(parkingKey, parked);
            return WebhookOutcome.PARKED;
        }
        RetryLaterException notYet = awaitingReply(upsert);
        if (retry.exhausted(1)) {
            return deadLetterParked(parked, notYet, 1);
        }
        park(parkingKey, parked.failed(notYet, now, retry));
        return WebhookOutcome.PARKED;
    }

    private ConversaKey conversaKey(String empresaId, MessageUpsert upsert) {
        // a group is its own identity; only a person may appear under a LID and a phone JID
        return upsert.isGroup() ? new ConversaKey(empresaId, upsert.instance(), upsert.remoteJid())
                : aliases.resolve(empresaId, upsert.instance(), upsert.remoteJid(), upsert.remoteJidAlt()).key();
    }

    private static RetryLaterException awaitingReply(MessageUpsert upsert) {
        return new RetryLaterException("company mensagem " + upsert.keyId() + " of instance " + upsert.instance()
                + " arrived while a reply of its conversa awaits its dispatch result, which has not come");
    }

    /**
     * @param dedupeKey remembered once the mensagem is applied
     * @param fromQueue true when it is a parked record being worked off, whose queue the caller goes on with
     */
    private WebhookOutcome applyMensagem(String empresaId, MessageUpsert upsert, long timestamp, Headers headers,
                                         String dedupeKey, boolean fromQueue) {
        long now = context.currentSystemTimeMs();
        Instant at = Instant.ofEpochMilli(timestamp);
        JidAliases.Resolved resolved = upsert.isGroup() ? null
                : aliases.resolve(empresaId, upsert.instance(), upsert.remoteJid(), upsert.remoteJidAlt());
        ConversaKey key = resolved != null ? resolved.key()
                : new ConversaKey(empresaId, upsert.instance(), upsert.remoteJid());
        Conversa current = conversas.get(key.storeKey());
        Mensagem mensagem = Mensagens.fromUpsert(empresaId, upsert, key.conversaId(), at);
        Conversa next = ConversaRules.onMensagem(current, key, resolved != null ? resolved.alt() : null, mensagem,
                at);
        boolean changed = next != current;
        Outputs outputs = new Outputs();
        if (changed) {
            conversa(outputs, next);
        }
        mensagem(outputs, mensagem);
        event(outputs, ConversaEvents.messageNotification(next, mensagem, at));
        if (changed) {
            event(outputs, ConversaEvents.conversationUpdated(next, mensagem.mensagemId(), at));
        }

        // everything above may fail and send the record to the DLQ; below, only Kafka Streams itself can fail
        dedupe.remember(dedupeKey, now);
        if (resolved != null) {
            aliases.remember(resolved);
        }
        mensagens.put(mensagem, key.storeKey(), now);
        if (changed) {
            conversas.put(next);
        }
        outputs.forward(context, timestamp, headers);
        if (!fromQueue && parking.hasQueue(key.storeKey())) {
            workOffQueue(key.storeKey());
        }
        return WebhookOutcome.PROCESSED;
    }

    private WebhookOutcome onReceipt(Record<String, byte[]> record, Receipt receipt) {
        if ("status@broadcast".equals(receipt.remoteJid())) {
            return WebhookOutcome.STATUS_BROADCAST;
        }
        String empresaId = record.key();
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.receiptKey(empresaId, receipt.instance(), receipt.keyId(), receipt.fromMe(),
                receipt.status().name());
        if (dedupe.seenWithinWindow(dedupeKey, now)) {
            return WebhookOutcome.DUPLICATE;
        }
        MensagemIndex.Entry entry = findMensagem(empresaId, receipt);
        String queueKey = entry != null ? entry.conversaKey()
                : aliases.resolve(empresaId, receipt.instance(), receipt.remoteJid(), null).key().storeKey();
        if (entry != null && !parking.hasQueue(queueKey)) {
            WebhookOutcome outcome = applyReceipt(entry, receipt, record.timestamp(), record.headers());
            dedupe.remember(dedupeKey, now);
            return outcome;
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String parkingKey = ParkingLot.parkingKey(queueKey, source.offset());
        ParkedRecord parked = ParkedRecord.waiting(empresaId, record.value(), record.timestamp(), record.headers(),
                source.topic(), source.partition(), source.offset(), dedupeKey);
        // remembered while parked, so a redelivery of the same receipt is not parked twice
        dedupe.remember(dedupeKey, now);
        if (parking.hasQueue(queueKey)) {
            park(parkingKey, parked);
            return WebhookOutcome.PARKED;
        }
        RetryLaterException notYet = mensagemNotSeen(receipt);
        if (retry.exhausted(1)) {
            return deadLetterParked(parked, notYet, 1);
        }
        park(parkingKey, parked.failed(notYet, now, retry));
        return WebhookOutcome.PARKED;
    }

    private MensagemIndex.Entry findMensagem(String empresaId, Receipt receipt) {
        if (receipt.fromMe() != null) {
            return mensagens.get(empresaId, receipt.instance(), receipt.keyId(), receipt.fromMe());
        }
        MensagemIndex.Entry ours = mensagens.get(empresaId, receipt.instance(), receipt.keyId(), true);
        return ours != null ? ours : mensagens.get(empresaId, receipt.instance(), receipt.keyId(), false);
    }

    private static RetryLaterException mensagemNotSeen(Receipt receipt) {
        return new RetryLaterException("receipt " + receipt.status() + " for mensagem " + receipt.keyId()
                + " of instance " + receipt.instance() + " that has not arrived yet");
    }

    private WebhookOutcome applyReceipt(MensagemIndex.Entry entry, Receipt receipt, long timestamp,
                                        Headers headers) {
        Mensagem current = entry.mensagem();
        Mensagem next = Mensagens.withStatus(current, receipt.status());
        if (next == null) {
            return WebhookOutcome.STALE_STATUS;
        }
        Conversa conversa = conversas.get(entry.conversaKey());
        if (conversa == null) {
            throw new IllegalStateException("mensagem " + current.mensagemId() + " has no conversa "
                    + entry.conversaKey());
        }
        Outputs outputs = new Outputs();
        mensagem(outputs, next);
        event(outputs, ConversaEvents.messageStatus(conversa, next, current.status(),
                Instant.ofEpochMilli(timestamp)));
        mensagens.put(next, entry.conversaKey(), context.currentSystemTimeMs());
        outputs.forward(context, timestamp, headers);
        return WebhookOutcome.PROCESSED;
    }

    private WebhookOutcome onPresence(Record<String, byte[]> record, PresenceUpdate update) {
        Conversa conversa = existingConversa(record.key(), update.instance(), update.chatJid());
        if (conversa == null) {
            return WebhookOutcome.NO_CONVERSA;
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
        Outputs outputs = new Outputs();
        events.forEach(e -> event(outputs, e));
        outputs.forward(context, record.timestamp(), record.headers());
        return events.isEmpty() ? WebhookOutcome.IGNORED_EVENT : WebhookOutcome.PROCESSED;
    }

    private WebhookOutcome onConnection(Record<String, byte[]> record, ConnectionUpdate update) {
        Outputs outputs = new Outputs();
        event(outputs, InstanceStatus.event(record.key(), update, cause(), Instant.ofEpochMilli(record.timestamp())));
        outputs.forward(context, record.timestamp(), record.headers());
        return WebhookOutcome.PROCESSED;
    }

    private WebhookOutcome onContacts(Record<String, byte[]> record, ContactNames contacts) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Outputs outputs = new Outputs();
        Map<String, Conversa> renamed = new LinkedHashMap<>();
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
            conversa(outputs, next);
            event(outputs, ConversaEvents.conversationUpdated(next, next.conversaId() + "@" + next.version(), at));
        }
        renamed.values().forEach(conversas::put);
        outputs.forward(context, record.timestamp(), record.headers());
        return renamed.isEmpty() ? WebhookOutcome.NO_CONVERSA : WebhookOutcome.PROCESSED;
    }

    /** The conversa a chat identifier (phone JID, LID or group) belongs to, or null: these events open none. */
    private Conversa existingConversa(String empresaId, String instance, String jid) {
        return conversas.get(aliases.resolve(empresaId, instance, jid, null).key().storeKey());
    }

    /** A stable name for what the current input record caused, for event ids. */
    private String cause() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "-" + m.offset())
                .orElseThrow();
    }

    /** Punctuation: every due head of a queue goes to the retry topic; its return to this task is the retry. */
    private void releaseDue(long now) {
        for (KeyValue<String, ParkedRecord> due : parking.dueHeads(now)) {
            ParkedRecord parked = due.value;
            Headers headers = parked.originalHeaders();
            RecordHeaders.put(headers, RetryHeaders.ATTEMPT, Integer.toString(parked.failures()));
            RecordHeaders.put(headers, RetryHeaders.DUE_AT, Instant.ofEpochMilli(parked.dueAt()).toString());
            RecordHeaders.put(headers, RetryHeaders.PARKING_KEY, due.key);
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_TOPIC, parked.originalTopic());
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_PARTITION, Integer.toString(parked.originalPartition()));
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_OFFSET, Long.toString(parked.originalOffset()));
            RecordHeaders.put(headers, RecordHeaders.ERROR_MESSAGE, parked.errorMessage());
            context.forward(new Record<>(parked.key(), parked.value(), parked.timestamp(), headers),
                    ConversaTopology.RETRY_SINK);
            parking.put(due.key, parked.released());
        }
        if (parking.isEmpty()) {
            retryPunctuation.cancel();
            retryPunctuation = null;
        }
    }

    private WebhookOutcome handleRetry(Record<String, byte[]> record) {
        String parkingKey = RecordHeaders.get(record.headers(), RetryHeaders.PARKING_KEY);
        if (parkingKey == null) {
            throw new InvalidWebhookException("retry record has no " + RetryHeaders.PARKING_KEY + " header");
        }
        ParkedRecord parked = parking.get(parkingKey);
        if (parked == null || parked.state() != ParkedRecord.State.RELEASED) {
            return WebhookOutcome.STALE_RETRY;
        }
        WebhookOutcome outcome;
        try {
            throwIfPoisoned(context.recordMetadata().orElseThrow());
            outcome = attempt(parked);
            parking.remove(parkingKey);
        } catch (RetryLaterException e) {
            int failures = parked.failures() + 1;
            if (!retry.exhausted(failures)) {
                park(parkingKey, parked.failed(e, context.currentSystemTimeMs(), retry));
                return WebhookOutcome.RETRY_PARKED;
            }
            parking.remove(parkingKey);
            outcome = deadLetterParked(parked, e, failures);
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("retry of webhook {} failed", parkingKey, e);
            parking.remove(parkingKey);
            outcome = deadLetterParked(parked, e, parked.failures() + 1);
        }
        workOffQueue(ParkingLot.queueKey(parkingKey));
        return outcome;
    }

    /**
     * Processes a conversa's queue from its head for as long as records succeed; stops at the first that still
     * cannot be processed, which becomes (or stays) the parked head.
     */
    private void workOffQueue(String queueKey) {
        for (KeyValue<String, ParkedRecord> entry : parking.queue(queueKey)) {
            ParkedRecord parked = entry.value;
            try (LogContext parkedContext = LogContext.ofRecord(parked.key(), parked.originalHeaders())) {
                WebhookOutcome outcome;
                try {
                    outcome = attempt(parked);
                    parking.remove(entry.key);
                } catch (RetryLaterException e) {
                    if (parked.state() != ParkedRecord.State.WAITING) {
                        return;
                    }
                    if (!retry.exhausted(1)) {
                        park(entry.key, parked.failed(e, context.currentSystemTimeMs(), retry));
                        return;
                    }
                    parking.remove(entry.key);
                    outcome = deadLetterParked(parked, e, 1);
                } catch (StreamsException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("parked webhook {} failed", entry.key, e);
                    parking.remove(entry.key);
                    outcome = deadLetterParked(parked, e, parked.failures() + 1);
                }
                settings.outcomes().accept(outcome);
            }
        }
    }

    /** One attempt at a parked record: a receipt, or a company mensagem that waited for a reply's result. */
    private WebhookOutcome attempt(ParkedRecord parked) {
        ParsedWebhook parsed = WebhookParser.parse(parked.value());
        if (parsed instanceof MessageUpsert upsert) {
            return attemptCompanyMensagem(parked, upsert);
        }
        if (!(parsed instanceof Receipt receipt)) {
            throw new IllegalStateException("only receipts and company mensagens are parked");
        }
        MensagemIndex.Entry entry = findMensagem(parked.key(), receipt);
        if (entry == null) {
            throw mensagemNotSeen(receipt);
        }
        return applyReceipt(entry, receipt, parked.timestamp(), parked.originalHeaders());
    }

    /**
     * The echo of a reply that is now sent is that reply: nothing more to do. Any other company mensagem is applied
     * once no reply of its conversa awaits a result any more (typed on the phone meanwhile, or the echo of a reply
     * whose result said FAILED although WhatsApp took it).
     */
    private WebhookOutcome attemptCompanyMensagem(ParkedRecord parked, MessageUpsert upsert) {
        if (mensagens.get(parked.key(), upsert.instance(), upsert.keyId(), true) != null) {
            return WebhookOutcome.DUPLICATE;
        }
        if (sends.awaitingIn(conversaKey(parked.key(), upsert).storeKey())) {
            throw awaitingReply(upsert);
        }
        return applyMensagem(parked.key(), upsert, parked.timestamp(), parked.originalHeaders(), parked.dedupeKey(),
                true);
    }

    private WebhookOutcome deadLetterParked(ParkedRecord parked, Exception failure, int failures) {
        log.warn("webhook {}-{}@{} of empresa {} gave up after {} attempts: {}", parked.originalTopic(),
                parked.originalPartition(), parked.originalOffset(), parked.key(), failures, failure.getMessage());
        return deadLetter(DeadLetters.of(parked, failure, failures, context.currentSystemTimeMs()),
                DeadLetters.reason(failure), parked.dedupeKey());
    }

    /** An input that failed at its first attempt, from any source. */
    private WebhookOutcome deadLetter(Record<String, byte[]> record, RecordMetadata source, RuntimeException failure) {
        DeadLetterReason reason = DeadLetters.reason(failure);
        String from = source.topic() + "-" + source.partition() + "@" + source.offset();
        if (reason == DeadLetterReason.PROCESSING_FAILED) {
            log.warn("{} of empresa {} failed", from, record.key(), failure);
        } else {
            log.warn("{} of empresa {} goes to the DLQ ({}): {}", from, record.key(), reason.code(),
                    failure.getMessage());
        }
        return deadLetter(DeadLetters.of(record, source, DeadLetterStage.CONVERSA, reason, failure,
                context.currentSystemTimeMs()), reason, null);
    }

    /** @param dedupeKey forgotten, so that a redrive of the record is not dropped as a duplicate */
    private WebhookOutcome deadLetter(Record<String, byte[]> deadLetter, DeadLetterReason reason, String dedupeKey) {
        if (dedupeKey != null) {
            dedupe.forget(dedupeKey);
        }
        settings.deadLetters().deadLettered(DeadLetterStage.CONVERSA, reason, deadLetter.key());
        if (!settings.dlqEnabled()) {
            return WebhookOutcome.DISCARDED;
        }
        context.forward(deadLetter, ConversaTopology.DLQ_SINK);
        return WebhookOutcome.DEAD_LETTERED;
    }

    private static void conversa(Outputs outputs, Conversa conversa) {
        outputs.add(ConversaTopology.CONVERSAS_SINK, Topics.CONVERSAS, conversa.conversaId(), conversa);
    }

    private static void mensagem(Outputs outputs, Mensagem mensagem) {
        outputs.add(ConversaTopology.MENSAGENS_SINK, Topics.MENSAGENS, mensagem.conversaId(), mensagem);
    }

    private static void event(Outputs outputs, RealtimeEvent event) {
        outputs.add(ConversaTopology.EVENTS_SINK, Topics.EVENTS, event.empresaId(), event);
    }
}
