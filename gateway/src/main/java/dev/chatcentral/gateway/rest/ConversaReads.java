package dev.chatcentral.gateway.rest;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.serde.Json;

/**
 * Reads conversas and mensagens of one empresa from the PostgreSQL record the stream-processor's sink keeps.
 * Every query names the empresa, so a row of another tenant can never be returned whatever ids are passed.
 *
 * <p>Pages are keysets, not offsets: each page continues strictly after the last row of the previous one, so
 * rows written meanwhile cause neither duplicates nor gaps, and a deep page costs what the first one does.
 */
@Repository
class ConversaReads {

    private static final String CONVERSA_COLUMNS = "id, empresa_id, instance, remote_jid, remote_jid_alt, contact_name,"
            + " status, atendente_id, unread_count, last_mensagem_preview, last_mensagem_at, version, created_at,"
            + " updated_at";
    private static final String MENSAGEM_COLUMNS = "id, conversa_id, empresa_id, instance, key_id, from_me, sender_jid,"
            + " sender_name, message_type, text, status, sent_at, received_at, sanitized, revision, status_reason,"
            + " status_detail, retry_at, original_text, edited_at, deleted_at, reactions::text AS reactions";
    /**
     * The order of the indexes conversa_empresa_status and conversa_empresa_atendente ({@code last_mensagem_at DESC},
     * which puts NULLs first); the id only breaks ties, sorted incrementally by PostgreSQL.
     */
    private static final String CONVERSA_ORDER = " ORDER BY last_mensagem_at DESC, id DESC";

    private final JdbcTemplate jdbc;

