package dev.chatcentral.processor.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;

/**
 * Records {@code chat.conversas} and {@code chat.mensagens} in PostgreSQL, one transaction per batch. A record
 * that can never be written (unreadable, or lacking a required field) is logged and counted rather than retried
 * forever; a database failure is retried until it succeeds (see {@link SinkConfiguration}).
 */
@Component
public class PostgresSink {

    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

    private final SinkRepository repository;
    private final Counter skipped;

    PostgresSink(SinkRepository repository, MeterRegistry registry) {
        this.repository = repository;
        this.skipped = Counter.builder("chatcentral.processor.sink.skipped")
                .description("Records of chat.conversas and chat.mensagens that could not be written to PostgreSQL")
                .register(registry);
    }

    @KafkaListener(containerFactory = SinkConfiguration.CONTAINER_FACTORY, topics = {
            "#{T(dev.chatcentral.schemas.topic.Topics).CONVERSAS.name()}",
            "#{T(dev.chatcentral.schemas.topic.Topics).MENSAGENS.name()}"})
    public void onBatch(List<ConsumerRecord<String, Object>> records) {
        // one row per id and batch: the newest version of a conversa, the furthest status of a mensagem
        Map<String, Conversa> conversas = new LinkedHashMap<>();
        Map<String, Mensagem> mensagens = new LinkedHashMap<>();
        for (ConsumerRecord<String, Object> record : records) {
            String problem = problem(record.value());
            if (problem != null) {
                log.error("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), problem);
                skipped.increment();
            } else if (record.value() instanceof Conversa conversa) {
                conversas.merge(conversa.conversaId(), conversa, (a, b) -> b.version() > a.version() ? b : a);
            } else if (record.value() instanceof Mensagem mensagem) {
                mensagens.merge(mensagem.mensagemId(), mensagem,
                        (a, b) -> b.status().ordinal() > a.status().ordinal() ? b : a);
            }
        }
        try {
            repository.write(conversas.values(), mensagens.values());
        } catch (DataAccessException e) {
            log.warn("PostgreSQL refused a batch of {} records, retrying it: {}", records.size(),
                    e.getMostSpecificCause().getMessage());
            throw e;
        }
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
