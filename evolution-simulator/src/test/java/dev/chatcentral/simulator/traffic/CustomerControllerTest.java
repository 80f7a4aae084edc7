package dev.chatcentral.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=evolution-simulator",
        "chatcentral.simulator.enabled=false",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one"})
class CustomerControllerTest {

    private static final FakeIngest INGEST = new FakeIngest();
    private static final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void ingestUrl(DynamicPropertyRegistry registry) {
        registry.add("chatcentral.simulator.ingest-url", INGEST::url);
    }

    @AfterAll
    static void stopFakeIngest() {
        INGEST.close();
    }

    @BeforeEach
    void acceptEverything() {
        INGEST.answer(200);
        INGEST.received.clear();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldPostTheCustomersMessageAsEvolutionDoesAndAnswerItsKeyId() throws Exception {
        HttpResponse<String> response = post("/simulator/instances/loja-01/messages",
                "{\"phone\":\"5511987654321\",\"name\":\"Maria\",\"text\":\"Oi, tudo bem?\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String keyId = Json.MAPPER.readTree(response.body()).path("keyId").asString();
        assertThat(INGEST.received).hasSize(1);
        FakeIngest.Received webhook = INGEST.received.get(0);
        assertThat(webhook.path()).isEqualTo("/webhooks/evolution/emp-1");
        assertThat(webhook.authorization()).isEqualTo("Bearer secret-one");
        JsonNode body = webhook.body();
        assertThat(body.path("event").asString()).isEqualTo("messages.upsert");
        assertThat(body.at("/data/key/id").asString()).isEqualTo(keyId);
        assertThat(body.at("/data/key/remoteJid").asString()).isEqualTo("5511987654321@s.whatsapp.net");
        assertThat(body.at("/data/pushName").asString()).isEqualTo("Maria");
        assertThat(body.at("/data/message/conversation").asString()).isEqualTo("Oi, tudo bem?");
    }

    @Test
    void shouldPostTheCustomersTyping() throws Exception {
        HttpResponse<String> response = post("/simulator/instances/loja-01/presence",
                "{\"phone\":\"5511987654321\",\"presence\":\"composing\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(INGEST.received.get(0).body().path("event").asString()).isEqualTo("presence.update");
    }

    @Test
    void shouldSayWhenTheIngestRefusedTheWebhook() throws Exception {
        INGEST.answer(401);

        HttpResponse<String> response = post("/simulator/instances/loja-01/messages",
                "{\"phone\":\"5511987654321\",\"text\":\"Oi\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(Json.MAPPER.readTree(response.body()).path("ingestStatus").asInt()).isEqualTo(401);
    }

    @Test
    void shouldRefuseUnknownInstancesAndBadFieldsWithoutPostingAnything() throws Exception {
        assertThat(post("/simulator/instances/outra/messages", "{\"phone\":\"5511987654321\",\"text\":\"Oi\"}")
                .statusCode()).isEqualTo(404);
        for (String body : new String[] {"{\"phone\":\"55\",\"text\":\"Oi\"}", "{\"phone\":5511987654321,\"text\":\"Oi\"}",
                "{\"phone\":\"5511987654321\",\"text\":\"\"}", "{\"phone\":\"5511987654321\"}",
                "{\"phone\":\"5511987654321\",\"text\":\"" + "a".repeat(65_537) + "\"}",
                "{\"phone\":\"5511987654321\",\"name\":\"" + "n".repeat(257) + "\",\"text\":\"Oi\"}", "[]"}) {
            HttpResponse<String> response = post("/simulator/instances/loja-01/messages", body);
            assertThat(response.statusCode()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(400);
        }
        assertThat(post("/simulator/instances/loja-01/presence",
                "{\"phone\":\"5511987654321\",\"presence\":\"dancing\"}").statusCode()).isEqualTo(400);
        assertThat(INGEST.received).isEmpty();
    }
}
