package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.processor.command.InvalidCommandException;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.service.logging.LogContext;

/**
 * A processor of what the atendentes' side sends the conversa topology: commands, dispatch results or session
 * signals, decided into {@link Effects} (the {@code command} package decides them). They see the conversas exactly as
 * the webhooks before them left them. One that cannot be read, names nobody to answer, or fails goes to the DLQ like
 * a webhook would, so that it can be found and redriven.
 */
abstract class AtendenteInputProcessor<T> extends ConversaInputProcessor {

    private final TopicSpec<String, T> topic;

    AtendenteInputProcessor(ConversaTasks tasks, TopicSpec<String, T> topic) {
        super(tasks, false);
        this.topic = topic;
    }

    @Override
    final WebhookOutcome handle(Record<String, byte[]> record, RecordMetadata source, LogContext logContext) {
        task.deadLetters().throwIfPoisoned(source);
        if (record.key() == null || record.key().isBlank()) {
            throw new InvalidCommandException("record has no empresaId key");
        }
        long now = context.currentSystemTimeMs();
        T value = topic.valueSerde().deserializer().deserialize(source.topic(), record.value());
        task.emit(effects(record.key(), value, record.timestamp(), now, logContext), record.timestamp(),
                record.headers());
        return null;
    }

    /**
     * @param empresaId the record's key
     * @param timestamp the record's time: when the change happened
     */
    abstract Effects effects(String empresaId, T value, long timestamp, long nowMillis, LogContext logContext);
}
