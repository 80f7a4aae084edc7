package dev.chatcentral.processor.topology;

import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import dev.chatcentral.processor.conversa.ConversaEvents;
import dev.chatcentral.processor.conversa.ConversaKey;
import dev.chatcentral.processor.conversa.ConversaRules;
import dev.chatcentral.processor.conversa.Mensagens;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.dlq.DeadLetters;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.processor.webhook.MessageUpsertParser;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;

/**
 * Handles one webhook: parse, drop redeliveries, move the conversa, and emit the conversa, the mensagem and their
 * realtime events. A record that cannot be handled goes to the DLQ and the stream goes on.
 */
final class WebhookProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final TopologySettings settings;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Conversa> conversas;
    private DedupeWindow dedupe;

    WebhookProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.conversas = context.getStateStore(ConversaTopology.CONVERSA_STORE);
        this.dedupe = new DedupeWindow(context.getStateStore(ConversaTopology.DEDUPE_STORE), settings.dedupeWindow());
        context.schedule(settings.dedupePurgeInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int purged = dedupe.purge(now);
            if (purged > 0) {
                log.debug("forgot {} message ids older than the dedupe window", purged);
            }
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        WebhookOutcome outcome;
        try {
            outcome = handle(record);
        } catch (StreamsException e) {
            // store and producer failures belong to Kafka Streams (task migration, fencing): never swallowed
            throw e;
        } catch (RuntimeException e) {
            String source = context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
            if (e instanceof InvalidWebhookException) {
                log.warn("webhook {} of empresa {} sent to the DLQ: {}", source, record.key(), e.getMessage());
            } else {
                log.warn("webhook {} of empresa {} failed, sent to the DLQ", source, record.key(), e);
            }
            context.forward(DeadLetters.of(record, context.recordMetadata(), e, context.currentSystemTimeMs()),
                    ConversaTopology.DLQ_SINK);
            outcome = WebhookOutcome.DEAD_LETTERED;
        }
        settings.outcomes().accept(outcome);
    }

    private WebhookOutcome handle(Record<String, byte[]> record) {
        String empresaId = record.key();
        if (empresaId == null || empresaId.isBlank()) {
            throw new InvalidWebhookException("record has no empresaId key");
        }
        EvolutionWebhook webhook = readWebhook(record.value());
        if (!EvolutionEvent.MESSAGES_UPSERT.equals(webhook.event())) {
            log.debug("ignoring {} of empresa {}", webhook.event(), empresaId);
            return WebhookOutcome.IGNORED_EVENT;
        }
        MessageUpsert upsert = MessageUpsertParser.parse(webhook);
        if (upsert.isStatusBroadcast()) {
            return WebhookOutcome.STATUS_BROADCAST;
        }
        long now = context.currentSystemTimeMs();
        String dedupeKey = DedupeWindow.messageKey(empresaId, upsert.instance(), upsert.keyId(), upsert.fromMe());
        if (dedupe.seenWithinWindow(dedupeKey, now)) {
            return WebhookOutcome.DUPLICATE;
        }

        Instant at = Instant.ofEpochMilli(record.timestamp());
        ConversaKey key = new ConversaKey(empresaId, upsert.instance(), upsert.customerJid());
        Conversa current = conversas.get(key.storeKey());
        Mensagem mensagem = Mensagens.fromUpsert(empresaId, upsert, key.conversaId(), at);
        Conversa next = ConversaRules.onMensagem(current, key, upsert.customerJidAlt(), mensagem, at);
        boolean changed = next != current;
        RealtimeEvent notification = ConversaEvents.messageNotification(next, mensagem, at);
        RealtimeEvent updated = changed ? ConversaEvents.conversationUpdated(next, mensagem.mensagemId(), at) : null;

        // everything above may fail and send the record to the DLQ; below, only Kafka Streams itself can fail
        dedupe.remember(dedupeKey, now);
        if (changed) {
            conversas.put(key.storeKey(), next);
            forward(record, next.conversaId(), next, ConversaTopology.CONVERSAS_SINK);
        }
        forward(record, next.conversaId(), mensagem, ConversaTopology.MENSAGENS_SINK);
        forward(record, empresaId, notification, ConversaTopology.EVENTS_SINK);
        if (updated != null) {
            forward(record, empresaId, updated, ConversaTopology.EVENTS_SINK);
        }
        return WebhookOutcome.PROCESSED;
    }

    private static EvolutionWebhook readWebhook(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidWebhookException("record has no value");
        }
        EvolutionWebhook webhook;
        try {
            webhook = Json.MAPPER.readValue(value, EvolutionWebhook.class);
        } catch (JacksonException e) {
            throw new InvalidWebhookException("not a webhook JSON object: " + e.getOriginalMessage(), e);
        }
        if (webhook == null || webhook.event() == null || webhook.event().isBlank()) {
            throw new InvalidWebhookException("webhook has no event");
        }
        return webhook;
    }

    /** Outputs keep the webhook's time and its correlation id, so one request can be followed through every topic. */
    private void forward(Record<String, byte[]> input, String key, Object value, String sink) {
        Headers headers = new RecordHeaders();
        Header correlation = input.headers().lastHeader(dev.chatcentral.schemas.topic.RecordHeaders.CORRELATION_ID);
        if (correlation != null) {
            headers.add(correlation);
        }
        context.forward(new Record<>(key, value, input.timestamp(), headers), sink);
    }
}
