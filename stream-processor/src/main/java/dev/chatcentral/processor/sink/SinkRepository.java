package dev.chatcentral.processor.sink;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.serde.Json;

/**
 * Idempotent upserts of conversas and mensagens: replaying a topic, or receiving an older record after a newer
 * one, leaves the rows as the newest record made them. Changes of a conversa's atendente or status are audited in
 * the same transaction, once per version.
 */
@Repository
public class SinkRepository {

    private static final String UPSERT_CONVERSA = """
            INSERT INTO conversa (id, empresa_id, instance, remote_jid, remote_jid_alt, contact_name, status,
                                  atendente_id, unread_count, last_mensagem_preview, last_mensagem_at, version,
                                  created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                remote_jid = EXCLUDED.remote_jid,
                remote_jid_alt = EXCLUDED.remote_jid_alt,
                contact_name = EXCLUDED.contact_name,
                status = EXCLUDED.status,
                atendente_id = EXCLUDED.atendente_id,
                unread_count = EXCLUDED.unread_count,
                last_mensagem_preview = EXCLUDED.last_mensagem_preview,
                last_mensagem_at = EXCLUDED.last_mensagem_at,
                version = EXCLUDED.version,
                updated_at = EXCLUDED.updated_at
            WHERE conversa.version < EXCLUDED.version
            """;

    /**
     * The higher revision wins, and brings every field a mensagem's changes touch: its key_id (from the provisional
     * {@code pending:} id of a reply to the WhatsApp id it got once sent), status, reason, text (an edit, which may
     * be cut, hence sanitized), deletion and reactions. The status alone no longer orders them: ERROR is followed by
     * a delivery receipt, an edit or a reaction changes no status.
     *
     * <p>Two records both at revision 0 are the same version delivered twice, or records written before revisions
     * existed (a topic replayed from before them): between those, the rule of that time holds, status forward
     * only in that time's order, PENDING .. PLAYED, then ERROR, with one way back, ERROR to PENDING for a resent
     * reply. That order is spelled out here, not read from status_rank: rows of that time hold ERROR as 5, rows
     * written since hold {@link dev.chatcentral.schemas.conversa.MensagemStatus#rank()}, which puts ERROR at 0, and
     * comparing either would turn a replayed SERVER_ACK → ERROR around. status_rank is now a description, that no
     * upsert reads. UNCONFIRMED, which exists only with revisions, never meets that rule from a processor.
     */
    private static final String UPSERT_MENSAGEM = """
            INSERT INTO mensagem (id, conversa_id, empresa_id, instance, key_id, from_me, sender_jid, sender_name,
                                  message_type, text, status, status_rank, sent_at, received_at, sanitized, revision,
                                  status_reason, status_detail, retry_at, original_text, edited_at, deleted_at,
                                  reactions)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (id) DO UPDATE SET
                key_id = EXCLUDED.key_id,
                text = EXCLUDED.text,
                sanitized = EXCLUDED.sanitized,
                status = EXCLUDED.status,
                status_rank = EXCLUDED.status_rank,
                revision = EXCLUDED.revision,
                status_reason = EXCLUDED.status_reason,
                status_detail = EXCLUDED.status_detail,
                retry_at = EXCLUDED.retry_at,
                original_text = EXCLUDED.original_text,
                edited_at = EXCLUDED.edited_at,
                deleted_at = EXCLUDED.deleted_at,
                reactions = EXCLUDED.reactions
            WHERE mensagem.revision < EXCLUDED.revision
               OR (mensagem.revision = 0 AND EXCLUDED.revision = 0
                   AND (array_position(%1$s, mensagem.status) < array_position(%1$s, EXCLUDED.status)
                        OR (mensagem.status = 'ERROR' AND EXCLUDED.status = 'PENDING')))
            """.formatted("ARRAY['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR']");

    /** Locks the stored rows so the audit compares against what the upsert will replace. */
    private static final String LOCK_STORED = """
            SELECT id, atendente_id, status, version FROM conversa WHERE id = ANY (?::uuid[]) ORDER BY id FOR UPDATE
            """;

