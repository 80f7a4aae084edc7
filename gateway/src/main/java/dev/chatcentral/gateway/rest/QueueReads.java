package dev.chatcentral.gateway.rest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Reads one empresa's queue from the PostgreSQL record the stream-processor's sink keeps: the conversas waiting for
 * an atendente and the open conversas each atendente holds, counted as automatic assignment counts them
 * (docs/assignment.md). Every query names the empresa, so another tenant's rows are never read.
 */
@Repository
class QueueReads {

    /** As the assignment book queues: {@code aguardando} with nobody holding it. */
    private static final String WAITING_COUNT = "SELECT count(*) FROM conversa WHERE empresa_id = ?"
            + " AND status = 'aguardando' AND atendente_id IS NULL";

    /**
     * A conversa started waiting at its latest change of status or atendente, which the sink audits; one whose
     * history has no such change waits since it was created (every conversa starts {@code aguardando} without an
     * atendente, which the sink does not audit).
     */
    private static final String WAITING_ITEMS = "SELECT c.id, c.instance, c.remote_jid, c.contact_name,"
            + " COALESCE(a.changed_at, c.created_at) AS waiting_since FROM conversa c"
            + " LEFT JOIN LATERAL (SELECT changed_at FROM conversa_assignment_audit a WHERE a.conversa_id = c.id"
            + " AND a.empresa_id = c.empresa_id ORDER BY a.version DESC LIMIT 1) a ON true"
            + " WHERE c.empresa_id = ? AND c.status = 'aguardando' AND c.atendente_id IS NULL"
            + " ORDER BY waiting_since, c.id LIMIT ?";

    /**
     * As the assignment book counts a load: every conversa not {@code encerrada} that an atendente holds. The
     * statuses are named, not {@code <> 'encerrada'}, so PostgreSQL reads the open ranges of conversa_empresa_status
     * instead of every conversa the empresa's atendentes ever closed. Ordered by code point ({@code COLLATE "C"} of the
     * UTF-8 database), as the controller sorts userIds, so the first {@code limit} here are the first of its list too.
     */
    private static final String LOADS = "SELECT atendente_id, count(*) AS open FROM conversa WHERE empresa_id = ?"
            + " AND status IN ('aguardando', 'em_atendimento') AND atendente_id IS NOT NULL GROUP BY atendente_id"
            + " ORDER BY atendente_id COLLATE \"C\" LIMIT ?";

    private final JdbcTemplate jdbc;

    QueueReads(DataSource dataSource, RestProperties properties) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout((int) Math.max(1, (properties.queryTimeout().toMillis() + 999) / 1000));
    }

    /** How many conversas of the empresa wait for an atendente. */
    long waitingCount(String empresaId) {
        Long count = jdbc.queryForObject(WAITING_COUNT, Long.class, empresaId);
        return count == null ? 0 : count;
    }

    /** The first {@code limit} waiting conversas, the longest waiting first (ties by id). */
    List<QueueController.Waiting> waiting(String empresaId, int limit) {
        return jdbc.query(WAITING_ITEMS, WAITING_ROW, empresaId, limit);
    }

    /**
     * The open conversas of each atendente holding any, by userId, for at most {@code limit} atendentes (the first
     * by userId).
     */
    Map<String, Integer> loads(String empresaId, int limit) {
        Map<String, Integer> loads = new LinkedHashMap<>();
        jdbc.query(LOADS, rs -> {
            loads.put(rs.getString("atendente_id"), rs.getInt("open"));
        }, empresaId, limit);
        return loads;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<QueueController.Waiting> WAITING_ROW = (rs, row) -> new QueueController.Waiting(
            rs.getString("id"), rs.getString("contact_name"), rs.getString("instance"), rs.getString("remote_jid"),
            instant(rs, "waiting_since"));
}
