package dev.chatcentral.processor.topology;

import java.time.Instant;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.ParkingLot;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.processor.retry.RetryLaterException;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.service.logging.LogContext;

/**
 * The webhooks of a task that cannot be processed yet, in one FIFO queue per conversa ({@link ParkingLot}). The head
 * of a queue is retried with exponential backoff: a wall-clock punctuator releases it to {@code chat.webhooks.retry}
 * when due, and that record, coming back to this task, is the next attempt ({@link RetryProcessor}); after the last
 * one it goes to the DLQ. The punctuator is scheduled only while something is parked: every punctuation makes the
 * task commit, even with no output.
 *
 * <p>Kafka Streams runs a punctuator as the processor that was processing when it was scheduled, and a record is
 * parked by whichever processor's input made it wait: each of them is a parent of the retry sink.
 */
final class Parking {

    private static final Logger log = LoggerFactory.getLogger(Parking.class);

    private final ProcessorContext<String, byte[]> context;
    private final TopologySettings settings;
    private final RetryPolicy retry;
    private final ParkingLot lot;
    private final DeadLetterRoute deadLetters;
    /** One attempt at a parked record, its effects emitted. */
    private final Function<ParkedRecord, WebhookOutcome> attempt;
    private Cancellable punctuation;

    Parking(ProcessorContext<String, byte[]> context, TopologySettings settings, ParkingLot lot,
            DeadLetterRoute deadLetters, Function<ParkedRecord, WebhookOutcome> attempt) {
        this.context = context;
        this.settings = settings;
        this.retry = settings.retry();
        this.lot = lot;
        this.deadLetters = deadLetters;
        this.attempt = attempt;
    }

    boolean hasQueue(String queueKey) {
        return lot.hasQueue(queueKey);
    }

    ParkedRecord get(String parkingKey) {
        return lot.get(parkingKey);
    }

    void remove(String parkingKey) {
        lot.remove(parkingKey);
    }

    void park(String parkingKey, ParkedRecord parked) {
        lot.put(parkingKey, parked);
        schedule();
    }

    /** After a restart or a rebalance: what was parked before is retried again. */
    void scheduleIfParked() {
        if (!lot.isEmpty()) {
            schedule();
        }
    }

    void cancel() {
        if (punctuation != null) {
            punctuation.cancel();
            punctuation = null;
        }
    }

    private void schedule() {
        if (punctuation == null) {
            punctuation = context.schedule(retry.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME,
                    this::releaseDue);
        }
    }

    /** Punctuation: every due head of a queue goes to the retry topic; its return to this task is the retry. */
    private void releaseDue(long now) {
        for (KeyValue<String, ParkedRecord> due : lot.dueHeads(now)) {
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
            lot.put(due.key, parked.released());
        }
        if (lot.isEmpty()) {
            cancel();
        }
    }

    /**
     * Processes a conversa's queue from its head for as long as records succeed; stops at the first that still
     * cannot be processed, which becomes (or stays) the parked head.
     */
    void workOff(String queueKey) {
        for (KeyValue<String, ParkedRecord> entry : lot.queue(queueKey)) {
            ParkedRecord parked = entry.value;
            try (LogContext parkedContext = LogContext.ofRecord(parked.key(), parked.originalHeaders())) {
                WebhookOutcome outcome;
                try {
                    outcome = attempt.apply(parked);
                    lot.remove(entry.key);
                } catch (RetryLaterException e) {
                    if (parked.state() != ParkedRecord.State.WAITING) {
                        return;
                    }
                    if (!retry.exhausted(1)) {
                        park(entry.key, parked.failed(e, context.currentSystemTimeMs(), retry));
                        return;
                    }
                    lot.remove(entry.key);
                    outcome = deadLetters.parked(parked, e, 1);
                } catch (StreamsException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("parked webhook {} failed", entry.key, e);
                    lot.remove(entry.key);
                    outcome = deadLetters.parked(parked, e, parked.failures() + 1);
                }
                settings.outcomes().accept(outcome);
            }
        }
    }
}
