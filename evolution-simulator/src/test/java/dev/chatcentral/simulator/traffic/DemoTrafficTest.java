package dev.chatcentral.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chatcentral.simulator.rate=20",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one",
        "chatcentral.simulator.targets[1].empresa-id=emp-2",
        "chatcentral.simulator.targets[1].instance=padaria-02",
        "chatcentral.simulator.targets[1].secret=secret-two"})
class DemoTrafficTest {

    private record Received(String path, String authorization, JsonNode body) {
    }

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer INGEST = startFakeIngest();

    @DynamicPropertySource
    static void ingestUrl(DynamicPropertyRegistry registry) {
        registry.add("chatcentral.simulator.ingest-url", () -> "http://127.0.0.1:" + INGEST.getAddress().getPort());
    }

    @AfterAll
    static void stopFakeIngest() {
        INGEST.stop(0);
    }

    @Test
    void shouldPostCustomerConversationsToEachTargetWithItsSecret() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(messages("/webhooks/evolution/emp-1")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(messages("/webhooks/evolution/emp-2")).hasSizeGreaterThanOrEqualTo(3);
        });

        assertThat(RECEIVED).filteredOn(r -> r.path().endsWith("/emp-1"))
                .allSatisfy(r -> {
                    assertThat(r.authorization()).isEqualTo("Bearer secret-one");
                    assertThat(r.body().get("instance").asString()).isEqualTo("loja-01");
                });
        assertThat(RECEIVED).filteredOn(r -> r.path().endsWith("/emp-2"))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer secret-two"));
        assertThat(RECEIVED).extracting(r -> r.body().get("event").asString())
                .contains("presence.update", "messages.upsert");
        assertThat(messages("/webhooks/evolution/emp-1"))
                .allSatisfy(m -> assertThat(m.at("/data/key/remoteJid").asString()).endsWith("@s.whatsapp.net"));
    }

    private static List<JsonNode> messages(String path) {
        return RECEIVED.stream()
                .filter(r -> r.path().equals(path) && r.body().get("event").asString().equals("messages.upsert"))
                .map(Received::body)
                .toList();
    }

    private static HttpServer startFakeIngest() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                RECEIVED.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes())));
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
