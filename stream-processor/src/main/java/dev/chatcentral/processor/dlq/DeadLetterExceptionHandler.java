package dev.chatcentral.processor.dlq;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Kafka Streams' three exception handlers, wired to the DLQ for what the topologies cannot catch themselves.
 *
 * <ul>
 *   <li><b>Deserialization</b>: the record never reaches a processor, so its dead letter is written here, outside
 *       the transaction, before processing goes on (at least once: a transaction aborted later reads it, and writes
 *       it, again).</li>
 *   <li><b>Processing</b> and <b>production</b> (an output Kafka refused for good): the input is marked in
 *       {@link PoisonRecords} and the thread fails. Under exactly-once the transaction could not commit anyway;
 *       the replaced thread reads the input again and the processor dead-letters it inside the transaction.</li>
 * </ul>
 * Kafka Streams' own failures (a {@link StreamsException}: stores, fencing) and retriable broker errors are never
 * dead-lettered: they fail or retry as Kafka Streams decides, and the record is processed once they pass.
 */
public final class DeadLetterExceptionHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

    /** The configuration key of the client's {@link DeadLetterRouting}. */
    public static final String ROUTING_CONFIG = "chatcentral.dead-letter-routing";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private DeadLetterRouting routing;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(ROUTING_CONFIG) instanceof DeadLetterRouting configured)) {
            throw new ConfigException(ROUTING_CONFIG, configs.get(ROUTING_CONFIG), "a DeadLetterRouting is required");
        }
        this.routing = configured;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        if (routing.publisher() == null) {
            return DeserializationHandlerResponse.FAIL;
        }
        String empresaId = record.key() == null ? null : new StringDeserializer().deserialize(record.topic(),
                record.key());
        try (LogContext logContext = LogContext.ofRecord(empresaId, record.headers())) {
            return deadLetterUnreadable(record, exception, empresaId);
        }
    }

    private DeserializationHandlerResponse deadLetterUnreadable(ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception, String empresaId) {
        var origin = new DeadLetterHeaders.Origin(record.topic(), record.partition(), record.offset(), empresaId);
        var headers = DeadLetterHeaders.add(new RecordHeaders(record.headers().toArray()), routing.stage(),
                DeadLetterReason.UNREADABLE, exception, origin,
                DeadLetterHeaders.Attempts.once(System.currentTimeMillis()));
        try {
            routing.publisher().publish(new ProducerRecord<>(Topics.DLQ.name(), null, record.timestamp(),
                    record.key(), record.value(), headers));
        } catch (DeadLetterPublisher.DeadLetterNotWrittenException e) {
            log.error("{}-{}@{} is unreadable and its dead letter could not be written: failing", record.topic(),
                    record.partition(), record.offset(), e);
            return DeserializationHandlerResponse.FAIL;
        }
        log.warn("{}-{}@{} of empresa {} is unreadable, sent to the DLQ: {}", record.topic(), record.partition(),
                record.offset(), empresaId, exception.getMessage());
        routing.listener().deadLettered(routing.stage(), DeadLetterReason.UNREADABLE, empresaId);
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof StreamsException)) {
            mark(context, DeadLetterReason.PROCESSING_FAILED, exception);
        }
        return ProcessingHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context,
                                                     ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandlerResponse.RETRY;
        }
        mark(context, DeadLetterReason.PRODUCTION_FAILED, exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
                                                                           ProducerRecord record, Exception exception,
                                                                           SerializationExceptionOrigin origin) {
        mark(context, DeadLetterReason.PRODUCTION_FAILED, exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    /** An output of a punctuation has no input to dead-letter: the failure is only logged, and the thread fails. */
    private void mark(ErrorHandlerContext context, DeadLetterReason reason, Exception exception) {
        if (context.topic() == null) {
            log.error("{} output of a punctuation in task {} failed for good", routing.stage().code(),
                    context.taskId(), exception);
            return;
        }
        log.error("{}-{}@{} failed for good ({}): replacing the thread, which sends the record to the DLQ",
                context.topic(), context.partition(), context.offset(), reason.code(), exception);
        routing.poison().mark(context.topic(), context.partition(), context.offset(),
                new PoisonRecords.Poison(reason, exception));
    }
}
