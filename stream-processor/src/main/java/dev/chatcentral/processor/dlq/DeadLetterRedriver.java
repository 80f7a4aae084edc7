package dev.chatcentral.processor.dlq;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Sends DLQ records back to the topic each came from ({@code original-topic}): the original key, bytes and headers,
 * without the failure headers and marked as redriven. It reads only committed DLQ records, up to the end the DLQ had
 * when the redrive began, and streams them: nothing but ids is held in memory.
 *
 * <p>A redriven record that fails again comes back to the DLQ as a new record naming the one it came from
 * ({@code redriven-from}). The older one is then superseded: a later redrive sends only the newest of each line, so
 * redriving everything again and again never multiplies a record. A redriven record that was in fact processed
 * before is dropped by the stage's own deduplication (a webhook's key, a command's id, an idempotent upsert), so
 * redriving twice is harmless.
 */
@Component
public class DeadLetterRedriver {

    /** On a redriven record: the DLQ record it came from. */
    public static final String REDRIVEN_FROM = "redriven-from";
    /** On a redriven record: when it was redriven (ISO-8601). */
    public static final String REDRIVEN_AT = "redriven-at";
    /** Most ids listed in a result; the counts are always complete. */
    static final int MAX_LISTED_IDS = 1000;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> FAILURE_HEADERS = List.of(RecordHeaders.ERROR_EXCEPTION,
            RecordHeaders.ERROR_MESSAGE, RecordHeaders.ERROR_REASON, RecordHeaders.DLQ_STAGE,
            RecordHeaders.ORIGINAL_TOPIC, RecordHeaders.ORIGINAL_PARTITION, RecordHeaders.ORIGINAL_OFFSET,
            RecordHeaders.FAILED_AT, RetryHeaders.ATTEMPTS, RetryHeaders.FIRST_FAILED_AT, RetryHeaders.ATTEMPT,
            RetryHeaders.DUE_AT, RetryHeaders.PARKING_KEY, REDRIVEN_FROM, REDRIVEN_AT);
    /** The topics a stage reads and may dead-letter records of: where a redrive may send them back. */
    private static final Map<String, TopicSpec<?, ?>> REDRIVABLE = Map.of(
            Topics.WEBHOOKS.name(), Topics.WEBHOOKS,
            Topics.COMMANDS.name(), Topics.COMMANDS,
            Topics.OUTBOUND_RESULTS.name(), Topics.OUTBOUND_RESULTS,
            Topics.SIGNALS.name(), Topics.SIGNALS,
            Topics.CONVERSAS.name(), Topics.CONVERSAS,
            Topics.MENSAGENS.name(), Topics.MENSAGENS);

    private final KafkaProperties kafkaProperties;
    private final int dlqPartitions;

    public DeadLetterRedriver(KafkaProperties kafkaProperties, TopicCatalog catalog) {
        this.kafkaProperties = kafkaProperties;
        this.dlqPartitions = catalog.partitions(Topics.DLQ);
    }

    /**
     * What a redrive did.
     *
     * @param redriven   how many records went back to their topics
     * @param ids        their ids, the first {@link #MAX_LISTED_IDS}
     * @param notFound   asked-for ids that are not in the DLQ
     * @param superseded selected records not sent because a later redrive of them failed again and is in the DLQ
     *                   (send that one), the first {@link #MAX_LISTED_IDS}
     * @param unroutable selected records whose origin is not a topic a redrive can write to, with why
     */
    public record Result(long redriven, List<String> ids, List<String> notFound, List<String> superseded,
                         Map<String, String> unroutable) {
    }