    ConversaReads(DataSource dataSource, RestProperties properties) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout((int) Math.max(1, (properties.queryTimeout().toMillis() + 999) / 1000));
    }

    /**
     * Conversas of the empresa, newest {@code last_mensagem_at} first, after {@code after} when given.
     *
     * @param status    only conversas in this status, or all when null
     * @param atendente only conversas assigned to this user id, or all when null
     */
    List<Conversa> conversas(String empresaId, ConversaStatus status, String atendente, Position after, int limit) {
        List<Object> args = new ArrayList<>();
        if (status != null) {
            String sql = conversaBranch(empresaId, status, atendente, after, limit, args);
            return jdbc.query(sql, CONVERSA, args.toArray());
        }
        // One index range per status, merged: PostgreSQL reads at most limit rows of each instead of sorting all
        // of the empresa's conversas.
        List<String> branches = new ArrayList<>();
        for (ConversaStatus each : ConversaStatus.values()) {
            branches.add("(" + conversaBranch(empresaId, each, atendente, after, limit, args) + ")");
        }
        args.add(limit);
        String sql = "SELECT * FROM (" + String.join(" UNION ALL ", branches) + ") c" + CONVERSA_ORDER + " LIMIT ?";
        return jdbc.query(sql, CONVERSA, args.toArray());
    }

    Optional<Conversa> conversa(String empresaId, UUID conversaId) {
        return jdbc.query("SELECT " + CONVERSA_COLUMNS + " FROM conversa WHERE id = ? AND empresa_id = ?", CONVERSA,
                conversaId, empresaId).stream().findFirst();
    }

    boolean conversaExists(String empresaId, UUID conversaId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM conversa WHERE id = ? AND empresa_id = ?)", Boolean.class,
                conversaId, empresaId));
    }

    /** Up to {@code limit} mensagens just before {@code before} (the newest ones when null), newest first. */
    List<Mensagem> mensagensBefore(String empresaId, UUID conversaId, Position before, int limit) {
        List<Object> args = new ArrayList<>(List.of(conversaId, empresaId));
        String bound = "";
        if (before != null && before.id() == null) {
            bound = " AND sent_at < ?";
            args.add(timestamp(before.at()));
        } else if (before != null) {
            // The first condition is the one the index mensagem_conversa_time can range over.
            bound = " AND sent_at <= ? AND (sent_at < ? OR id < ?)";
            args.addAll(List.of(timestamp(before.at()), timestamp(before.at()), before.id()));
        }
        args.add(limit);
        return jdbc.query("SELECT " + MENSAGEM_COLUMNS + " FROM mensagem WHERE conversa_id = ? AND empresa_id = ?"
                + bound + " ORDER BY sent_at DESC, id DESC LIMIT ?", MENSAGEM, args.toArray());
    }

    /** Up to {@code limit} mensagens just after {@code after}, oldest first. */
    List<Mensagem> mensagensAfter(String empresaId, UUID conversaId, Position after, int limit) {
        List<Object> args = new ArrayList<>(List.of(conversaId, empresaId));
        String bound;
        if (after.id() == null) {
            bound = " AND sent_at > ?";
            args.add(timestamp(after.at()));
        } else {
            bound = " AND sent_at >= ? AND (sent_at > ? OR id > ?)";
            args.addAll(List.of(timestamp(after.at()), timestamp(after.at()), after.id()));
        }
        args.add(limit);
        return jdbc.query("SELECT " + MENSAGEM_COLUMNS + " FROM mensagem WHERE conversa_id = ? AND empresa_id = ?"
                + bound + " ORDER BY sent_at, id LIMIT ?", MENSAGEM, args.toArray());
    }

    private static String conversaBranch(String empresaId, ConversaStatus status, String atendente, Position after,
                                         int limit, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT " + CONVERSA_COLUMNS + " FROM conversa WHERE empresa_id = ?");
        args.add(empresaId);
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.wire());
        }
        if (atendente != null) {
            sql.append(" AND atendente_id = ?");
            args.add(atendente);
        }
        if (after != null && after.at() == null) {
            // NULLs sort first: after a NULL row come the remaining NULL rows, then every dated one.
            sql.append(" AND (last_mensagem_at IS NOT NULL OR id < ?)");
            args.add(after.id());
        } else if (after != null) {
            sql.append(" AND last_mensagem_at <= ? AND (last_mensagem_at < ? OR id < ?)");
            args.addAll(List.of(timestamp(after.at()), timestamp(after.at()), after.id()));
        }
        sql.append(CONVERSA_ORDER).append(" LIMIT ?");
        args.add(limit);
        return sql.toString();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ConversaStatus status(String wire) {
        for (ConversaStatus status : ConversaStatus.values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw new IllegalStateException("conversa.status has a value the schema forbids: " + wire);
    }

    private static final RowMapper<Conversa> CONVERSA = (rs, row) -> new Conversa(
            rs.getString("id"), rs.getString("empresa_id"), rs.getString("instance"), rs.getString("remote_jid"),
            rs.getString("remote_jid_alt"), rs.getString("contact_name"), status(rs.getString("status")),
            rs.getString("atendente_id"), rs.getInt("unread_count"), rs.getString("last_mensagem_preview"),
            instant(rs, "last_mensagem_at"), rs.getLong("version"), instant(rs, "created_at"),
            instant(rs, "updated_at"));

    private static final RowMapper<Mensagem> MENSAGEM = (rs, row) -> new Mensagem(
            rs.getString("id"), rs.getString("conversa_id"), rs.getString("empresa_id"), rs.getString("instance"),
            rs.getString("key_id"), rs.getBoolean("from_me"), rs.getString("sender_jid"), rs.getString("sender_name"),
            rs.getString("message_type"), rs.getString("text"), MensagemStatus.valueOf(rs.getString("status")),
            instant(rs, "sent_at"), instant(rs, "received_at"), sanitized(rs), rs.getLong("revision"),
            rs.getString("status_reason"), rs.getString("status_detail"), instant(rs, "retry_at"),
            rs.getString("original_text"), instant(rs, "edited_at"), instant(rs, "deleted_at"),
            List.of(Json.MAPPER.readValue(rs.getString("reactions"), Reaction[].class)));

    /** The fields chat-central changed on the way in; none for rows written before they were recorded. */
    private static List<String> sanitized(ResultSet rs) throws SQLException {
        Array fields = rs.getArray("sanitized");
        return fields == null ? List.of() : List.of((String[]) fields.getArray());
    }
}
