package dev.chatcentral.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.testing.ManagementPortCheck;
import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.evolution.MediaReference;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** The webhook endpoint against a real broker and PostgreSQL: what is accepted is in Kafka, nothing else is. */
class WebhookControllerIntegrationTest {

    private static final String EMPRESA = "emp-a";
    private static final String INSTANCE = "loja-a-01";
    private static final String SECRET = "segredo-da-empresa-a";
    private static final int RATE_LIMIT = 20;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static IngestTestApp ingest;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        ingest = IngestTestApp.start(kafka, database,
                "--chatcentral.ingest.rate-limit.requests-per-second=" + RATE_LIMIT);
        database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
        database.seedEmpresa("emp-b", "loja-b-01", "segredo-da-empresa-b");
        database.seedEmpresa("emp-flood", "flood-01", "segredo-flood");
        database.seedEmpresa("emp-calm", "calm-01", "segredo-calm");
    }

    @AfterAll
    static void stop() {
        ingest.close();
        database.close();
        kafka.close();
    }

    @Test
    void shouldWriteAcceptedWebhookWithHeadersAndRedactedApikey() {
        String keyId = newKeyId();
        HttpResponse<String> response = postA(upsert(INSTANCE, keyId));

        assertThat(response.statusCode()).isEqualTo(200);
        String correlationId = response.headers().firstValue("X-Correlation-Id").orElseThrow();
        ConsumerRecord<String, EvolutionWebhook> record = last(ingest.readUntilKeyId(keyId));
        assertThat(record.key()).isEqualTo(EMPRESA);
        assertThat(record.value().apikey()).isNull();
        assertThat(record.value().instance()).isEqualTo(INSTANCE);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.CORRELATION_ID)).isEqualTo(correlationId);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.EMPRESA_ID)).isEqualTo(EMPRESA);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.INSTANCE)).isEqualTo(INSTANCE);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.EVENT)).isEqualTo("messages.upsert");
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.RECEIVED_AT)).isNotBlank();
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
    }

    @Test
    void shouldAcceptTheByEventsSuffixFormAndEventsItDoesNotUse() {
        String keyId = newKeyId();
        assertThat(ingest.post("/webhooks/evolution/" + EMPRESA + "/messages-upsert", "Bearer " + SECRET,
                "application/json", upsert(INSTANCE, keyId)).statusCode()).isEqualTo(200);
        assertThat(ingest.post("/webhooks/evolution/" + EMPRESA + "/labels-edit", "Bearer " + SECRET,
                "application/json", "{\"event\":\"labels.edit\",\"instance\":\"" + INSTANCE + "\",\"data\":{}}")
                .statusCode()).isEqualTo(200);
        assertThat(postA("{\"event\":\"logout.instance\",\"instance\":\"" + INSTANCE + "\",\"data\":null}")
                .statusCode()).isEqualTo(200);
        assertThat(last(ingest.readUntilKeyId(keyId)).value().event()).isEqualTo("messages.upsert");
    }

    @Test
    void shouldRejectEveryBadRequestWithItsStatusAndReasonAndWriteNothing() {
        record Case(String path, String authorization, String contentType, String body, int status, String error) {
        }
        String keyId = newKeyId();
        String good = upsert(INSTANCE, keyId);
        String path = "/webhooks/evolution/" + EMPRESA;
        String bearer = "Bearer " + SECRET;
        List<Case> cases = List.of(
                new Case(path, null, "application/json", good, 401, "unauthorized"),
                new Case(path, "Bearer wrong", "application/json", good, 401, "unauthorized"),
                new Case(path, "Basic " + SECRET, "application/json", good, 401, "unauthorized"),
                new Case(path, "Bearer eyJhbGciOiJub25lIn0.eyJhcHAiOiJldm9sdXRpb24ifQ.", "application/json", good, 401,
                        "unauthorized"),
                new Case("/webhooks/evolution/emp-unknown", bearer, "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/emp-b", bearer, "application/json", good, 401, "unauthorized"),
                new Case(path, bearer, "text/plain", good, 415, "unsupported_media_type"),
                new Case(path, bearer, null, good, 415, "unsupported_media_type"),
                new Case(path, bearer, "application/json", "", 400, "invalid_webhook"),
                new Case(path, bearer, "application/json", "{not json", 400, "invalid_webhook"),
                new Case(path, bearer, "application/json", "[1,2]", 400, "invalid_webhook"),
                new Case(path, bearer, "application/json",
                        "{\"instance\":\"" + INSTANCE + "\",\"data\":{\"key\":{\"id\":\"" + keyId + "\"}}}", 400,
                        "invalid_webhook"),
                new Case(path, bearer, "application/json", "{\"event\":\"messages.upsert\",\"data\":{}}", 400,
                        "invalid_webhook"),
                new Case(path + "/messages-update", bearer, "application/json", good, 400, "invalid_webhook"),
                new Case(path, bearer, "application/json", good.replace("\"message\":{",
                        "\"message\":{\"base64\":\"%%% not base64 %%%\","), 400, "invalid_webhook"),
                new Case(path, bearer, "application/json", upsert("loja-b-01", keyId), 403, "foreign_instance"));

        for (Case c : cases) {
            HttpResponse<String> response = ingest.post(c.path(), c.authorization(), c.contentType(), c.body());
            assertThat(response.statusCode()).as("%s", c).isEqualTo(c.status());
            assertThat(response.body()).as("%s", c).contains("\"error\":\"" + c.error() + "\"").contains("\"reason\"");
        }
        // a marker accepted after the bad requests proves the topic was read up to that point
        String marker = newKeyId();
        assertThat(postA(upsert(INSTANCE, marker)).statusCode()).isEqualTo(200);
        assertThat(ingest.readUntilKeyId(marker)).noneMatch(r -> keyId.equals(IngestTestApp.keyIdOf(r.value())));
    }

    @Test
    void shouldAcceptTheSameWebhookTwiceBecauseDedupeHappensDownstream() {
        String keyId = newKeyId();
        String body = upsert(INSTANCE, keyId);
        assertThat(postA(body).statusCode()).isEqualTo(200);
        assertThat(postA(body).statusCode()).isEqualTo(200);
        String marker = newKeyId();
        postA(upsert(INSTANCE, marker));
        assertThat(ingest.readUntilKeyId(marker)).filteredOn(r -> keyId.equals(IngestTestApp.keyIdOf(r.value())))
                .hasSize(2);
    }

    @Test
    void shouldMoveInlineMediaToTheMediaTopicAndKeepAReference() {
        byte[] image = new byte[5 * 1024 * 1024];
        new java.util.Random(7).nextBytes(image);
        String keyId = newKeyId();
        String body = """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511988887777@s.whatsapp.net",
                "fromMe":false,"id":"%s"},"pushName":"Maria","messageType":"imageMessage","messageTimestamp":1761057639,
                "message":{"imageMessage":{"caption":"Olha a foto","mimetype":"image/jpeg"},"base64":"%s"}}}
                """.formatted(INSTANCE, keyId, Base64.getEncoder().encodeToString(image));

        assertThat(postA(body).statusCode()).isEqualTo(200);

        EvolutionWebhook webhook = last(ingest.readUntilKeyId(keyId)).value();
        JsonNode message = webhook.data().path("message");
        assertThat(message.has("base64")).isFalse();
        assertThat(message.path("imageMessage").path("caption").asString()).isEqualTo("Olha a foto");
        JsonNode ref = message.path(MediaReference.FIELD);
        assertThat(ref.path("topic").asString()).isEqualTo(Topics.MEDIA.name());
        assertThat(ref.path("sizeBytes").asInt()).isEqualTo(image.length);
        assertThat(ref.path("mimetype").asString()).isEqualTo("image/jpeg");
        assertThat(mediaAt(ref.path("partition").asInt(), ref.path("offset").asLong())).isEqualTo(image);
    }

    @Test
    void shouldRefuseABodyOverSixteenMebibytesWith413() {
        String padding = "x".repeat(16 * 1024 * 1024);
        String body = "{\"event\":\"messages.upsert\",\"instance\":\"" + INSTANCE + "\",\"data\":{\"pad\":\"" + padding
                + "\"}}";
        HttpResponse<String> response = postA(body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"too_large\"");
    }

    @Test
    void shouldRefuseAtOnceWith413AWebhookThatCanNeverFitTheWebhooksTopic() {
        String keyId = newKeyId();
        String text = "x".repeat(1_500_000);
        HttpResponse<String> response = postA(upsert(INSTANCE, keyId).replace("Oi, vocês entregam hoje?", text));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"too_large\"").contains(Topics.WEBHOOKS.name());
        String marker = newKeyId();
        assertThat(postA(upsert(INSTANCE, marker)).statusCode()).isEqualTo(200);
        assertThat(ingest.readUntilKeyId(marker)).extracting(r -> r.value().data() == null ? ""
                : r.value().data().path("key").path("id").asString()).doesNotContain(keyId);
    }

    @Test
    void shouldRefuseAWrongSecretWithoutWaitingForTheBodyAndCloseTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ingest.port())) {
            socket.setSoTimeout(5000);
            // headers announcing 10 MB, and none of the body: the answer must not wait for it
            socket.getOutputStream().write(("POST /webhooks/evolution/" + EMPRESA + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer wrong-secret\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10485760\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 401");
            byte[] rest = socket.getInputStream().readAllBytes();
            assertThat(new String(rest, StandardCharsets.US_ASCII)).containsIgnoringCase("connection: close");
        }
    }

    @Test
    void shouldServeHealthMetricsAndTheAdminApiOnlyOnTheManagementPortBehindItsToken() {
        ManagementPortCheck.assertGuarded(ingest.environment(), DevelopmentSecrets.ADMIN_API_TOKEN,
                "/admin/empresas/" + EMPRESA);
    }

    @Test
    void shouldRateLimitANoisyEmpresaWith429WithoutStarvingTheOthers() {
        List<CompletableFuture<HttpResponse<String>>> flood = IntStream.range(0, RATE_LIMIT * 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> ingest.post("/webhooks/evolution/emp-flood",
                        "Bearer segredo-flood", "application/json", upsert("flood-01", newKeyId()))))
                .toList();
        HttpResponse<String> calm = ingest.post("/webhooks/evolution/emp-calm", "Bearer segredo-calm",
                "application/json", upsert("calm-01", newKeyId()));
        List<HttpResponse<String>> responses = flood.stream().map(CompletableFuture::join).toList();

        assertThat(calm.statusCode()).isEqualTo(200);
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(limited.get(0).headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.get(0).body()).contains("\"error\":\"rate_limited\"");
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429);
    }

    @Test
    void shouldCountRequestsByEventAndStatusAndRejectsByReason() {
        postA(upsert(INSTANCE, newKeyId()));
        ingest.post("/webhooks/evolution/" + EMPRESA, "Bearer wrong", "application/json", upsert(INSTANCE, newKeyId()));

        String metrics = ingest.management("GET", "/actuator/prometheus",
                "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN, null).body();
        assertThat(metrics).contains("chatcentral_ingest_requests_total{event=\"messages.upsert\",status=\"200\"}");
        assertThat(metrics).contains("chatcentral_ingest_rejects_total{reason=\"unauthorized\"}");
        assertThat(metrics).contains("chatcentral_ingest_latency_seconds_bucket");
        assertThat(metrics).contains("chatcentral_ingest_request_bytes_count");
    }

    private static HttpResponse<String> postA(String body) {
        return ingest.post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", body);
    }

    private static byte[] mediaAt(int partition, long offset) {
        TopicPartition tp = new TopicPartition(Topics.MEDIA.name(), partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        assertThat(RecordHeaders.get(r.headers(), RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no media record at " + partition + "/" + offset);
    }

    static String upsert(String instance, String keyId) {
        return """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511988887777@s.whatsapp.net",
                "fromMe":false,"id":"%s"},"pushName":"Maria Silva","message":{"conversation":"Oi, vocês entregam hoje?"},
                "messageType":"conversation","messageTimestamp":1761057639},"date_time":"2025-10-21T14:40:39.512Z",
                "sender":"5511999990000@s.whatsapp.net","server_url":"https://evo.example.com","apikey":"B6D711FCDE4D"}
                """.formatted(instance, keyId);
    }

    static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
