package dev.chatcentral.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.simulator.SimulatorHttp;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=evolution-simulator",
        "chatcentral.simulator.rate=20",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one",
        "chatcentral.simulator.targets[1].empresa-id=emp-2",
        "chatcentral.simulator.targets[1].instance=padaria-02",
        "chatcentral.simulator.targets[1].secret=secret-two"})
class DemoTrafficTest {

    private static final FakeIngest INGEST = new FakeIngest();
    private static final List<FakeIngest.Received> RECEIVED = INGEST.received;

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
                .map(FakeIngest.Received::body)
                .toList();
    }

    @Test
    void shouldStopOneEmpresasTrafficWhileItsInstanceIsSilent() throws Exception {
        SimulatorHttp simulator = new SimulatorHttp(port);
        simulator.control("PUT", "/simulator/instances/padaria-02/silence", "{\"silent\":true}");
        try {
            Thread.sleep(500);  // posts already under way when silenced may still land
            int emp1 = messages("/webhooks/evolution/emp-1").size();
            int emp2 = messages("/webhooks/evolution/emp-2").size();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(messages("/webhooks/evolution/emp-1")).hasSizeGreaterThanOrEqualTo(emp1 + 5));
            assertThat(messages("/webhooks/evolution/emp-2")).hasSize(emp2);
        } finally {
            simulator.control("PUT", "/simulator/instances/padaria-02/silence", "{\"silent\":false}");
        }
    }
}
