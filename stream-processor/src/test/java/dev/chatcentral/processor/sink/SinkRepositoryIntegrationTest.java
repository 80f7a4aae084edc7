package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
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
}
