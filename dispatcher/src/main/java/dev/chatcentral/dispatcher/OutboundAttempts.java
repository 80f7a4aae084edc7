package dev.chatcentral.dispatcher;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * The {@code outbound_attempt} table (Flyway V5, V7, V10): one row per send (empresa, atendente and the client's
 * command id), inserted before Evolution is called and completed with the outcome, its reason and, for an unavailable
 * instance, when to try again. It is what makes the dispatcher call Evolution at most once per send; a command id is
 * the client's, so it identifies a send only with its user.
 */
final class OutboundAttempts {

    /** What {@link #begin} found. */
    sealed interface Begin {
    }

    /** The row is new: this dispatcher may call Evolution. */
    record Started() implements Begin {
    }

    /** An earlier delivery of the command finished: its outcome, to publish again. */
    record Finished(Delivery delivery) implements Begin {
    }

    /** An earlier delivery started a call and never recorded its outcome: it died during the call. */
    record Unfinished(Instant startedAt) implements Begin {
    }

    private final JdbcTemplate jdbc;

    OutboundAttempts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The row's key: records written before the user was carried have none, stored as the empty string. */
    private static Object[] key(OutboundMessage message) {
        return new Object[] {message.empresaId(), message.userId() == null ? "" : message.userId(),
                message.commandId()};
    }

    Begin begin(OutboundMessage message) {
        Object[] key = key(message);
        int inserted = jdbc.update("INSERT INTO outbound_attempt (empresa_id, user_id, command_id, mensagem_id, "
                        + "instance, started_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                key[0], key[1], key[2], message.mensagemId(), message.instance(), Timestamp.from(Instant.now()));
        if (inserted == 1) {
            return new Started();
        }
        return find(message);
    }

    /** Records the outcome of the call this dispatcher made: it is the truth, whatever the row said meanwhile. */
    void finish(OutboundMessage message, Delivery delivery) {
        Object[] key = key(message);
        jdbc.update("UPDATE outbound_attempt SET finished_at = ?, outcome = ?, key_id = ?, error = ?, attempts = ?, "
                        + "reason = ?, retry_at = ? WHERE empresa_id = ? AND user_id = ? AND command_id = ?",
                Timestamp.from(Instant.now()), delivery.status(), delivery.keyId(), delivery.error(),
                delivery.attempts(), delivery.reason(), timestamp(delivery.retryAt()), key[0], key[1], key[2]);
    }

    /**
     * Closes a row whose call died midway with what was found out since (SENT if Evolution had the reply, else
     * UNCONFIRMED), unless a late outcome was recorded meanwhile; answers what the row says afterwards.
     */
    Finished closeUnknown(OutboundMessage message, Delivery delivery) {
        Object[] key = key(message);
        jdbc.update("UPDATE outbound_attempt SET finished_at = ?, outcome = ?, key_id = ?, error = ?, reason = ? "
                        + "WHERE empresa_id = ? AND user_id = ? AND command_id = ? AND finished_at IS NULL",
                Timestamp.from(Instant.now()), delivery.status(), delivery.keyId(), delivery.error(),
                delivery.reason(), key[0], key[1], key[2]);
        return (Finished) find(message);
    }

    private Begin find(OutboundMessage message) {
        List<Begin> rows = jdbc.query("SELECT started_at, finished_at, outcome, key_id, error, attempts, reason, "
                        + "retry_at FROM outbound_attempt WHERE empresa_id = ? AND user_id = ? AND command_id = ?",
                (rs, n) -> rs.getTimestamp("finished_at") == null
                        ? new Unfinished(rs.getTimestamp("started_at").toInstant())
                        : new Finished(new Delivery(rs.getString("outcome"), rs.getString("key_id"),
                                rs.getString("error"), rs.getInt("attempts"), rs.getString("reason"),
                                instant(rs.getTimestamp("retry_at")))),
                key(message));
        if (rows.isEmpty()) {
            throw new IllegalStateException("outbound_attempt row of command " + message.commandId() + " vanished");
        }
        return rows.get(0);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