    public Result redrive(DeadLetterSelection selection) {
        Set<String> supersededIds = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> ends = scanAll(consumer, record -> {
                String from = RecordHeaders.get(record.headers(), REDRIVEN_FROM);
                if (from != null) {
                    supersededIds.add(from);
                }
            });
            Sender sender = new Sender();
            Set<String> seen = new HashSet<>();
            List<String> superseded = new ArrayList<>();
            Map<String, String> unroutable = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                scan(consumer, ends, starts(selection), record -> {
                    DeadLetterId id = new DeadLetterId(record.partition(), record.offset());
                    Headers headers = record.headers();
                    if (!selection.matches(id, failedAt(record), RecordHeaders.get(headers, RecordHeaders.DLQ_STAGE),
                            RecordHeaders.get(headers, RecordHeaders.ERROR_REASON),
                            RecordHeaders.get(headers, RecordHeaders.EMPRESA_ID))) {
                        return;
                    }
                    seen.add(id.toString());
                    String target = RecordHeaders.get(record.headers(), RecordHeaders.ORIGINAL_TOPIC);
                    if (supersededIds.contains(id.toString())) {
                        addListed(superseded, id.toString());
                    } else if (target == null || !REDRIVABLE.containsKey(target)) {
                        if (unroutable.size() < MAX_LISTED_IDS) {
                            unroutable.put(id.toString(), "its origin " + target + " is not a topic a stage reads");
                        }
                    } else {
                        sender.send(producer, target, record, id);
                    }
                });
                producer.flush();
            }
            sender.rethrowFailure();
            List<String> notFound = selection.ids() == null ? List.of() : selection.ids().stream()
                    .map(DeadLetterId::toString).filter(id -> !seen.contains(id)).sorted().toList();
            log.info("redrove {} DLQ records; superseded: {}, unroutable: {}, not found: {}", sender.count,
                    superseded.size(), unroutable.size(), notFound);
            return new Result(sender.count, List.copyOf(sender.ids), notFound, List.copyOf(superseded),
                    Map.copyOf(unroutable));
        }
    }

    /** Sends records as they are read, remembering the first failure; the producer's flush waits for the rest. */
    private static final class Sender {
        private final String redrivenAt = Instant.now().toString();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final List<String> ids = new ArrayList<>();
        private long count;

        void send(KafkaProducer<byte[], byte[]> producer, String topic, ConsumerRecord<byte[], byte[]> record,
                  DeadLetterId id) {
            if (failure.get() != null) {
                return;
            }
            Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(record.headers().toArray());
            FAILURE_HEADERS.forEach(headers::remove);
            RecordHeaders.put(headers, REDRIVEN_FROM, id.toString());
            RecordHeaders.put(headers, REDRIVEN_AT, redrivenAt);
            producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(),
                    headers), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
            count++;
            addListed(ids, id.toString());
        }

        void rethrowFailure() {
            Exception error = failure.get();
            if (error != null) {
                throw new IllegalStateException("a redriven record could not be written: " + error.getMessage()
                        + "; the records sent before it are redriven, redrive the rest again", error);
            }
        }
    }

    private static void addListed(List<String> list, String id) {
        if (list.size() < MAX_LISTED_IDS) {
            list.add(id);
        }
    }

    /** Reads the whole DLQ up to its current end; returns that end, for the second pass to stop at too. */
    private Map<TopicPartition, Long> scanAll(KafkaConsumer<byte[], byte[]> consumer,
                                              Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (int p = 0; p < dlqPartitions; p++) {
            starts.put(new TopicPartition(Topics.DLQ.name(), p), 0L);
        }
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(starts.keySet()));
        scan(consumer, ends, starts, each);
        return ends;
    }

    private static void scan(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends,
                             Map<TopicPartition, Long> starts, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        starts.forEach((partition, start) -> {
            if (ends.getOrDefault(partition, 0L) > start) {
                remaining.put(partition, ends.get(partition));
            }
        });
        consumer.assign(remaining.keySet());
        remaining.keySet().forEach(partition -> consumer.seek(partition, starts.get(partition)));
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!remaining.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.DLQ.name() + " to its end within "
                        + READ_TIMEOUT.toMinutes() + " min");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end) {
                    each.accept(record);
                }
            }
            // positions pass transaction markers too, so reaching the end is judged by position
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
    }

    private Map<TopicPartition, Long> starts(DeadLetterSelection selection) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        if (selection.ids() != null) {
            for (DeadLetterId id : selection.ids()) {
                starts.merge(new TopicPartition(Topics.DLQ.name(), id.partition()), id.offset(), Math::min);
            }
        } else {
            for (int p = 0; p < dlqPartitions; p++) {
                starts.put(new TopicPartition(Topics.DLQ.name(), p), 0L);
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
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.maxRequestBytes(Topics.DLQ.maxMessageBytes()));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
