package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.TestDatabase;

/** A mensagem's versions reach the row as they would one by one, however the sink's batches cut them. */
class SinkRepositoryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private static TestDatabase database;
    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static SinkRepository repository;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), "").locations("classpath:db/migration")
                .load().migrate();
        dataSource = new SingleConnectionDataSource(database.jdbcUrl(), database.user(), "", true);
        jdbc = new JdbcTemplate(dataSource);
        repository = new SinkRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @AfterAll
    static void dropDatabase() {
        dataSource.destroy();
        database.close();
    }

    private static Conversa conversa(String id) {
        return new Conversa(id, "emp-1", "loja-01", "5511988887777@s.whatsapp.net", null, "Maria",
                ConversaStatus.EM_ATENDIMENTO, "ana", 0, "Sim!", T0, 1, T0, T0);
    }

    private static Mensagem reply(String id, String conversaId, String keyId, MensagemStatus status) {
        return new Mensagem(id, conversaId, "emp-1", "loja-01", keyId, true, "5511999990000@s.whatsapp.net", null,
                "conversation", "Sim!", status, T0, T0.plusSeconds(1), List.of());
    }

    /** A reply that failed, was resent and then sent; a late duplicate of its PENDING comes last. */
    private static List<Mensagem> resent(String id, String conversaId) {
        return List.of(
                reply(id, conversaId, "pending:" + id, MensagemStatus.PENDING),
                reply(id, conversaId, "pending:" + id, MensagemStatus.ERROR),
                reply(id, conversaId, "pending:" + id, MensagemStatus.PENDING),
                reply(id, conversaId, whatsAppKey(id), MensagemStatus.SERVER_ACK),
                reply(id, conversaId, "pending:" + id, MensagemStatus.PENDING));
    }

    /** WhatsApp's id of a sent reply: unique per instance, so one per test. */
    private static String whatsAppKey(String mensagemId) {
        return "3EB0" + mensagemId.replace("-", "").substring(0, 16).toUpperCase();
    }

    private static Map<String, Object> row(String mensagemId) {
        return jdbc.queryForMap("SELECT key_id, status FROM mensagem WHERE id = ?::uuid", mensagemId);
    }

    @Test
    void shouldRecordAResentReplyAsSentWhenAllItsVersionsArriveInOneBatch() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();

        repository.write(List.of(conversa(conversaId)), resent(mensagemId, conversaId));

        assertThat(row(mensagemId)).containsEntry("key_id", whatsAppKey(mensagemId)).containsEntry("status", "SERVER_ACK");
    }

    @Test
    void shouldRecordAResentReplyAsSentWhenABatchEndsOnItsError() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        List<Mensagem> versions = resent(mensagemId, conversaId);

        repository.write(List.of(conversa(conversaId)), versions.subList(0, 2));
        repository.write(List.of(), versions.subList(2, versions.size()));

        assertThat(row(mensagemId)).containsEntry("key_id", whatsAppKey(mensagemId)).containsEntry("status", "SERVER_ACK");
    }

    @Test
    void shouldNeverMoveADeliveredMensagemBackWithinOneBatch() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();

        repository.write(List.of(conversa(conversaId)), List.of(
                reply(mensagemId, conversaId, whatsAppKey(mensagemId), MensagemStatus.DELIVERY_ACK),
                reply(mensagemId, conversaId, whatsAppKey(mensagemId), MensagemStatus.SERVER_ACK),
                reply(mensagemId, conversaId, "pending:" + mensagemId, MensagemStatus.PENDING)));

        assertThat(row(mensagemId)).containsEntry("key_id", whatsAppKey(mensagemId)).containsEntry("status", "DELIVERY_ACK");
    }

    private static Map<String, Object> fullRow(String mensagemId) {
        return jdbc.queryForMap("SELECT key_id, text, status, status_rank, revision, status_reason, status_detail, "
                + "retry_at, original_text, edited_at, deleted_at, reactions::text AS reactions "
                + "FROM mensagem WHERE id = ?::uuid", mensagemId);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }

    @Test
    void shouldStoreAFailedReplyAsDeliveredWhenAHigherRevisionSaysSo() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        Mensagem pending = reply(mensagemId, conversaId, "pending:" + mensagemId, MensagemStatus.PENDING);
        Mensagem failed = pending.withDelivery(MensagemStatus.ERROR, "pending:" + mensagemId, "no_evidence",
                "Evolution answered 500", null);
        Mensagem delivered = failed.withDelivery(MensagemStatus.DELIVERY_ACK, whatsAppKey(mensagemId), null, null,
                null);

        repository.write(List.of(conversa(conversaId)), List.of(pending, failed));
        assertThat(fullRow(mensagemId)).containsEntry("status", "ERROR").containsEntry("status_rank", 0)
                .containsEntry("revision", 1L).containsEntry("status_reason", "no_evidence")
                .containsEntry("status_detail", "Evolution answered 500");
        repository.write(List.of(), List.of(delivered));

        Map<String, Object> row = fullRow(mensagemId);
        assertThat(row).containsEntry("status", "DELIVERY_ACK").containsEntry("status_rank", 2)
                .containsEntry("revision", 2L).containsEntry("key_id", whatsAppKey(mensagemId));
        assertThat(row.get("status_reason")).isNull();
        assertThat(row.get("status_detail")).isNull();
    }

    @Test
    void shouldChangeNothingWhenAnOlderRevisionArrivesLate() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        Mensagem pending = reply(mensagemId, conversaId, "pending:" + mensagemId, MensagemStatus.PENDING);
        Instant retryAt = T0.plusSeconds(90);
        Mensagem refused = pending.withDelivery(MensagemStatus.ERROR, "pending:" + mensagemId,
                "instance_unavailable", "the number is unavailable", retryAt);
        Mensagem sent = refused.withDelivery(MensagemStatus.SERVER_ACK, whatsAppKey(mensagemId), null, null, null);
        Mensagem read = sent.withDelivery(MensagemStatus.READ, whatsAppKey(mensagemId), null, null, null);

        repository.write(List.of(conversa(conversaId)), List.of(pending, read));
        repository.write(List.of(), List.of(refused, sent, pending));

        Map<String, Object> row = fullRow(mensagemId);
        assertThat(row).containsEntry("status", "READ").containsEntry("revision", 3L)
                .containsEntry("key_id", whatsAppKey(mensagemId));
        assertThat(row.get("retry_at")).isNull();
    }

    @Test
    void shouldKeepTheReasonAndRetryAtOfAReplyRefusedByAnOpenCircuit() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        Instant retryAt = T0.plusSeconds(90);
        Mensagem refused = reply(mensagemId, conversaId, "pending:" + mensagemId, MensagemStatus.PENDING)
                .withDelivery(MensagemStatus.ERROR, "pending:" + mensagemId, "instance_unavailable",
                        "the number is unavailable", retryAt);

        repository.write(List.of(conversa(conversaId)), List.of(refused));

        assertThat(fullRow(mensagemId)).containsEntry("status", "ERROR")
                .containsEntry("status_reason", "instance_unavailable").containsEntry("retry_at", at(retryAt));
    }

    @Test
    void shouldStoreAnEditADeletionAndReactionsWithTheirRevisions() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        Mensagem sent = reply(mensagemId, conversaId, whatsAppKey(mensagemId), MensagemStatus.SERVER_ACK);
        Mensagem edited = sent.withEdit("Sim, amanhã!", T0.plusSeconds(10));
        Mensagem reacted = edited.withReaction("5511988887777@s.whatsapp.net", false, "👍", T0.plusSeconds(20))
                .withReaction(Reaction.COMPANY, true, "❤️", T0.plusSeconds(21));
        Mensagem unreacted = reacted.withReaction(Reaction.COMPANY, true, null, T0.plusSeconds(22));
        Mensagem deleted = unreacted.withDeleted(T0.plusSeconds(30));

        repository.write(List.of(conversa(conversaId)), List.of(sent, edited, reacted));
        Map<String, Object> row = fullRow(mensagemId);
        assertThat(row).containsEntry("text", "Sim, amanhã!").containsEntry("original_text", "Sim!")
                .containsEntry("edited_at", at(T0.plusSeconds(10))).containsEntry("revision", 3L);
        assertThat(Json.MAPPER.readValue((String) row.get("reactions"), Reaction[].class)).containsExactly(
                new Reaction("5511988887777@s.whatsapp.net", false, "👍", T0.plusSeconds(20)),
                new Reaction(Reaction.COMPANY, true, "❤️", T0.plusSeconds(21)));

        repository.write(List.of(), List.of(unreacted, deleted, edited));

        row = fullRow(mensagemId);
        assertThat(row).containsEntry("revision", 5L).containsEntry("deleted_at", at(T0.plusSeconds(30)))
                .containsEntry("text", "Sim, amanhã!").containsEntry("status", "SERVER_ACK");
        assertThat(Json.MAPPER.readValue((String) row.get("reactions"), Reaction[].class)).containsExactly(
                new Reaction("5511988887777@s.whatsapp.net", false, "👍", T0.plusSeconds(20)));
    }

    /** Rows of before revisions hold ERROR at status_rank 5; PostgreSQL's own, as the sink of that time wrote it. */
    @Test
    void shouldMoveALegacyErrorRowOnWithTheFirstRevisionAndKeepTheOldOrderBetweenRevisionsZero() {
        String conversaId = UUID.randomUUID().toString();
        String legacyError = UUID.randomUUID().toString();
        String legacySent = UUID.randomUUID().toString();
        repository.write(List.of(conversa(conversaId)), List.of(
                reply(legacyError, conversaId, "pending:" + legacyError, MensagemStatus.ERROR),
                reply(legacySent, conversaId, whatsAppKey(legacySent), MensagemStatus.SERVER_ACK)));
        jdbc.update("UPDATE mensagem SET status_rank = 5 WHERE id = ?::uuid", UUID.fromString(legacyError));

        repository.write(List.of(), List.of(
                reply(legacyError, conversaId, "pending:" + legacyError, MensagemStatus.ERROR)
                        .withDelivery(MensagemStatus.DELIVERY_ACK, whatsAppKey(legacyError), null, null, null),
                // replayed from before revisions: SERVER_ACK then ERROR, as that time's order had it
                reply(legacySent, conversaId, "pending:" + legacySent, MensagemStatus.ERROR)));

        assertThat(fullRow(legacyError)).containsEntry("status", "DELIVERY_ACK").containsEntry("status_rank", 2)
                .containsEntry("revision", 1L);
        assertThat(fullRow(legacySent)).containsEntry("status", "ERROR").containsEntry("status_rank", 0)
                .containsEntry("revision", 0L);
    }

    @Test
    void shouldStoreAMegabyteOfReactionsInTheBatchOfAnotherEmpresa() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        String otherId = UUID.randomUUID().toString();
        List<Reaction> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(new Reaction("55119" + i + "@s.whatsapp.net", false, "🎉".repeat(5), T0));
        }
        assertThat(Json.MAPPER.writeValueAsBytes(many).length).isGreaterThan(1_000_000);
        Mensagem huge = new Mensagem(mensagemId, conversaId, "emp-1", "loja-01", whatsAppKey(mensagemId), false,
                "5511988887777@s.whatsapp.net", "Maria", "conversation", "Oi", MensagemStatus.DELIVERY_ACK, T0, T0,
                List.of(), 1, null, null, null, null, null, null, many);

        repository.write(List.of(conversa(conversaId)), List.of(huge, other(otherId)));

        assertThat(jdbc.queryForObject("SELECT jsonb_array_length(reactions) FROM mensagem WHERE id = ?::uuid",
                Integer.class, UUID.fromString(mensagemId))).isEqualTo(many.size());
        assertThat(row(otherId)).containsEntry("status", "DELIVERY_ACK");
    }

    /**
     * An edit with a NUL, or a reaction with one, is refused by PostgreSQL with a data error: PostgresSink splits its
     * batch on that and dead-letters it alone, and the other empresa's mensagem is written.
     */
    @Test
    void shouldRefuseWithADataErrorAnEditOrReactionHoldingANulAndWriteTheOtherEmpresaAfterwards() {
        String conversaId = UUID.randomUUID().toString();
        String mensagemId = UUID.randomUUID().toString();
        Mensagem sent = reply(mensagemId, conversaId, whatsAppKey(mensagemId), MensagemStatus.SERVER_ACK);
        repository.write(List.of(conversa(conversaId)), List.of(sent));

        for (Mensagem bad : List.of(sent.withEdit("Si\u0000m", T0),
                sent.withReaction("5511988887777@s.whatsapp.net", false, "\u0000", T0))) {
            String otherId = UUID.randomUUID().toString();
            Throwable failure = catchThrowable(() -> repository.write(List.of(), List.of(bad, other(otherId))));
            assertThat(failure).isInstanceOf(DataAccessException.class);
            assertThat(SinkFailures.isDataError(failure)).as("SQLSTATE %s", SinkFailures.sqlState(failure)).isTrue();

            repository.write(List.of(), List.of(other(otherId)));
            assertThat(row(otherId)).containsEntry("status", "DELIVERY_ACK");
        }
        assertThat(fullRow(mensagemId)).containsEntry("text", "Sim!").containsEntry("revision", 0L);
    }

    private static Mensagem other(String id) {
        return new Mensagem(id, id, "emp-2", "loja-02", "B" + id, false, "5511977776666@s.whatsapp.net", "João",
                "conversation", "Bom dia", MensagemStatus.DELIVERY_ACK, T0, T0, List.of());
    }
}
