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
import java.util.ArrayList;
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
        "spring.config.name=evolution-simulator",
        "chatcentral.simulator.enabled=false",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one",
        "chatcentral.simulator.send-text.global-apikey=global-key",
        "chatcentral.simulator.send-text.behaviors.loja-09.mode=not_on_whatsapp"})
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

    @Test
    void shouldAcceptTheGlobalApikeyForAnyInstance() throws Exception {
        HttpResponse<String> response = sendText("loja-07", "global-key", "{\"number\":\"5511988887777\",\"text\":\"Oi\"}");

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void shouldFailTheConfiguredNumberOfTimesThenSend() throws Exception {
        HttpResponse<String> set = control("PUT", "/simulator/instances/loja-03/behavior",
                "{\"mode\":\"server_error\",\"failures\":2}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(set.body()).get("remainingFailures").intValue()).isEqualTo(2);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(sendText("loja-03", "global-key", "{\"number\":\"5511988887777\",\"text\":\"Oi " + i
                    + "\"}").statusCode());
        }

        assertThat(statuses).containsExactly(500, 500, 201);
        JsonNode calls = Json.MAPPER.readTree(control("GET", "/simulator/instances/loja-03/calls", null).body());
        assertThat(calls).extracting(c -> c.get("text").asString() + " " + c.get("status").intValue())
                .containsExactly("Oi 0 500", "Oi 1 500", "Oi 2 201");
        assertThat(calls.get(2).get("keyId").asString()).matches("3EB0[0-9A-F]{16}");
    }

    @Test
    void shouldAnswerLateWhenSlowAndAsConfiguredUntilReset() throws Exception {
        control("PUT", "/simulator/instances/loja-04/behavior", "{\"mode\":\"slow\",\"delayMs\":300}");

        long start = System.nanoTime();
        HttpResponse<String> slow = sendText("loja-04", "global-key", "{\"number\":\"5511988887777\",\"text\":\"Oi\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(slow.statusCode()).isEqualTo(201);

        control("PUT", "/simulator/instances/loja-04/behavior", "{\"mode\":\"unauthorized\"}");
        assertThat(sendText("loja-04", "global-key", "{\"number\":\"5511988887777\",\"text\":\"Oi\"}")
                .statusCode()).isEqualTo(401);

        control("DELETE", "/simulator/instances/loja-04/behavior", null);
        assertThat(sendText("loja-04", "global-key", "{\"number\":\"5511988887777\",\"text\":\"Oi\"}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void shouldAnswerNotOnWhatsAppForAnInstanceConfiguredSoInProperties() throws Exception {
        HttpResponse<String> response = sendText("loja-09", "global-key",
                "{\"number\":\"5511988887777\",\"text\":\"Oi\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(response.body()).at("/response/message/0/exists").booleanValue()).isFalse();
    }

    @Test
    void shouldRefuseAnInvalidBehaviorWithTheReason() throws Exception {
        HttpResponse<String> unknownMode = control("PUT", "/simulator/instances/loja-05/behavior",
                "{\"mode\":\"explode\"}");
        HttpResponse<String> negative = control("PUT", "/simulator/instances/loja-05/behavior",
                "{\"mode\":\"slow\",\"delayMs\":-1}");
        HttpResponse<String> noMode = control("PUT", "/simulator/instances/loja-05/behavior", "[]");

        assertThat(List.of(unknownMode, negative, noMode)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
        assertThat(Json.MAPPER.readTree(unknownMode.body()).get("reason").asString())
                .contains("server_error", "explode");
        assertThat(Json.MAPPER.readTree(negative.body()).get("reason").asString()).contains("delayMs");
        assertThat(Json.MAPPER.readTree(control("GET", "/simulator/instances/loja-05/behavior", null).body())
                .get("mode").asString()).isEqualTo("ok");
    }

    private HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
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
