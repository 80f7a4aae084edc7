package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.chatcentral.processor.ProcessorTestStack;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

class PostgresSinkIntegrationTest {

    private static final String GROUP = "chat-central-postgres-sink";
    private static final Instant T0 = Instant.parse("2025-10-21T14:40:39Z");

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs();

    private static Conversa conversa(String id, long version, int unread, String preview) {
        return new Conversa(id, "emp-1", "loja-01", "5511988887777@s.whatsapp.net", null, "Maria",
                ConversaStatus.AGUARDANDO, null, unread, preview, T0.plusSeconds(version), version, T0,
                T0.plusSeconds(version));
    }

    private static Conversa conversa(String id, long version, ConversaStatus status, String atendenteId) {
        return new Conversa(id, "emp-1", "loja-01", "5511988887777@s.whatsapp.net", null, "Maria", status,
                atendenteId, 0, "Oi", T0, version, T0, T0.plusSeconds(version));
    }

    private static List<String> audit(String conversaId) {
        List<String> rows = new ArrayList<>();
        try (Connection c = stack.database().connect(); PreparedStatement p = c.prepareStatement(
                "SELECT version, from_atendente_id, to_atendente_id, from_status, status, changed_at "
                        + "FROM conversa_assignment_audit WHERE conversa_id = ?::uuid ORDER BY version")) {
            p.setString(1, conversaId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + " " + rs.getString(2) + "->" + rs.getString(3) + " "
                            + rs.getString(4) + "->" + rs.getString(5) + " @" + rs.getTimestamp(6).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Mensagem mensagem(String id, String conversaId, MensagemStatus status) {
        return new Mensagem(id, conversaId, "emp-1", "loja-01", "key-" + id, false,
                "5511988887777@s.whatsapp.net", "Maria", "conversation", "Oi", status, T0, T0.plusSeconds(1),
                        List.of());
    }

    private static Mensagem mensagem(String id, String conversaId, String text, Instant sentAt) {
        return new Mensagem(id, conversaId, "emp-1", "loja-01", "key-" + id, false, "5511988887777@s.whatsapp.net",
                "Maria", "conversation", text, MensagemStatus.DELIVERY_ACK, sentAt, T0.plusSeconds(1), List.of());
    }

    private static void awaitSinkCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stack.groupCaughtUp(GROUP, Topics.CONVERSAS, Topics.MENSAGENS));
    }

    private static Map<String, Object> row(String sql, Object... args) {
        try (Connection c = stack.database().connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldWriteOneRowEachWhenSameRecordsArriveTwice() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, 1, "Oi"));
            stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.DELIVERY_ACK));
        }
        awaitSinkCaughtUp();

        assertThat(stack.database().queryForLong("SELECT count(*) FROM conversa WHERE id = ?::uuid",
                conversaId)).isOne();
        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE conversa_id = ?::uuid",
                conversaId))
                .isOne();
        Map<String, Object> conversa = row("SELECT * FROM conversa WHERE id = ?::uuid", conversaId);
        assertThat(conversa).containsEntry("empresa_id", "emp-1").containsEntry("instance", "loja-01")
                .containsEntry("remote_jid", "5511988887777@s.whatsapp.net").containsEntry("contact_name", "Maria")
                .containsEntry("status", "aguardando").containsEntry("unread_count", 1)
                .containsEntry("last_mensagem_preview", "Oi").containsEntry("version", 1L);
        assertThat(conversa.get("atendente_id")).isNull();
        assertThat(conversa.get("remote_jid_alt")).isNull();
        assertThat(((Timestamp) conversa.get("created_at")).toInstant()).isEqualTo(T0);
        Map<String, Object> mensagem = row("SELECT * FROM mensagem WHERE id = ?::uuid", mensagemId);
        assertThat(mensagem).containsEntry("key_id", "key-" + mensagemId).containsEntry("from_me", false)
                .containsEntry("status", "DELIVERY_ACK").containsEntry("status_rank", (int) 2)
                .containsEntry("message_type", "conversation").containsEntry("text", "Oi");
        assertThat(((Timestamp) mensagem.get("sent_at")).toInstant()).isEqualTo(T0);
    }

    @Test
    void shouldKeepNewerConversaWhenOlderVersionArrivesAfterIt() {
        String conversaId = UUID.randomUUID().toString();
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 2, 2, "segunda"));
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, 1, "primeira"));
        awaitSinkCaughtUp();

        Map<String, Object> row = row("SELECT version, unread_count, last_mensagem_preview FROM conversa "
                + "WHERE id = ?::uuid", conversaId);
        assertThat(row).containsEntry("version", 2L).containsEntry("unread_count", 2)
                .containsEntry("last_mensagem_preview", "segunda");

        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 3, 3, "terceira"));
        awaitSinkCaughtUp();

        assertThat(row("SELECT version, last_mensagem_preview FROM conversa WHERE id = ?::uuid", conversaId))
                .containsEntry("version", 3L).containsEntry("last_mensagem_preview", "terceira");
    }

    @Test
    void shouldMoveMensagemStatusOnlyForward() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.SERVER_ACK));
        stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.READ));
        stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.DELIVERY_ACK));
        awaitSinkCaughtUp();

        assertThat(row("SELECT status, status_rank FROM mensagem WHERE id = ?::uuid", mensagemId))
                .containsEntry("status", "READ").containsEntry("status_rank", 3);

        stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.PLAYED));
        awaitSinkCaughtUp();

        assertThat(row("SELECT status, status_rank FROM mensagem WHERE id = ?::uuid", mensagemId))
                .containsEntry("status", "PLAYED").containsEntry("status_rank", 4);
        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid",
                mensagemId)).isOne();
    }

    @Test
    void shouldRecordAResentReplyWithItsWhatsAppIdOnceSent() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        stack.send(Topics.MENSAGENS, conversaId, reply(mensagemId, conversaId, "pending:" + mensagemId,
                MensagemStatus.PENDING));
        stack.send(Topics.MENSAGENS, conversaId, reply(mensagemId, conversaId, "pending:" + mensagemId,
                MensagemStatus.ERROR));
        stack.send(Topics.MENSAGENS, conversaId, reply(mensagemId, conversaId, "pending:" + mensagemId,
                MensagemStatus.PENDING));
        stack.send(Topics.MENSAGENS, conversaId, reply(mensagemId, conversaId, "3EB0C767D097B7C7C030",
                MensagemStatus.SERVER_ACK));
        stack.send(Topics.MENSAGENS, conversaId, reply(mensagemId, conversaId, "pending:" + mensagemId,
                MensagemStatus.PENDING));
        awaitSinkCaughtUp();

        assertThat(row("SELECT key_id, status FROM mensagem WHERE id = ?::uuid", mensagemId))
                .containsEntry("key_id", "3EB0C767D097B7C7C030").containsEntry("status", "SERVER_ACK");
    }

    private static Mensagem reply(String id, String conversaId, String keyId, MensagemStatus status) {
        return new Mensagem(id, conversaId, "emp-1", "loja-01", keyId, true,
                "5511999990000@s.whatsapp.net", null, "conversation", "Sim!", status, T0, T0.plusSeconds(1), List.of());
    }

    @Test
    void shouldAuditEveryAssignmentChangeOnceWhenVersionsArriveTwice() {
        String conversaId = UUID.randomUUID().toString();
        List<Conversa> versions = List.of(
                conversa(conversaId, 1, ConversaStatus.AGUARDANDO, null),
                conversa(conversaId, 2, ConversaStatus.EM_ATENDIMENTO, "at-1"),
                conversa(conversaId, 3, ConversaStatus.EM_ATENDIMENTO, "at-1"),
                conversa(conversaId, 4, ConversaStatus.EM_ATENDIMENTO, "at-2"),
                conversa(conversaId, 5, ConversaStatus.ENCERRADA, "at-2"));
        versions.forEach(v -> stack.send(Topics.CONVERSAS, conversaId, v));
        awaitSinkCaughtUp();
        versions.forEach(v -> stack.send(Topics.CONVERSAS, conversaId, v));
        awaitSinkCaughtUp();

        assertThat(audit(conversaId)).containsExactly(
                "2 null->at-1 aguardando->em_atendimento @" + T0.plusSeconds(2),
                "4 at-1->at-2 em_atendimento->em_atendimento @" + T0.plusSeconds(4),
                "5 at-2->at-2 em_atendimento->encerrada @" + T0.plusSeconds(5));
        assertThat(row("SELECT version, status, atendente_id FROM conversa WHERE id = ?::uuid", conversaId))
                .containsEntry("version", 5L).containsEntry("status", "encerrada")
                .containsEntry("atendente_id", "at-2");
    }

    @Test
    void shouldAuditAgainstStoredRowWhenChangeArrivesInLaterBatch() {
        String conversaId = UUID.randomUUID().toString();
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, ConversaStatus.EM_ATENDIMENTO, "at-1"));
        awaitSinkCaughtUp();
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 2, ConversaStatus.AGUARDANDO, null));
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, ConversaStatus.EM_ATENDIMENTO, "at-1"));
        awaitSinkCaughtUp();

        // never seen before: created already assigned, so audited from nothing
        assertThat(audit(conversaId)).containsExactly(
                "1 null->at-1 null->em_atendimento @" + T0.plusSeconds(1),
                "2 at-1->null em_atendimento->aguardando @" + T0.plusSeconds(2));
    }

    @Test
    void shouldNotAuditNewConversaWaitingForAnAtendente() {
        String conversaId = UUID.randomUUID().toString();
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, ConversaStatus.AGUARDANDO, null));
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 2, ConversaStatus.AGUARDANDO, null));
        awaitSinkCaughtUp();

        assertThat(audit(conversaId)).isEmpty();
        assertThat(stack.database().queryForLong("SELECT version FROM conversa WHERE id = ?::uuid",
                conversaId)).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterUnreadableRecordAndWriteTheRest() {
        String conversaId = UUID.randomUUID().toString();
        stack.sendBytes(Topics.CONVERSAS, conversaId, "{not json".getBytes(StandardCharsets.UTF_8));
        stack.send(Topics.CONVERSAS, conversaId, conversa(conversaId, 1, 1, "depois do lixo"));
        awaitSinkCaughtUp();

        assertThat(row("SELECT last_mensagem_preview FROM conversa WHERE id = ?::uuid", conversaId))
                .containsEntry("last_mensagem_preview", "depois do lixo");
        ConsumerRecord<String, byte[]> dead = deadLetter(conversaId);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("invalid");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.CONVERSAS.name());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUL in the text           | O\u0000i               | 2025-10-21T14:40:39Z | 22021",
            "sentAt beyond PostgreSQL  | Oi                     | +300000-01-01T00:00:00Z | 22008"})
    void shouldDeadLetterTheRecordPostgresRefusesAndWriteTheRestOfItsBatch(String name, String text, String sentAt,
                                                                          String sqlState) {
        String conversaId = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        String otherEmpresa = UUID.randomUUID().toString();
        stack.send(Topics.MENSAGENS, conversaId, mensagem(good, conversaId, MensagemStatus.DELIVERY_ACK));
        stack.send(Topics.MENSAGENS, conversaId, mensagem(bad, conversaId, text.replace("\\u0000", "\u0000"),
                Instant.parse(sentAt)));
        stack.send(Topics.MENSAGENS, otherEmpresa, new Mensagem(otherEmpresa, otherEmpresa, "emp-2", "loja-02",
                "key-" + otherEmpresa, false, "5511977776666@s.whatsapp.net", "João", "conversation", "Bom dia",
                MensagemStatus.DELIVERY_ACK, T0, T0.plusSeconds(1), List.of()));
        awaitSinkCaughtUp();

        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id IN (?::uuid, ?::uuid)", good,
                otherEmpresa)).isEqualTo(2);
        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid", bad)).isZero();
        ConsumerRecord<String, byte[]> dead = deadLetter(conversaId);
        assertThat(Topics.MENSAGENS.valueSerde().deserializer().deserialize("", dead.value()).mensagemId())
                .isEqualTo(bad);
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.DLQ_STAGE)).isEqualTo("sink");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("database_refused");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.EMPRESA_ID)).isEqualTo("emp-1");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE)).contains(sqlState);
    }

    /**
     * The processor bounds edited texts and reactions; should one still hold what PostgreSQL refuses, that revision
     * is dead-lettered, and the revisions around it, and another empresa's mensagem, are written.
     */
    @Test
    void shouldDeadLetterAnEditPostgresRefusesAndWriteTheNextRevisionsAndAnotherEmpresa() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        String otherEmpresa = UUID.randomUUID().toString();
        Mensagem sent = reply(mensagemId, conversaId, "3EB0" + mensagemId.substring(0, 8), MensagemStatus.SERVER_ACK);
        Mensagem badEdit = sent.withEdit("Si\u0000m", T0.plusSeconds(5));
        List<Reaction> many = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            many.add(new Reaction("55119" + i + "@s.whatsapp.net", false, "🎉".repeat(5), T0));
        }
        Mensagem reacted = new Mensagem(mensagemId, conversaId, "emp-1", "loja-01", sent.keyId(), true,
                sent.senderJid(), null, "conversation", "Sim!", MensagemStatus.DELIVERY_ACK, T0, T0.plusSeconds(1),
                List.of(), 2, null, null, null, null, null, null, many);
        stack.send(Topics.MENSAGENS, conversaId, sent);
        stack.send(Topics.MENSAGENS, conversaId, badEdit);
        stack.send(Topics.MENSAGENS, conversaId, reacted);
        stack.send(Topics.MENSAGENS, otherEmpresa, new Mensagem(otherEmpresa, otherEmpresa, "emp-2", "loja-02",
                "key-" + otherEmpresa, false, "5511977776666@s.whatsapp.net", "João", "conversation", "Bom dia",
                MensagemStatus.DELIVERY_ACK, T0, T0.plusSeconds(1), List.of()));
        awaitSinkCaughtUp();

        assertThat(row("SELECT status, revision, text, original_text, jsonb_array_length(reactions) AS reactions "
                + "FROM mensagem WHERE id = ?::uuid", mensagemId)).containsEntry("status", "DELIVERY_ACK")
                .containsEntry("revision", 2L).containsEntry("text", "Sim!").containsEntry("original_text", null)
                .containsEntry("reactions", many.size());
        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid", otherEmpresa))
                .isOne();
        ConsumerRecord<String, byte[]> dead = deadLetter(conversaId);
        assertThat(Topics.MENSAGENS.valueSerde().deserializer().deserialize("", dead.value()).revision()).isOne();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("database_refused");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE)).contains("22021");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "beyond what java.time converts for the driver | +1000000000-01-01T00:00:00Z",
            "before 4713 BC, which the driver writes as -infinity | -5000-01-01T00:00:00Z"})
    void shouldDeadLetterAsInvalidMensagemWhoseSentAtTheDriverCannotPassOnAndWriteTheRest(String name,
                                                                                         String sentAt) {
        String conversaId = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        stack.send(Topics.MENSAGENS, conversaId, mensagem(bad, conversaId, "Oi", Instant.parse(sentAt)));
        stack.send(Topics.MENSAGENS, conversaId, mensagem(good, conversaId, MensagemStatus.DELIVERY_ACK));
        awaitSinkCaughtUp();

        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid", good)).isOne();
        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid", bad)).isZero();
        ConsumerRecord<String, byte[]> dead = deadLetter(conversaId);
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.DLQ_STAGE)).isEqualTo("sink");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("invalid");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE)).contains(bad);
    }

    /** The dead letter of the record keyed {@code key}: every test's keys are its own. */
    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            stack.readAll(Topics.DLQ, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                    .filter(r -> key.equals(r.key())).forEach(dead::add);
            return !dead.isEmpty();
        });
        assertThat(dead).hasSize(1);
        return dead.get(0);
    }

    @Test
    void shouldRetryBatchUntilPostgresAcceptsIt() throws Exception {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        stack.database().execute("ALTER TABLE mensagem RENAME TO mensagem_away");
        try {
            stack.send(Topics.MENSAGENS, conversaId, mensagem(mensagemId, conversaId, MensagemStatus.DELIVERY_ACK));
            // several failed attempts at 200 ms .. 1 s backoff, and the offset must not move meanwhile
            Thread.sleep(3000);
            assertThat(stack.groupCaughtUp(GROUP, Topics.MENSAGENS)).isFalse();
        } finally {
            stack.database().execute("ALTER TABLE mensagem_away RENAME TO mensagem");
        }
        awaitSinkCaughtUp();

        assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid",
                mensagemId)).isOne();
    }
}
