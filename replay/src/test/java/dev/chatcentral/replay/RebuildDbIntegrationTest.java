package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestDatabase;

/**
 * {@code rebuild-db} against the real pipeline: the stream processor turns webhooks of two empresas into conversas
 * and mensagens and its sink records them; the tool rebuilds that record from the topics into an empty database
 * and finds it equal, then finds a difference planted in the live one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildDbIntegrationTest {

    private static final String SINK_GROUP = "chat-central-postgres-sink";

    @RegisterExtension
    static final Pipeline pipeline = new Pipeline();

    @BeforeAll
    static void recordConversas() {
        long sentAt = 1_761_057_639L;
        for (int i = 0; i < 6; i++) {
            String empresa = i % 2 == 0 ? "emp-a" : "emp-b";
            String instance = "loja-" + empresa;
            String customer = "55119888870" + (10 + i) + "@s.whatsapp.net";
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.customerText(instance, customer, "KEY" + i, "Oi " + i,
                    sentAt + i));
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.customerText(instance, customer, "KEY" + i + "b",
                    "Tudo bem?", sentAt + i + 1));
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.receipt(instance, customer, "KEY" + i, false, "READ"));
        }
        // records no sink can make a row of, between the others: the live sink dead-letters them, the rebuild skips
        // them, and both go on with everyone else's
        pipeline.send(Topics.MENSAGENS, "emp-x", "not json\0{".getBytes(StandardCharsets.UTF_8));
        pipeline.send(Topics.CONVERSAS, "c0ffee00-0000-4000-8000-000000000000", null);
        pipeline.send(Topics.WEBHOOKS, "emp-b", Pipeline.customerText("loja-emp-b", "5511988887099@s.whatsapp.net",
                "KEYLAST", "Ainda aí?", sentAt + 99));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> pipeline.caughtUp("chat-central-stream-processor", Topics.WEBHOOKS)
                        && pipeline.caughtUp(SINK_GROUP, Topics.CONVERSAS, Topics.MENSAGENS)
                        && pipeline.database().queryForLong("SELECT count(*) FROM mensagem") == 13);
    }

    private static Pipeline.Run rebuild(TestDatabase target) {
        return Pipeline.replay("rebuild-db", "--bootstrap", pipeline.kafka().bootstrapServers(),
                "--target-jdbc-url", target.jdbcUrl(), "--compare-jdbc-url", pipeline.database().jdbcUrl());
    }

    @Test
    @Order(1)
    void shouldRebuildARecordEqualToTheLiveOneWhenNothingWasLost() {
        try (TestDatabase target = TestDatabase.create()) {
            Pipeline.Run run = rebuild(target);

            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Replay.OK);
            assertThat(run.out()).contains("EQUAL").contains("1 tombstones skipped")
                    .contains("1 records that can never be rows").contains("unreadable");
            assertThat(target.queryForLong("SELECT count(*) FROM conversa")).isEqualTo(7);
            assertThat(target.queryForLong("SELECT count(*) FROM mensagem")).isEqualTo(13);
            // both empresas are there, each with its own rows, the one written after the bad records too
            assertThat(target.queryForLong("SELECT count(*) FROM conversa WHERE empresa_id = 'emp-b'")).isEqualTo(4);
            assertThat(target.queryForLong("SELECT count(*) FROM mensagem WHERE key_id = 'KEYLAST'")).isOne();
            assertThat(target.queryForString("SELECT status FROM mensagem WHERE key_id = 'KEY0'")).isEqualTo("READ");
        }
    }

    @Test
    @Order(2)
    void shouldRefuseATargetDatabaseThatIsNotEmpty() {
        try (TestDatabase target = TestDatabase.create()) {
            target.execute("CREATE TABLE keep_me (id int)");
            target.execute("INSERT INTO keep_me VALUES (1)");

            Pipeline.Run run = rebuild(target);

            assertThat(run.status()).isEqualTo(Replay.REFUSED);
            assertThat(run.err()).contains("not empty").contains("public.keep_me");
            assertThat(target.queryForLong("SELECT count(*) FROM keep_me")).isOne();
            assertThat(target.queryForLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isOne();
        }
    }

    @Test
    @Order(3)
    void shouldRefuseTheLiveDatabaseItselfAsTarget() {
        Pipeline.Run run = Pipeline.replay("rebuild-db", "--bootstrap", pipeline.kafka().bootstrapServers(),
                "--target-jdbc-url", pipeline.database().jdbcUrl());

        assertThat(run.status()).isEqualTo(Replay.REFUSED);
        assertThat(run.err()).contains("not empty");
    }

    @Test
    @Order(4)
    void shouldReportEachPlantedDifferenceByKeyWhenTheLiveRecordDiffers() {
        String changed = pipeline.database().queryForString(
                "SELECT id::text FROM conversa WHERE empresa_id = 'emp-a' ORDER BY id LIMIT 1");
        String deleted = pipeline.database().queryForString(
                "SELECT id::text FROM mensagem WHERE empresa_id = 'emp-b' ORDER BY id LIMIT 1");
        pipeline.database().execute("UPDATE conversa SET contact_name = 'Planted' WHERE id = ?::uuid", changed);
        pipeline.database().execute("DELETE FROM mensagem WHERE id = ?::uuid", deleted);
        try (TestDatabase target = TestDatabase.create()) {
            Pipeline.Run run = rebuild(target);

            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Replay.DIFFERENT);
            assertThat(run.out()).contains("DIFFERENT")
                    .contains("conversa " + changed + ": differs in:\n    contact_name: rebuilt \"Maria Silva\", "
                            + "live \"Planted\"")
                    .contains("mensagem " + deleted + ": only in the rebuilt database");
            assertThat(Pipeline.lines(run.out())).anySatisfy(line -> assertThat(line)
                    .matches("conversa\\s+7\\s+7\\s+0\\s+0\\s+1"));
            assertThat(Pipeline.lines(run.out())).anySatisfy(line -> assertThat(line)
                    .matches("mensagem\\s+13\\s+12\\s+1\\s+0\\s+0"));
        }
    }

    @Test
    @Order(5)
    void shouldFailClearlyAndTouchNothingWhenTheBrokerIsUnreachable() throws Exception {
        try (TestDatabase target = TestDatabase.create(); ServerSocket socket = new ServerSocket(0)) {
            String closed = "127.0.0.1:" + socket.getLocalPort();
            socket.close();

            Pipeline.Run run = Pipeline.replay("rebuild-db", "--bootstrap", closed, "--target-jdbc-url",
                    target.jdbcUrl());

            assertThat(run.status()).isEqualTo(Replay.UNREACHABLE);
            assertThat(run.err()).contains("broker");
            // nothing migrated: the database can be used for a run once the broker is back
            assertThat(target.queryForLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
        }
    }
}
