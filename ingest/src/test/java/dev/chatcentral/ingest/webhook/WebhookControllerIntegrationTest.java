package dev.chatcentral.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.ingest.IngestApplication;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** The webhook endpoint against a real broker and PostgreSQL: what is accepted is in Kafka, nothing else is. */
class WebhookControllerIntegrationTest {

    private static final String EMPRESA = "emp-a";
    private static final String INSTANCE = "loja-a-01";
    private static final String SECRET = "segredo-da-empresa-a";

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext ingest;
    private static KafkaConsumer<String, EvolutionWebhook> consumer;
    private static String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        ingest = IngestApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user());
        database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
        database.seedEmpresa("emp-b", "loja-b-01", "segredo-da-empresa-b");
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) ingest).getWebServer().getPort();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.WEBHOOKS.keySerde().deserializer(), Topics.WEBHOOKS.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.WEBHOOKS.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.WEBHOOKS.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterAll
    static void stop() {
        consumer.close();
        ingest.close();
        database.close();
        kafka.close();
    }

    @Test
    void shouldWriteAcceptedWebhookWithHeadersAndRedactedApikey() throws Exception {
        String keyId = newKeyId();
        HttpResponse<String> response = post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET,
                "application/json", upsert(INSTANCE, keyId));

        assertThat(response.statusCode()).isEqualTo(200);
        String correlationId = response.headers().firstValue("X-Correlation-Id").orElseThrow();
        ConsumerRecord<String, EvolutionWebhook> record = awaitRecordWithKeyId(keyId);
        assertThat(record.key()).isEqualTo(EMPRESA);
        assertThat(record.value().apikey()).isNull();
        assertThat(record.value().instance()).isEqualTo(INSTANCE);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.CORRELATION_ID)).isEqualTo(correlationId);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.EMPRESA_ID)).isEqualTo(EMPRESA);
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.EVENT)).isEqualTo("messages.upsert");
        assertThat(RecordHeaders.get(record.headers(), RecordHeaders.RECEIVED_AT)).isNotBlank();
    }

    @Test
    void shouldAcceptTheByEventsSuffixForm() throws Exception {
        String keyId = newKeyId();
        HttpResponse<String> response = post("/webhooks/evolution/" + EMPRESA + "/messages-upsert",
                "Bearer " + SECRET, "application/json", upsert(INSTANCE, keyId));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(awaitRecordWithKeyId(keyId).value().event()).isEqualTo("messages.upsert");
    }

    @Test
    void shouldRejectEveryBadRequestWithItsStatusAndReasonAndWriteNothing() throws Exception {
        record Case(String path, String authorization, String contentType, String body, int status, String error) {
        }
        String keyId = newKeyId();
        String good = upsert(INSTANCE, keyId);
        List<Case> cases = List.of(
                new Case("/webhooks/evolution/" + EMPRESA, null, "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer wrong", "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/" + EMPRESA, "Basic " + SECRET, "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/emp-unknown", "Bearer " + SECRET, "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/emp-b", "Bearer " + SECRET, "application/json", good, 401, "unauthorized"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "text/plain", good, 415, "unsupported_media_type"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", "{not json", 400, "invalid_webhook"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", "[1,2]", 400, "invalid_webhook"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json",
                        "{\"instance\":\"" + INSTANCE + "\",\"data\":{\"key\":{\"id\":\"" + keyId + "\"}}}", 400, "invalid_webhook"),
                new Case("/webhooks/evolution/" + EMPRESA + "/messages-update", "Bearer " + SECRET, "application/json", good, 400, "invalid_webhook"),
                new Case("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json",
                        upsert("loja-b-01", keyId), 403, "foreign_instance"));

        for (Case c : cases) {
            HttpResponse<String> response = post(c.path(), c.authorization(), c.contentType(), c.body());
            assertThat(response.statusCode()).as("%s", c).isEqualTo(c.status());
            assertThat(response.body()).as("%s", c).contains("\"error\":\"" + c.error() + "\"").contains("\"reason\"");
        }
        // a marker accepted after the bad requests proves the topic was read up to that point
        String marker = newKeyId();
        assertThat(post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json",
                upsert(INSTANCE, marker)).statusCode()).isEqualTo(200);
        List<ConsumerRecord<String, EvolutionWebhook>> seen = readUntilKeyId(marker);
        assertThat(seen).noneMatch(r -> keyId.equals(keyIdOf(r.value())));
    }

    @Test
    void shouldAcceptTheSameWebhookTwiceBecauseDedupeHappensDownstream() throws Exception {
        String keyId = newKeyId();
        String body = upsert(INSTANCE, keyId);
        assertThat(post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", body).statusCode())
                .isEqualTo(200);
        assertThat(post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", body).statusCode())
                .isEqualTo(200);
        String marker = newKeyId();
        post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json", upsert(INSTANCE, marker));
        assertThat(readUntilKeyId(marker)).filteredOn(r -> keyId.equals(keyIdOf(r.value()))).hasSize(2);
    }

    private HttpResponse<String> post(String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.header("Content-Type", contentType);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String upsert(String instance, String keyId) {
        return """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511988887777@s.whatsapp.net",
                "fromMe":false,"id":"%s"},"pushName":"Maria Silva","message":{"conversation":"Oi, vocês entregam hoje?"},
                "messageType":"conversation","messageTimestamp":1761057639},"date_time":"2025-10-21T14:40:39.512Z",
                "sender":"5511999990000@s.whatsapp.net","server_url":"https://evo.example.com","apikey":"B6D711FCDE4D"}
                """.formatted(instance, keyId);
    }

    private static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
    }

    private static String keyIdOf(EvolutionWebhook webhook) {
        return webhook.data() == null ? null : webhook.data().path("key").path("id").asString(null);
    }

    private static ConsumerRecord<String, EvolutionWebhook> awaitRecordWithKeyId(String keyId) {
        List<ConsumerRecord<String, EvolutionWebhook>> seen = readUntilKeyId(keyId);
        return seen.get(seen.size() - 1);
    }

    /** Reads chat.webhooks (continuing where the last read stopped) until the record with that key.id. */
    private static List<ConsumerRecord<String, EvolutionWebhook>> readUntilKeyId(String keyId) {
        List<ConsumerRecord<String, EvolutionWebhook>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, EvolutionWebhook> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r);
                if (keyId.equals(keyIdOf(r.value()))) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no record with key.id " + keyId + " in " + Topics.WEBHOOKS.name());
    }
}
