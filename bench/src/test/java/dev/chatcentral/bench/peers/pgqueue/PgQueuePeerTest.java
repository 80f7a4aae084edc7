package dev.chatcentral.bench.peers.pgqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Peer A end to end on the machine's PostgreSQL: webhook → queue → workers → NOTIFY → WebSocket client. */
class PgQueuePeerTest {

    private static final String ADMIN = "test-admin-token";
    private static final long MAX_BODY = 4L * 1024 * 1024;

    private static TestDatabase database;
    private static ConfigurableApplicationContext peer;
    private static String base;
    private static final Map<String, String> secrets = new HashMap<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create();
        peer = PgQueuePeer.app().run(
                "--PEER_JDBC_URL=" + database.jdbcUrl(),
                "--server.port=0",
                "--management.server.port=",
                "--QUEUE_WORKERS=4",
                "--QUEUE_BATCH_SIZE=10",
                "--QUEUE_PROCESSING_INTERVAL=100",
                "--MAX_RETRY_ATTEMPTS=3",
                "--QUEUE_RETRY_BASE_MS=50",
                "--PEER_MAX_BODY_BYTES=" + MAX_BODY,
                "--ADMIN_API_TOKEN=" + ADMIN);
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) peer).getWebServer().getPort();
        for (String empresa : List.of("emp-a", "emp-b", "emp-c", "emp-d")) {
            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/admin/empresas/" + empresa + "/webhook-secrets"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).isEqualTo(201);
            secrets.put(empresa, Json.MAPPER.readTree(issued.body()).path("secret").asString());
        }
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void shouldDeliverWebhookToItsEmpresasClientOnlyAndStoreItOnce() throws Exception {
        try (Client a = Client.connect(base, "emp-a"); Client b = Client.connect(base, "emp-b")) {
            String keyId = key();
            assertThat(post("emp-a", upsert("loja-a", "5511900000001", keyId, "Oi, vocês entregam hoje?"))
                    .statusCode()).isEqualTo(200);

            JsonNode event = a.awaitNotification(keyId);
            assertThat(event.path("channel").asString()).isEqualTo("empresa:emp-a");
            assertThat(event.path("data").path("mensagem").path("text").asString())
                    .isEqualTo("Oi, vocês entregam hoje?");
            assertThat(event.path("data").path("conversa").path("unreadCount").asInt()).isEqualTo(1);
            assertThat(database.queryForLong("SELECT count(*) FROM mensagem WHERE key_id = ?", keyId)).isEqualTo(1);
            assertThat(b.notifications()).isEmpty();
        }
    }

    @Test
    void shouldDropDuplicateWhenSameKeyIdArrivesTwice() throws Exception {
        try (Client a = Client.connect(base, "emp-a")) {
            String keyId = key();
            String webhook = upsert("loja-a", "5511900000002", keyId, "uma vez só");
            assertThat(post("emp-a", webhook).statusCode()).isEqualTo(200);
            assertThat(post("emp-a", webhook).statusCode()).isEqualTo(200);
            a.awaitNotification(keyId);
            awaitQueueEmpty();

            assertThat(database.queryForLong("SELECT count(*) FROM mensagem WHERE key_id = ?", keyId)).isEqualTo(1);
            assertThat(a.notifications()).filteredOn(n -> keyId.equals(keyIdOf(n))).hasSize(1);
        }
    }

    @Test
    void shouldMoveStatusForwardWhenReceiptArrives() throws Exception {
        try (Client a = Client.connect(base, "emp-a")) {
            String keyId = key();
            assertThat(post("emp-a", "{\"event\":\"messages.upsert\",\"instance\":\"loja-a\",\"data\":{\"key\":"
                    + "{\"remoteJid\":\"5511900000003@s.whatsapp.net\",\"fromMe\":true,\"id\":\"" + keyId + "\"},"
                    + "\"message\":{\"conversation\":\"Entregamos sim\"},\"messageType\":\"conversation\","
                    + "\"status\":\"SERVER_ACK\"}}").statusCode()).isEqualTo(200);
            assertThat(post("emp-a", "{\"event\":\"messages.update\",\"instance\":\"loja-a\",\"data\":{\"keyId\":\""
                    + keyId + "\",\"remoteJid\":\"5511900000003@s.whatsapp.net\",\"fromMe\":true,"
                    + "\"status\":\"READ\"}}").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).until(() -> a.frames().stream().anyMatch(f ->
                    "message_status".equals(f.path("type").asString())
                            && keyId.equals(f.path("data").path("keyId").asString())));
            assertThat(database.queryForString("SELECT status FROM mensagem WHERE key_id = ?", keyId))
                    .isEqualTo("READ");
        }
    }

    @Test
    void shouldDeadLetterPoisonedWebhookAfterMaxAttemptsWhileNextEmpresaGoesThrough() throws Exception {
        try (Client c = Client.connect(base, "emp-c")) {
            // valid JSON, a messages.upsert with no key.id: it can never be handled
            String poison = "{\"event\":\"messages.upsert\",\"instance\":\"loja-b\",\"data\":{\"key\":{\"remoteJid\":"
                    + "\"5511900000004@s.whatsapp.net\",\"fromMe\":false},\"message\":{\"conversation\":\"x\"}},"
                    + "\"apikey\":\"B6D711FCDE4D\"}";
            assertThat(post("emp-b", poison).statusCode()).isEqualTo(200);
            String keyId = key();
            assertThat(post("emp-c", upsert("loja-c", "5511900000005", keyId, "e eu?")).statusCode())
                    .isEqualTo(200);

            c.awaitNotification(keyId);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    database.queryForLong("SELECT count(*) FROM webhook_dead_letter WHERE empresa_id = 'emp-b'") == 1);
            assertThat(database.queryForLong("SELECT attempts FROM webhook_dead_letter WHERE empresa_id = 'emp-b'"))
                    .isEqualTo(3);
            assertThat(database.queryForString("SELECT error FROM webhook_dead_letter WHERE empresa_id = 'emp-b'"))
                    .contains("no string id");
            // Evolution's apikey is redacted before the webhook is stored anywhere, dead letters included
            assertThat(database.queryForLong("SELECT count(*) FROM webhook_dead_letter WHERE empresa_id = 'emp-b' "
                    + "AND jsonb_typeof(payload->'apikey') = 'null'")).isEqualTo(1);
            awaitQueueEmpty();
        }
    }

    @Test
    void shouldHandleEveryRowOnceAndEachConversaInOrderWithFourWorkers() throws Exception {
        QueueWorkers workers = peer.getBean(QueueWorkers.class);
        awaitQueueEmpty();
        long handledBefore = workers.handled();
        int webhooks = 300;
        try (Client d = Client.connect(base, "emp-d")) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < webhooks; i++) {
                String webhook = upsert("loja-d", "55119100000" + (i % 20), "order-" + i, "mensagem " + i);
                answers.add(http.sendAsync(request("emp-d", webhook), HttpResponse.BodyHandlers.ofString()));
                if (answers.size() % 16 == 0) {
                    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
                }
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertThat(answer.join().statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.notifications().size() >= webhooks);
            awaitQueueEmpty();

            assertThat(workers.handled() - handledBefore).isEqualTo(webhooks);
            assertThat(d.notifications()).hasSize(webhooks);
            assertThat(d.notifications().stream().map(PgQueuePeerTest::keyIdOf).distinct()).hasSize(webhooks);
            assertThat(database.queryForLong("SELECT count(*) FROM mensagem WHERE empresa_id = 'emp-d'"))
                    .isEqualTo(webhooks);
            // each conversa's notifications in the order its webhooks were acknowledged
            Map<String, Long> lastPosition = new HashMap<>();
            for (JsonNode n : d.notifications()) {
                String conversa = n.path("data").path("conversa").path("conversaId").asString();
                long position = n.path("position").asLong();
                assertThat(position).isGreaterThan(lastPosition.getOrDefault(conversa, 0L));
                lastPosition.put(conversa, position);
            }
        }
    }

    @Test
    void shouldRefuseHostileBodiesClearlyAndKeepTheQueueMoving() throws Exception {
        assertRefused(post("emp-a", "this is not JSON"), 400, "not JSON");
        assertRefused(post("emp-a", ""), 400, "empty");
        assertRefused(post("emp-a", "[1,2,3]"), 400, "JSON object");
        assertRefused(post("emp-a", "{\"event\":42}"), 400, "JSON object with a string");
        assertRefused(post("emp-a", "{\"event\":\"messages.upsert\",\"x\":\"a\u0000b\"}"), 400, "not JSON");
        assertRefused(post("emp-a", "{\"event\":\"messages.upsert\",\"x\":\"\\ud800\"}"), 400, "PostgreSQL");
        assertRefused(post("emp-a", "x".repeat((int) MAX_BODY + 1)), 413, "at most");
        assertRefused(http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/evolution/emp-a"))
                .header("Authorization", "Bearer " + secrets.get("emp-a")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()),
                415, "application/json");
        assertRefused(http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/evolution/emp-a"))
                .header("Authorization", "Bearer " + secrets.get("emp-b")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()),
                401, "invalid webhook secret");

        try (Client a = Client.connect(base, "emp-a")) {
            String nul = key();
            assertThat(post("emp-a", upsert("loja-a", "5511900000006", nul, "antes\\u0000depois")).statusCode())
                    .isEqualTo(200);
            String large = key();
            String twoMegabytes = "z".repeat(2 * 1024 * 1024);
            assertThat(post("emp-a", upsert("loja-a", "5511900000007", large, twoMegabytes)).statusCode())
                    .isEqualTo(200);

            assertThat(a.awaitNotification(nul).path("data").path("mensagem").path("text").asString())
                    .isEqualTo("antesdepois");
            // over a NOTIFY's 8000 bytes: the relay reads the event back by its id
            assertThat(a.awaitNotification(large).path("data").path("mensagem").path("text").asString())
                    .hasSize(twoMegabytes.length());
            awaitQueueEmpty();
        }
    }

    @Test
    void shouldCloseWebSocketThatNamesNoEmpresa() {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).join();

        assertThat(closed).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1008);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(reason);
    }

    private static void awaitQueueEmpty() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> database.queryForLong("SELECT count(*) FROM webhook_queue") == 0);
    }

    private static HttpResponse<String> post(String empresa, String body) throws Exception {
        return http.send(request(empresa, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String empresa, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/evolution/" + empresa))
                .header("Authorization", "Bearer " + secrets.get(empresa))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static String upsert(String instance, String number, String keyId, String text) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"" + instance + "\",\"data\":{\"key\":{\"remoteJid\":\""
                + number + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + keyId + "\"},\"pushName\":\"Cliente\","
                + "\"message\":{\"conversation\":\"" + text + "\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":" + System.currentTimeMillis() / 1000 + "},"
                + "\"date_time\":\"2026-11-29T10:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"apikey\":\"B6D711FCDE4D\"}";
    }

    private static String key() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
    }

    private static String keyIdOf(JsonNode notification) {
        return notification.path("data").path("mensagem").path("keyId").asString();
    }

    /** A WebSocket client of one empresa, as the benchmark's agents are: every frame kept, in arrival order. */
    private static final class Client implements WebSocket.Listener, AutoCloseable {

        private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Client connect(String base, String empresa) {
            Client client = new Client();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(base.replace("http", "ws") + "/ws?empresa=" + empresa), client).join();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.frames.stream()
                    .anyMatch(f -> "subscribed".equals(f.path("type").asString())));
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.MAPPER.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        List<JsonNode> frames() {
            return frames;
        }

        List<JsonNode> notifications() {
            return frames.stream().filter(f -> "message_notification".equals(f.path("type").asString())).toList();
        }

        JsonNode awaitNotification(String keyId) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> notifications().stream().anyMatch(n -> keyId.equals(keyIdOf(n))));
            return notifications().stream().filter(n -> keyId.equals(keyIdOf(n))).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
