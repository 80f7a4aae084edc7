package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.ProcessorTestApp;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TcpProxy;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * PostgreSQL unreachable in the middle of a run, through a proxy this test owns (the machine's PostgreSQL keeps
 * running): the sink backs off with its circuit open, says so in its health, and once PostgreSQL is back writes
 * everything that arrived meanwhile, nothing lost and nothing twice.
 */
class PostgresOutageIntegrationTest {

    private static final String SINK_GROUP = "chat-central-postgres-sink";
    private static final int CONVERSAS = 50;

    @TempDir
    static Path stateDir;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static TcpProxy proxy;
    private static ProcessorTestApp app;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        proxy = TcpProxy.start(server.getHost(), server.getPort());
        String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath();
        app = ProcessorTestApp.start(kafka, viaProxy, database.user(), stateDir,
                "--spring.datasource.hikari.connection-timeout=1000",
                "--chatcentral.monitoring.refresh-interval=1s",
                "--chatcentral.processor.health.sink-stall-threshold=2s",
                "--chatcentral.processor.health.liveness-grace=4s");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void sendCustomerTexts(int from, int to) {
        for (int n = from; n < to; n++) {
            String customer = "55119" + String.format("%08d", n % CONVERSAS) + "@s.whatsapp.net";
            app.sendBytes(Topics.WEBHOOKS, "emp-outage", ("{\"event\":\"messages.upsert\",\"instance\":\"loja-01\","
                    + "\"data\":{\"key\":{\"remoteJid\":\"" + customer + "\",\"fromMe\":false,\"id\":\"OUT-" + n
                    + "\"},\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"mensagem " + n + "\"},"
                    + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (1761057639 + n) + "},"
                    + "\"sender\":\"5511999990000@s.whatsapp.net\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static long mensagens() {
        return database.queryForLong("SELECT count(*) FROM mensagem");
    }

    private JsonNode sinkHealth() {
        return Json.MAPPER.readTree(app.management("/actuator/health", null).body()).path("components")
                .path("postgresSink");
    }

    private int status(String path) {
        return app.management(path, null).statusCode();
    }

    private String prometheus() {
        return app.management("/actuator/prometheus", null).body();
    }

    @Test
    void shouldLoseNothingWhenPostgresIsUnreachableForAWhile() throws Exception {
        sendCustomerTexts(0, 300);
        await().atMost(Duration.ofSeconds(60)).until(() -> mensagens() == 300);

        proxy.cut();
        sendCustomerTexts(300, 600);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = sinkHealth();
            assertThat(health.path("status").stringValue()).isEqualTo("DOWN");
            assertThat(health.path("details").path("circuit").stringValue()).isEqualTo("OPEN");
            assertThat(health.path("details").path("waiting").asLong()).isPositive();
        });
        assertThat(mensagens()).isEqualTo(300);
        assertThat(app.groupCaughtUp(SINK_GROUP, Topics.MENSAGENS)).isFalse();
        // readiness at once, liveness once the outage outlasts its grace: an orchestrator would restart it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(status("/actuator/health/readiness")).isEqualTo(503);
            assertThat(sinkHealth().path("details").path("stalled").asBoolean()).isTrue();
            assertThat(prometheus()).containsPattern("chatcentral_processor_sink_oldest_waiting_age_seconds [1-9]");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(status("/actuator/health/liveness")).isEqualTo(503));

        sendCustomerTexts(600, 900);
        proxy.resume();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(mensagens()).isEqualTo(900);
            assertThat(app.groupCaughtUp(SINK_GROUP, Topics.CONVERSAS, Topics.MENSAGENS)).isTrue();
        });
        assertThat(database.queryForLong("SELECT count(*) FROM conversa")).isEqualTo(CONVERSAS);
        assertThat(database.queryForLong("SELECT count(*) FROM conversa c WHERE c.version <> "
                + "(SELECT count(*) FROM mensagem m WHERE m.conversa_id = c.id)")).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode health = sinkHealth();
            assertThat(health.path("status").stringValue()).isEqualTo("UP");
            assertThat(health.path("details").path("circuit").stringValue()).isEqualTo("CLOSED");
            assertThat(health.path("details").path("waiting").asLong()).isZero();
            assertThat(status("/actuator/health/readiness")).isEqualTo(200);
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        });
        assertThat(prometheus()).containsPattern("chatcentral_queue_retries_total\\{stage=\"sink\"} [1-9]");
    }
}
