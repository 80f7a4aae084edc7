package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.ParkingLot;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.processor.retry.RetryLaterException;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.webhooks.retry}: a parked webhook that {@link Parking}'s punctuator released, back in the task
 * that parked it, is its next attempt. When it succeeds the rest of its conversa's queue is worked off; when it fails
 * again it is parked for a later attempt, or goes to the DLQ after the last. On start it schedules the punctuator
 * again if anything is still parked.
 */
final class RetryProcessor extends ConversaInputProcessor {

    private static final Logger log = LoggerFactory.getLogger(RetryProcessor.class);

    RetryProcessor(ConversaTasks tasks) {
        super(tasks, true);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        task.parking().scheduleIfParked();
    }

    @Override
    WebhookOutcome handle(Record<String, byte[]> record, RecordMetadata source, LogContext logContext) {
        String parkingKey = RecordHeaders.get(record.headers(), RetryHeaders.PARKING_KEY);
        if (parkingKey == null) {
            throw new InvalidWebhookException("retry record has no " + RetryHeaders.PARKING_KEY + " header");
        }
        Parking parking = task.parking();
        ParkedRecord parked = parking.get(parkingKey);
        if (parked == null || parked.state() != ParkedRecord.State.RELEASED) {
            return WebhookOutcome.STALE_RETRY;
        }
        RetryPolicy retry = task.settings().retry();
        WebhookOutcome outcome;
        try {
            task.deadLetters().throwIfPoisoned(source);
            outcome = task.attempt(parked);
            parking.remove(parkingKey);
        } catch (RetryLaterException e) {
            int failures = parked.failures() + 1;
            if (!retry.exhausted(failures)) {
                parking.park(parkingKey, parked.failed(e, context.currentSystemTimeMs(), retry));
                return WebhookOutcome.RETRY_PARKED;
            }
            parking.remove(parkingKey);
            outcome = task.deadLetters().parked(parked, e, failures);
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("retry of webhook {} failed", parkingKey, e);
            parking.remove(parkingKey);
            outcome = task.deadLetters().parked(parked, e, parked.failures() + 1);
        }
        parking.workOff(ParkingLot.queueKey(parkingKey));
        return outcome;
    }
}
