package dev.chatcentral.processor.sink;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.common.errors.SerializationException;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * One record of {@code chat.conversas} or {@code chat.mensagens} read as the sink reads it: its value (a
 * {@link Conversa} or a {@link Mensagem}), or why it can never become a row; both null for a tombstone. The live sink
 * and {@code bin/replay rebuild-db} read records through this one piece, so a rebuild keeps exactly the records the
 * sink keeps.
 */
public record SinkValue(Object value, String problem) {

    /** The instants the JDBC driver passes on to PostgreSQL as they are: see {@link #notPassedOn}. */
    private static final Instant FIRST_PASSED_ON = Instant.parse("-4712-01-01T00:00:00Z");
    private static final Instant LAST_PASSED_ON = LocalDateTime.MAX.toInstant(ZoneOffset.UTC);

    /** The value of a record of {@code topic} ({@code chat.conversas} or else {@code chat.mensagens}). */
    public static SinkValue read(String topic, byte[] bytes) {
        if (bytes == null) {
            // a tombstone on the compacted chat.conversas: the topology writes none, and it deletes no row
            return new SinkValue(null, null);
        }
        TopicSpec<String, ?> spec = topic.equals(Topics.CONVERSAS.name()) ? Topics.CONVERSAS : Topics.MENSAGENS;
        Object value;
        try {
            value = spec.valueSerde().deserializer().deserialize(topic, bytes);
        } catch (SerializationException e) {
            return new SinkValue(null, "unreadable: " + e.getMessage());
        }
        return new SinkValue(value, problem(value));
    }

    public boolean isTombstone() {
        return value == null && problem == null;
    }

    /** Why the value can never become a row as it is, or null when it can. */
    static String problem(Object value) {
        if (value instanceof Conversa c) {
            if (Stream.of(c.empresaId(), c.instance(), c.remoteJid(), c.status(), c.createdAt(), c.updatedAt())
                    .anyMatch(Objects::isNull)) {
                return "conversa " + c.conversaId() + " lacks a required field";
            }
            if (Stream.of(c.lastMensagemAt(), c.createdAt(), c.updatedAt()).anyMatch(SinkValue::notPassedOn)) {
                return "conversa " + c.conversaId() + " has an instant the database driver cannot pass on";
            }
            return notUuid(c.conversaId());
        }
        if (value instanceof Mensagem m) {
            if (Stream.of(m.empresaId(), m.instance(), m.keyId(), m.messageType(), m.status(), m.sentAt(),
                    m.receivedAt()).anyMatch(Objects::isNull)) {
                return "mensagem " + m.mensagemId() + " lacks a required field";
            }
            if (Stream.of(m.sentAt(), m.receivedAt(), m.retryAt(), m.editedAt(), m.deletedAt())
                    .anyMatch(SinkValue::notPassedOn)) {
                return "mensagem " + m.mensagemId() + " has an instant the database driver cannot pass on";
            }
            String problem = notUuid(m.mensagemId());
            return problem != null ? problem : notUuid(m.conversaId());
        }
        return "unexpected value " + value.getClass().getName();
    }

    /**
     * Whether the JDBC driver would not hand the instant to PostgreSQL as it is: one before 4713 BC it writes as
     * -infinity, silently; one past the last {@link LocalDateTime} in UTC cannot even be converted, and that
     * exception, no database error, would have the batch retried for ever. PostgreSQL refuses years after 294276
     * itself, with a data error: those are split out and dead-lettered like any refused value.
     */
    private static boolean notPassedOn(Instant instant) {
        return instant != null && (instant.isBefore(FIRST_PASSED_ON) || instant.isAfter(LAST_PASSED_ON));
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
