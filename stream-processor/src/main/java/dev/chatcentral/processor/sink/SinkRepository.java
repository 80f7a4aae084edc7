package dev.chatcentral.processor.sink;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;

/**
 * Idempotent upserts of conversas and mensagens: replaying a topic, or receiving an older record after a newer
 * one, leaves the rows as the newest record made them.
 */
@Repository
class SinkRepository {

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

    private static final String UPSERT_MENSAGEM = """
            INSERT INTO mensagem (id, conversa_id, empresa_id, instance, key_id, from_me, sender_jid, sender_name,
                                  message_type, text, status, status_rank, sent_at, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                status = EXCLUDED.status,
                status_rank = EXCLUDED.status_rank
            WHERE mensagem.status_rank < EXCLUDED.status_rank
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    SinkRepository(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** Writes one batch in one transaction: all of it or, on failure, none of it. */
    void write(Collection<Conversa> conversas, Collection<Mensagem> mensagens) {
        transaction.executeWithoutResult(status -> {
            if (!conversas.isEmpty()) {
                jdbc.batchUpdate(UPSERT_CONVERSA, conversas.stream().map(SinkRepository::conversaRow).toList());
            }
            if (!mensagens.isEmpty()) {
                jdbc.batchUpdate(UPSERT_MENSAGEM, mensagens.stream().map(SinkRepository::mensagemRow).toList());
            }
        });
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
                (short) m.status().ordinal(), timestamp(m.sentAt()), timestamp(m.receivedAt())};
    }

    /** Typed explicitly so that a null still binds as timestamptz. */
    private static SqlParameterValue timestamp(Instant instant) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
