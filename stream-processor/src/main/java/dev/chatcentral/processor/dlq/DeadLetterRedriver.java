package dev.chatcentral.processor.dlq;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Sends DLQ records back to {@code chat.webhooks}: the original key, bytes and headers, without the failure
 * headers and marked as redriven. It reads only committed DLQ records, up to the end the DLQ had when the redrive
 * began. A redriven record that was in fact processed before is dropped by the topology's dedupe, so redriving
 * twice is harmless.
 */
@Component
public class DeadLetterRedriver {

    /** On a redriven record: the DLQ record it came from. */
    public static final String REDRIVEN_FROM = "redriven-from";
    /** On a redriven record: when it was redriven (ISO-8601). */
    public static final String REDRIVEN_AT = "redriven-at";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> FAILURE_HEADERS = List.of(RecordHeaders.ERROR_EXCEPTION,
            RecordHeaders.ERROR_MESSAGE, RecordHeaders.ORIGINAL_TOPIC, RecordHeaders.ORIGINAL_PARTITION,
            RecordHeaders.ORIGINAL_OFFSET, RecordHeaders.FAILED_AT, RetryHeaders.ATTEMPTS,
            RetryHeaders.FIRST_FAILED_AT, RetryHeaders.ATTEMPT, RetryHeaders.DUE_AT, RetryHeaders.PARKING_KEY);

    private final KafkaProperties kafkaProperties;

    public DeadLetterRedriver(KafkaProperties kafkaProperties) {
        this.kafkaProperties = kafkaProperties;
    }

    /** What a redrive did: the DLQ records sent back, and the asked-for ids that are not in the DLQ. */
    public record Result(List<String> redriven, List<String> notFound) {
    }

    public Result redrive(DeadLetterSelection selection) {
        List<ConsumerRecord<byte[], byte[]>> selected = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> starts = starts(selection);
            consumer.assign(starts.keySet());
            starts.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(starts.keySet()));
            ends.entrySet().removeIf(e -> e.getValue() <= starts.get(e.getKey()));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.WEBHOOKS_DLQ.name() + " to its end"
                            + " within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    DeadLetterId id = new DeadLetterId(record.partition(), record.offset());
                    if (record.offset() < ends.getOrDefault(new TopicPartition(record.topic(), record.partition()),
                            -1L) && selection.matches(id, failedAt(record))) {
                        selected.add(record);
                    }
                }
                // positions pass transaction markers too, so reaching the end is judged by position
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        List<String> redriven = send(selected);
        List<String> notFound = selection.ids() == null ? List.of() : selection.ids().stream()
                .map(DeadLetterId::toString).filter(id -> !redriven.contains(id)).sorted().toList();
        log.info("redrove {} DLQ records to {}; not found: {}", redriven.size(), Topics.WEBHOOKS.name(), notFound);
        return new Result(redriven, notFound);
    }

    private static Map<TopicPartition, Long> starts(DeadLetterSelection selection) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        if (selection.ids() != null) {
            for (DeadLetterId id : selection.ids()) {
                starts.merge(new TopicPartition(Topics.WEBHOOKS_DLQ.name(), id.partition()), id.offset(), Math::min);
            }
        } else {
            for (int p = 0; p < Topics.WEBHOOKS_DLQ.partitions(); p++) {
                starts.put(new TopicPartition(Topics.WEBHOOKS_DLQ.name(), p), 0L);
            }
        }
        return starts;
    }

    /** The last failure time from the DLQ header, else the record's own time. */
    private static Instant failedAt(ConsumerRecord<byte[], byte[]> record) {
        String failedAt = RecordHeaders.get(record.headers(), RecordHeaders.FAILED_AT);
        if (failedAt != null) {
            try {
                return Instant.parse(failedAt);
            } catch (DateTimeParseException e) {
                log.debug("DLQ record {}-{} has an unreadable {} header", record.partition(), record.offset(),
                        RecordHeaders.FAILED_AT);
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }

    private List<String> send(List<ConsumerRecord<byte[], byte[]>> selected) {
        if (selected.isEmpty()) {
            return List.of();
        }
        String now = Instant.now().toString();
        List<String> ids = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ConsumerRecord<byte[], byte[]> record : selected) {
                String id = new DeadLetterId(record.partition(), record.offset()).toString();
                Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(
                        record.headers().toArray());
                FAILURE_HEADERS.forEach(headers::remove);
                RecordHeaders.put(headers, REDRIVEN_FROM, id);
                RecordHeaders.put(headers, REDRIVEN_AT, now);
                acks.add(producer.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), null, record.timestamp(),
                        record.key(), record.value(), headers)));
                ids.add(id);
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to " + Topics.WEBHOOKS.name() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        return ids;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = kafkaProperties.buildConsumerProperties();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
