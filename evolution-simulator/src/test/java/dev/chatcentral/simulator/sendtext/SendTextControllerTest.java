package dev.chatcentral.simulator.sendtext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chatcentral.simulator.enabled=false",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one"})
class SendTextControllerTest {

    private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer INGEST = startFakeIngest();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void ingestUrl(DynamicPropertyRegistry registry) {
        registry.add("chatcentral.simulator.ingest-url", () -> "http://127.0.0.1:" + INGEST.getAddress().getPort());
    }

    @AfterAll
    static void stopFakeIngest() {
        INGEST.stop(0);
    }

    @Test
    void shouldAnswerCreatedAndReportSendAndReceiptsToTheEmpresa() throws Exception {
        HttpResponse<String> response = sendText("loja-01", EvolutionPayloads.apikey("loja-01"),
                "{\"number\":\"5511988887777\",\"text\":\"Sim! Entregamos até 18h.\",\"delay\":1200}");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode sent = Json.MAPPER.readTree(response.body());
        assertThat(sent.at("/key/remoteJid").asString()).isEqualTo("5511988887777@s.whatsapp.net");
        assertThat(sent.at("/key/fromMe").booleanValue()).isTrue();
        assertThat(sent.at("/key/id").asString()).matches("3EB0[0-9A-F]{16}");
        assertThat(sent.get("status").asString()).isEqualTo("PENDING");
        assertThat(sent.at("/message/conversation").asString()).isEqualTo("Sim! Entregamos até 18h.");
        assertThat(sent.get("messageTimestamp").isIntegralNumber()).isTrue();

        String keyId = sent.at("/key/id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(RECEIVED)
                .filteredOn(w -> keyId.equals(w.at("/data/key/id").asString())
                        || keyId.equals(w.at("/data/keyId").asString()))
                .extracting(w -> w.get("event").asString() + " " + w.at("/data/status").asString())
                .containsExactly("send.message PENDING", "messages.update DELIVERY_ACK", "messages.update READ"));
    }

    @Test
    void shouldRejectAWrongInstanceToken() throws Exception {
        HttpResponse<String> response = sendText("loja-01", "not-the-token", "{\"number\":\"5511988887777\",\"text\":\"Oi\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(response.body()).get("error").asString()).isEqualTo("Unauthorized");
    }

    @Test
    void shouldAnswerBadRequestForANumberNotOnWhatsApp() throws Exception {
        HttpResponse<String> response = sendText("loja-01", EvolutionPayloads.apikey("loja-01"),
                "{\"number\":\"12ab\",\"text\":\"Oi\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.at("/response/message/0/exists").booleanValue()).isFalse();
        assertThat(body.at("/response/message/0/number").asString()).isEqualTo("12ab");
    }

    private HttpResponse<String> sendText(String instance, String apikey, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/message/sendText/" + instance))
                .header("apikey", apikey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpServer startFakeIngest() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                RECEIVED.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake ingest", e);
        }
    }
}
