package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.DeadLetters;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.retry.ParkedRecord;

/**
 * Where the conversa topology's inputs go when they cannot be processed: {@code chat.dlq} with the reason, or nowhere
 * when the DLQ is disabled; either way counted, so that the stream goes on.
 */
final class DeadLetterRoute {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRoute.class);

    private final ProcessorContext<String, byte[]> context;
    private final TopologySettings settings;
    private final DedupeWindow dedupe;

    DeadLetterRoute(ProcessorContext<String, byte[]> context, TopologySettings settings, DedupeWindow dedupe) {
        this.context = context;
        this.settings = settings;
        this.dedupe = dedupe;
    }

    /**
     * The input Kafka refused an output of before (see {@link PoisonRecords}) fails now, before anything else, so
     * that it goes to the DLQ in this transaction.
     */
    void throwIfPoisoned(RecordMetadata source) {
        PoisonRecords.Poison poison = settings.poison().take(source.topic(), source.partition(), source.offset());
        if (poison != null) {
            throw new PoisonedRecordException(poison);
        }
    }

    /** An input that failed at its first attempt, from any source. */
    WebhookOutcome input(Record<String, byte[]> record, RecordMetadata source, RuntimeException failure) {
        DeadLetterReason reason = DeadLetters.reason(failure);
        String from = source.topic() + "-" + source.partition() + "@" + source.offset();
        if (reason == DeadLetterReason.PROCESSING_FAILED) {
            log.warn("{} of empresa {} failed", from, record.key(), failure);
        } else {
            log.warn("{} of empresa {} goes to the DLQ ({}): {}", from, record.key(), reason.code(),
                    failure.getMessage());
        }
        return send(DeadLetters.of(record, source, DeadLetterStage.CONVERSA, reason, failure,
                context.currentSystemTimeMs()), reason, null);
    }

    /** A parked webhook whose last attempt failed, after {@code failures} attempts in all. */
    WebhookOutcome parked(ParkedRecord parked, Exception failure, int failures) {
        log.warn("webhook {}-{}@{} of empresa {} gave up after {} attempts: {}", parked.originalTopic(),
                parked.originalPartition(), parked.originalOffset(), parked.key(), failures, failure.getMessage());
        return send(DeadLetters.of(parked, failure, failures, context.currentSystemTimeMs()),
                DeadLetters.reason(failure), parked.dedupeKey());
    }

    /** @param dedupeKey forgotten, so that a redrive of the record is not dropped as a duplicate */
    private WebhookOutcome send(Record<String, byte[]> deadLetter, DeadLetterReason reason, String dedupeKey) {
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
}
