package dev.chatcentral.simulator.sendtext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.simulator.SimulatorHttp;
import dev.chatcentral.simulator.SimulatorTest;

class SlowSendTest extends SimulatorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"configured,loja-02,emp-2,secret-two", "registered at run time,slow-77,emp-slow-77,s-slow-77"})
    void shouldSendAndReportASlowTextEvenWhenTheCallerGaveUp(String how, String instance, String empresa,
            String secret) throws Exception {
        if (!instance.equals("loja-02")) {
            register(instance);
        }
        simulator.control("PUT", "/simulator/instances/" + instance + "/behavior",
                "{\"mode\":\"slow\",\"delayMs\":3000}");

        assertThatThrownBy(() -> simulator.call("POST", "/message/sendText/" + instance, SimulatorHttp.GLOBAL_KEY,
                "{\"number\":\"5511988887777\",\"text\":\"Chega já\"}", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);

        // while the delay runs, nothing was sent: neither a lookup nor the empresa knows of it
        assertThat(SimulatorHttp.json(find(instance)).at("/messages/total").intValue()).isZero();
        assertThat(INGEST.of(empresa)).isEmpty();
        // another instance is not held up by this one's slowness
        long start = System.nanoTime();
        assertThat(simulator.evolution("POST", "/message/sendText/loja-01",
                "{\"number\":\"5511988887777\",\"text\":\"Outra loja\"}").statusCode()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(INGEST.of(empresa))
                .extracting(w -> w.get("event").asString() + " " + w.at("/data/status").asString())
                .containsExactly("send.message PENDING", "messages.update DELIVERY_ACK", "messages.update READ"));
        assertThat(INGEST.received).filteredOn(r -> r.path().endsWith("/" + empresa))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + secret));
        JsonNode found = SimulatorHttp.json(find(instance)).get("messages");
        assertThat(found.get("total").intValue()).isEqualTo(1);
        assertThat(found.at("/records/0/message/conversation").asString()).isEqualTo("Chega já");
        assertThat(found.at("/records/0/MessageUpdate")).extracting(u -> u.get("status").asString())
                .containsExactly("DELIVERY_ACK", "READ");
        assertThat(calls(instance)).filteredOn(c -> c.get("kind").asString().equals("sendText"))
                .extracting(c -> c.get("status").intValue()).containsExactly(201);
    }

    @Test
    void shouldSendNothingWhenADelayedCallEndsInAnError() throws Exception {
        register("slow-failing");
        simulator.control("PUT", "/simulator/instances/slow-failing/behavior",
                "{\"mode\":\"server_error\",\"delayMs\":500}");

        HttpResponse<String> failed = simulator.evolution("POST", "/message/sendText/slow-failing",
                "{\"number\":\"5511988887777\",\"text\":\"Não vai\"}");

        assertThat(failed.statusCode()).isEqualTo(500);
        Thread.sleep(1500);
        assertThat(webhooks("slow-failing")).isEmpty();
        assertThat(SimulatorHttp.json(find("slow-failing")).at("/messages/total").intValue()).isZero();
        assertThat(calls("slow-failing")).filteredOn(c -> c.get("kind").asString().equals("sendText"))
                .extracting(c -> c.get("status").intValue()).containsExactly(500);
    }

    private HttpResponse<String> find(String instance) throws Exception {
        return simulator.evolution("POST", "/chat/findMessages/" + instance,
                "{\"where\":{\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":true}}}");
    }
}
