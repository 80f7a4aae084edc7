package dev.chatcentral.processor.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import dev.chatcentral.processor.dlq.DeadLetterHeaders;
import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.dlq.DeadLetterPublisher;
import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Records {@code chat.conversas} and {@code chat.mensagens} in PostgreSQL, one transaction per batch, and never lets
 * one record hold the others back:
 * <ul>
 *   <li>a record that can never become a row (unreadable, or lacking a required field) goes to {@code chat.dlq};</li>
 *   <li>a batch PostgreSQL refuses for a reason of its own (away, overloaded: {@link SinkFailures#isTransient}) is
 *       retried whole until it succeeds (see {@link SinkConfiguration}), through a circuit breaker that stops trying
 *       while PostgreSQL is down;</li>
 *   <li>a batch it refuses because of what it holds is split in halves, each written in a transaction of its own,
 *       until the records that fail alone are found: they go to {@code chat.dlq} with PostgreSQL's reason, and the
 *       rest is written. Rows are idempotent upserts, so writing a half twice is harmless.</li>
 * </ul>
 * Offsets are committed only after the batch's rows and dead letters are safe.
 *
 * <p>Reading a record is {@link SinkValue}'s, the SQL and the split {@link SinkRepository}'s, the classification of
 * failures {@link SinkFailures}': {@code bin/replay rebuild-db} writes through the same pieces.
 */
@Component
public class PostgresSink {

    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

    private final SinkRepository repository;
    private final CircuitBreaker circuitBreaker;
    private final DeadLetterPublisher deadLetters;
    private final DeadLetterListener deadLetterListener;
    private final Clock clock = Clock.systemUTC();
    private final Counter retries;
    private final Counter skipped;
    private final Counter conversasWritten;
    private final Counter mensagensWritten;
    private final Timer batchTimer;
    private final Instant startedAt;
    private volatile Instant lastWriteAt;
    private volatile String lastError;
    /** The batch in hand: since when it is being tried, and its oldest record's time; null when idle. */
    private final AtomicReference<Pending> pending = new AtomicReference<>();

    private record Pending(Instant firstTriedAt, Instant oldestRecordAt) {
    }

    /** One record of a batch, read: its value, or why it can never become a row. */
    private record Item(ConsumerRecord<String, byte[]> record, Object value, String problem) {
    }

    PostgresSink(SinkRepository repository, CircuitBreaker postgresSinkCircuitBreaker, DeadLetterPublisher deadLetters,
                 DeadLetterListener deadLetterListener, MeterRegistry registry) {
        this.repository = repository;
        this.circuitBreaker = postgresSinkCircuitBreaker;
        this.deadLetters = deadLetters;
        this.deadLetterListener = deadLetterListener;
        this.startedAt = clock.instant();
        this.retries = Counter.builder("chatcentral.processor.sink.retries")
                .description("Batches PostgreSQL refused (or the open circuit held back), each retried later")
                .register(registry);
        this.skipped = Counter.builder("chatcentral.processor.sink.skipped")
                .description("Tombstones on chat.conversas, which delete nothing in PostgreSQL")
                .register(registry);
        this.conversasWritten = Counter.builder("chatcentral.processor.sink.records")
                .description("Records of chat.conversas and chat.mensagens written to PostgreSQL")
                .tag("topic", Topics.CONVERSAS.name()).register(registry);
        this.mensagensWritten = Counter.builder("chatcentral.processor.sink.records")
                .description("Records of chat.conversas and chat.mensagens written to PostgreSQL")
                .tag("topic", Topics.MENSAGENS.name()).register(registry);
        this.batchTimer = Timer.builder("chatcentral.processor.sink.batch")
                .description("Time to write one batch to PostgreSQL, transaction included")
                .register(registry);
        Gauge.builder("chatcentral.processor.sink.oldest.waiting.age", this, sink -> sink.oldestWaitingAge()
                        .toMillis() / 1000.0)
                .description("Age of the oldest record the sink holds and has not written yet; 0 when idle")
                .baseUnit("seconds")
                .register(registry);
    }

    @KafkaListener(id = SinkConfiguration.LISTENER_ID, idIsGroup = false,
            containerFactory = SinkConfiguration.CONTAINER_FACTORY,
            topics = {
                    "#{T(dev.chatcentral.schemas.topic.Topics).CONVERSAS.name()}",
                    "#{T(dev.chatcentral.schemas.topic.Topics).MENSAGENS.name()}"})
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Instant oldest = records.stream().map(r -> Instant.ofEpochMilli(r.timestamp())).min(Instant::compareTo)
                .orElse(clock.instant());
        pending.compareAndSet(null, new Pending(clock.instant(), oldest));
        List<Item> writable = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Item item = read(record);
            if (item.value() == null && item.problem() == null) {
                skipped.increment();
            } else if (item.problem() != null) {
                deadLetter(item, DeadLetterReason.INVALID, new IllegalArgumentException(item.problem()));
            } else {
                writable.add(item);
            }
        }
        try {
            circuitBreaker.executeRunnable(() -> batchTimer.record(() -> writeFindingRefused(writable)));
        } catch (DataAccessException | TransactionException e) {
            retries.increment();
            lastError = e.getClass().getSimpleName() + ": " + e.getMostSpecificCause().getMessage();
            log.warn("PostgreSQL refused a batch of {} records, retrying it: {}", records.size(), lastError);
            throw e;
        } catch (CallNotPermittedException e) {
            retries.increment();
            log.debug("circuit open, batch of {} records held back", records.size());
            throw e;
        }
        conversasWritten.increment(writable.stream().filter(i -> i.value() instanceof Conversa).count());
        mensagensWritten.increment(writable.stream().filter(i -> i.value() instanceof Mensagem).count());
        lastWriteAt = clock.instant();
        pending.set(null);
    }

    /** Writes the batch and dead-letters the records PostgreSQL refuses for what they hold. */
    private void writeFindingRefused(List<Item> items) {
        for (SinkRepository.Refused<Item> r : repository.writeFindingRefused(items, Item::value)) {
            deadLetter(r.item(), DeadLetterReason.DATABASE_REFUSED, new DatabaseRefusedException(r.failure()));
        }
    }

    private void deadLetter(Item item, DeadLetterReason reason, Exception failure) {
        ConsumerRecord<String, byte[]> record = item.record();
        String empresaId = item.value() instanceof Conversa c ? c.empresaId()
                : item.value() instanceof Mensagem m ? m.empresaId() : null;
        var headers = DeadLetterHeaders.add(new RecordHeaders(record.headers().toArray()), DeadLetterStage.SINK,
                reason, failure, new DeadLetterHeaders.Origin(record.topic(), record.partition(), record.offset(),
                        empresaId), DeadLetterHeaders.Attempts.once(clock.millis()));
        byte[] key = record.key() == null ? null : Topics.DLQ.keySerde().serializer().serialize(Topics.DLQ.name(),
                record.key());
        deadLetters.publish(new ProducerRecord<>(Topics.DLQ.name(), null, record.timestamp(), key, record.value(),
                headers));
        deadLetterListener.deadLettered(DeadLetterStage.SINK, reason, empresaId);
        log.error("{}-{}@{} of empresa {} sent to the DLQ ({}): {}", record.topic(), record.partition(),
                record.offset(), empresaId, reason.code(), failure.getMessage());
    }

    /** The record's value read as every reader of the sink's topics reads it ({@link SinkValue}). */
    private static Item read(ConsumerRecord<String, byte[]> record) {
        SinkValue read = SinkValue.read(record.topic(), record.value());
        return new Item(record, read.value(), read.problem());
    }

    /** When a batch last committed in PostgreSQL, or null if none did yet. */
    Instant lastWriteAt() {
        return lastWriteAt;
    }

    /** Why the last refused batch was refused, or null if none was. */
    String lastError() {
        return lastError;
    }

    /** How long the batch in hand has been tried without success; zero when idle. */
    Duration stalledFor() {
        Pending current = pending.get();
        return current == null ? Duration.ZERO : Duration.between(current.firstTriedAt(), clock.instant());
    }

    /** The last time the sink wrote, or its start when it has not yet. */
    Instant lastProgressAt() {
        Instant written = lastWriteAt;
        return written != null ? written : startedAt;
    }

    Duration oldestWaitingAge() {
        Pending current = pending.get();
        Duration age = current == null ? Duration.ZERO : Duration.between(current.oldestRecordAt(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }
}
