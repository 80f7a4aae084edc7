package dev.chatcentral.processor.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;

/**
 * Records {@code chat.conversas} and {@code chat.mensagens} in PostgreSQL, one transaction per batch. A record
 * that can never be written (unreadable, or lacking a required field) is logged and counted rather than retried
 * forever; a database failure is retried until it succeeds (see {@link SinkConfiguration}), through a circuit
 * breaker that stops trying PostgreSQL while it is down and lets one batch probe it now and then.
 */
@Component
public class PostgresSink {

    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

    private final SinkRepository repository;
    private final CircuitBreaker circuitBreaker;
    private final Counter skipped;
    private final Counter retries;
    private final Counter conversasWritten;
    private final Counter mensagensWritten;
    private final Timer batchTimer;
    private volatile Instant lastWriteAt;
    private volatile String lastError;

    PostgresSink(SinkRepository repository, CircuitBreaker postgresSinkCircuitBreaker, MeterRegistry registry) {
        this.repository = repository;
        this.circuitBreaker = postgresSinkCircuitBreaker;
        this.skipped = Counter.builder("chatcentral.processor.sink.skipped")
                .description("Records of chat.conversas and chat.mensagens that could not be written to PostgreSQL")
                .register(registry);
        this.retries = Counter.builder("chatcentral.processor.sink.retries")
                .description("Batches PostgreSQL refused (or the open circuit held back), each retried later")
                .register(registry);
        this.conversasWritten = Counter.builder("chatcentral.processor.sink.records")
                .description("Records of chat.conversas and chat.mensagens written to PostgreSQL")
                .tag("topic", "chat.conversas").register(registry);
        this.mensagensWritten = Counter.builder("chatcentral.processor.sink.records")
                .description("Records of chat.conversas and chat.mensagens written to PostgreSQL")
                .tag("topic", "chat.mensagens").register(registry);
        this.batchTimer = Timer.builder("chatcentral.processor.sink.batch")
                .description("Time to write one batch to PostgreSQL, transaction included")
                .register(registry);
    }

    @KafkaListener(id = SinkConfiguration.LISTENER_ID, idIsGroup = false, containerFactory = SinkConfiguration.CONTAINER_FACTORY,
            topics = {
                    "#{T(dev.chatcentral.schemas.topic.Topics).CONVERSAS.name()}",
                    "#{T(dev.chatcentral.schemas.topic.Topics).MENSAGENS.name()}"})
    public void onBatch(List<ConsumerRecord<String, Object>> records) {
        // every version of a conversa (the audit needs each change), the furthest status of each mensagem
        List<Conversa> conversas = new ArrayList<>();
        Map<String, Mensagem> mensagens = new LinkedHashMap<>();
        int conversaRecords = 0;
        int mensagemRecords = 0;
        for (ConsumerRecord<String, Object> record : records) {
            String problem = problem(record.value());
            if (problem != null) {
                log.error("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), problem);
                skipped.increment();
            } else if (record.value() instanceof Conversa conversa) {
                conversas.add(conversa);
                conversaRecords++;
            } else if (record.value() instanceof Mensagem mensagem) {
                mensagens.merge(mensagem.mensagemId(), mensagem,
                        (a, b) -> b.status().ordinal() > a.status().ordinal() ? b : a);
                mensagemRecords++;
            }
        }
        try {
            circuitBreaker.executeRunnable(() -> batchTimer.record(
                    () -> repository.write(conversas, mensagens.values())));
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
        conversasWritten.increment(conversaRecords);
        mensagensWritten.increment(mensagemRecords);
        lastWriteAt = Instant.now();
    }

    /** When a batch last committed in PostgreSQL, or null if none did yet. */
    Instant lastWriteAt() {
        return lastWriteAt;
    }

    /** Why the last refused batch was refused, or null if none was. */
    String lastError() {
        return lastError;
    }

    /** Why the value can never become a row, or null when it can. */
    private static String problem(Object value) {
        if (value instanceof Conversa c) {
            if (Stream.of(c.empresaId(), c.instance(), c.remoteJid(), c.status(), c.createdAt(), c.updatedAt())
                    .anyMatch(Objects::isNull)) {
                return "conversa " + c.conversaId() + " lacks a required field";
            }
            return notUuid(c.conversaId());
        }
        if (value instanceof Mensagem m) {
            if (Stream.of(m.empresaId(), m.instance(), m.keyId(), m.messageType(), m.status(), m.sentAt(),
                    m.receivedAt()).anyMatch(Objects::isNull)) {
                return "mensagem " + m.mensagemId() + " lacks a required field";
            }
            String problem = notUuid(m.mensagemId());
            return problem != null ? problem : notUuid(m.conversaId());
        }
        return value == null ? "value is unreadable or a tombstone" : "unexpected value " + value.getClass().getName();
    }

    private static String notUuid(String id) {
        try {
            UUID.fromString(Objects.requireNonNull(id));
            return null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return "id " + id + " is not a UUID";
        }
    }
}
