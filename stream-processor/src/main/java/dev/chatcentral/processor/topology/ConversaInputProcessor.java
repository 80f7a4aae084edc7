package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.service.logging.LogContext;

/**
 * A processor of one input of the conversa topology, sharing its task's {@link ConversaTask} with the others. An
 * input that cannot be handled goes to the DLQ and the stream goes on; a webhook's outcome is counted either way.
 */
abstract class ConversaInputProcessor implements Processor<String, byte[], String, byte[]> {

    private final ConversaTasks tasks;
    private final boolean webhooks;
    ProcessorContext<String, byte[]> context;
    ConversaTask task;

    /** @param webhooks whether the input's records are webhooks, whose outcomes are counted */
    ConversaInputProcessor(ConversaTasks tasks, boolean webhooks) {
        this.tasks = tasks;
        this.webhooks = webhooks;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.task = tasks.join(context);
    }

    @Override
    public final void process(Record<String, byte[]> record) {
        try (LogContext logContext = LogContext.ofRecord(record.key(), record.headers())) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            WebhookOutcome outcome;
            try {
                outcome = handle(record, source, logContext);
            } catch (StreamsException e) {
                // store and producer failures belong to Kafka Streams (task migration, fencing): never swallowed
                throw e;
            } catch (RuntimeException e) {
                outcome = task.deadLetters().input(record, source, e);
            }
            if (webhooks) {
                task.settings().outcomes().accept(outcome);
            }
        }
    }

    /** @return what became of a webhook; null for other inputs */
    abstract WebhookOutcome handle(Record<String, byte[]> record, RecordMetadata source, LogContext logContext);

    @Override
    public void close() {
        tasks.leave(context, task);
    }
}