    private static final String INSERT_AUDIT = """
            INSERT INTO conversa_assignment_audit (conversa_id, empresa_id, from_atendente_id, to_atendente_id,
                                                   from_status, status, version, changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (conversa_id, version) DO NOTHING
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    SinkRepository(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** A repository on {@code dataSource} outside the application's context ({@code bin/replay rebuild-db}). */
    public static SinkRepository on(DataSource dataSource) {
        return new SinkRepository(new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** An item PostgreSQL refused when written alone, with the failure. */
    public record Refused<T>(T item, RuntimeException failure) {
    }

    /**
     * Writes the items' values ({@link Conversa}s and {@link Mensagem}s, every version in its order); if PostgreSQL
     * refuses them for what they hold, splits them in halves, each written in a transaction of its own, until the
     * items refused alone are found, and returns those: the rest is written. Every item refused alone, with none
     * written, and not by a data error, means the failure is PostgreSQL's and not the items': then it is thrown, as
     * is a transient failure ({@link SinkFailures#isTransient}), for the caller to retry the whole.
     */
    public <T> List<Refused<T>> writeFindingRefused(List<T> items, Function<T, Object> valueOf) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Refused<T>> refused = new ArrayList<>();
        writeOrSplit(items, valueOf, refused);
        boolean itemsAtFault = refused.size() < items.size()
                || refused.stream().allMatch(r -> SinkFailures.isDataError(r.failure()));
        if (!refused.isEmpty() && !itemsAtFault) {
            throw refused.get(0).failure();
        }
        return refused;
    }

    private <T> void writeOrSplit(List<T> items, Function<T, Object> valueOf, List<Refused<T>> refused) {
        try {
            // every version, in its order: the audit needs each change of a conversa, and a mensagem's upsert rule
            // holds only step by step (a resent reply goes ERROR → PENDING → SERVER_ACK; its last version alone would
            // not move a stored ERROR)
            write(values(items, valueOf, Conversa.class), values(items, valueOf, Mensagem.class));
        } catch (DataAccessException | TransactionException e) {
            if (SinkFailures.isTransient(e)) {
                throw e;
            }
            if (items.size() == 1) {
                refused.add(new Refused<>(items.get(0), e));
                return;
            }
            int half = items.size() / 2;
            writeOrSplit(items.subList(0, half), valueOf, refused);
            writeOrSplit(items.subList(half, items.size()), valueOf, refused);
        }
    }

    private static <T, V> List<V> values(List<T> items, Function<T, Object> valueOf, Class<V> type) {
        return items.stream().map(valueOf).filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Writes one batch in one transaction: all of it or, on failure, none of it.
     *
     * @param conversas every version of each conversa in the batch, in any order: the newest becomes the row, and
     *                  each one whose atendente or status differs from the version before it becomes an audit row
     */
    void write(Collection<Conversa> conversas, Collection<Mensagem> mensagens) {
        transaction.executeWithoutResult(status -> {
            if (!conversas.isEmpty()) {
                Map<String, List<Conversa>> versions = new HashMap<>();
                for (Conversa c : conversas) {
                    // the canonical form, as PostgreSQL prints the stored ids
                    versions.computeIfAbsent(UUID.fromString(c.conversaId()).toString(), id -> new ArrayList<>())
                            .add(c);
                }
                List<Object[]> audits = audits(versions, stored(versions.keySet()));
                if (!audits.isEmpty()) {
                    jdbc.batchUpdate(INSERT_AUDIT, audits);
                }
                jdbc.batchUpdate(UPSERT_CONVERSA, versions.values().stream()
                        .map(v -> v.stream().max(Comparator.comparingLong(Conversa::version)).orElseThrow())
                        .map(SinkRepository::conversaRow).toList());
            }
            if (!mensagens.isEmpty()) {
                jdbc.batchUpdate(UPSERT_MENSAGEM, mensagens.stream().map(SinkRepository::mensagemRow).toList());
            }
        });
    }

    private Map<String, Stored> stored(Collection<String> conversaIds) {
        Map<String, Stored> stored = new HashMap<>();
        jdbc.query(LOCK_STORED, rs -> {
            stored.put(rs.getString("id"), new Stored(rs.getString("atendente_id"), rs.getString("status"),
                    rs.getLong("version")));
        }, (Object) conversaIds.toArray(String[]::new));
        return stored;
    }

    /**
     * Walks each conversa's versions newer than its row, oldest first. A conversa the sink never saw starts from
     * no atendente in {@code aguardando}, where every conversa starts, so its creation alone is not audited.
     */
    private static List<Object[]> audits(Map<String, List<Conversa>> versions, Map<String, Stored> stored) {
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<String, List<Conversa>> entry : versions.entrySet()) {
            Stored row = stored.get(entry.getKey());
            String atendente = row == null ? null : row.atendenteId();
            String status = row == null ? null : row.status();
            long version = row == null ? Long.MIN_VALUE : row.version();
            for (Conversa c : entry.getValue().stream().sorted(Comparator.comparingLong(Conversa::version)).toList()) {
                if (c.version() <= version) {
                    continue; // already recorded, or the same version delivered twice
                }
                String from = status == null ? ConversaStatus.AGUARDANDO.wire() : status;
                if (!Objects.equals(atendente, c.atendenteId()) || !from.equals(c.status().wire())) {
                    rows.add(new Object[] {UUID.fromString(c.conversaId()), c.empresaId(), atendente,
                            c.atendenteId(), status, c.status().wire(), c.version(), timestamp(c.updatedAt())});
                }
                atendente = c.atendenteId();
                status = c.status().wire();
                version = c.version();
            }
        }
        return rows;
    }

    private static Object[] conversaRow(Conversa c) {
        return new Object[] {
                UUID.fromString(c.conversaId()), c.empresaId(), c.instance(), c.remoteJid(), c.remoteJidAlt(),
                c.contactName(), c.status().wire(), c.atendenteId(), c.unreadCount(), c.lastMensagemPreview(),
                timestamp(c.lastMensagemAt()), c.version(), timestamp(c.createdAt()), timestamp(c.updatedAt())};
    }

    private static Object[] mensagemRow(Mensagem m) {
        return new Object[] {
                UUID.fromString(m.mensagemId()), UUID.fromString(m.conversaId()), m.empresaId(), m.instance(),
                m.keyId(), m.fromMe(), m.senderJid(), m.senderName(), m.messageType(), m.text(), m.status().name(),
                (short) m.status().rank(), timestamp(m.sentAt()), timestamp(m.receivedAt()),
                new SqlParameterValue(Types.ARRAY, m.sanitized().isEmpty() ? null
                        : m.sanitized().toArray(String[]::new)),
                m.revision(), m.statusReason(), m.statusDetail(), timestamp(m.retryAt()), m.originalText(),
                timestamp(m.editedAt()), timestamp(m.deletedAt()),
                Json.MAPPER.writeValueAsString(m.reactions())};
    }

    private record Stored(String atendenteId, String status, long version) {
    }

    /** Typed explicitly so that a null still binds as timestamptz. */
    private static SqlParameterValue timestamp(Instant instant) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
