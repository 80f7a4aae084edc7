package dev.chatcentral.simulator.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.simulator.SimulatorHttp;
import dev.chatcentral.simulator.SimulatorTest;

class SilenceTest extends SimulatorTest {

    private static final String TARGET_KEY = "{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":false,"
            + "\"id\":\"3A5F0B6C1D2E3F405162\"}";

    @Test
    void shouldAnswerEverythingButPostNothingForASilentInstanceWhileOthersGoOn() throws Exception {
        register("quiet-1");
        register("loud-1");
        HttpResponse<String> silenced = simulator.control("PUT", "/simulator/instances/quiet-1/silence",
                "{\"silent\":true}");
        assertThat(silenced.statusCode()).isEqualTo(200);
        assertThat(SimulatorHttp.json(silenced).get("silent").booleanValue()).isTrue();

        for (String instance : List.of("quiet-1", "loud-1")) {
            assertThat(simulator.evolution("POST", "/message/sendText/" + instance,
                    "{\"number\":\"5511988887777\",\"text\":\"Oi\"}").statusCode()).isEqualTo(201);
            assertThat(simulator.evolution("POST", "/message/sendReaction/" + instance,
                    "{\"key\":" + TARGET_KEY + ",\"reaction\":\"👍\"}").statusCode()).isEqualTo(201);
            assertThat(simulator.evolution("DELETE", "/chat/deleteMessageForEveryone/" + instance, TARGET_KEY)
                    .statusCode()).isEqualTo(201);
            assertThat(simulator.control("POST", "/simulator/instances/" + instance + "/messages",
                    "{\"phone\":\"5511988887777\",\"text\":\"Oi\"}").statusCode()).isEqualTo(200);
            assertThat(simulator.control("POST", "/simulator/instances/" + instance + "/presence",
                    "{\"phone\":\"5511988887777\",\"presence\":\"composing\"}").statusCode()).isEqualTo(200);
            assertThat(simulator.control("POST", "/simulator/instances/" + instance + "/reactions",
                    "{\"keyId\":\"3A5F\",\"phone\":\"5511988887777\",\"targetFromMe\":true,\"emoji\":\"👍\"}")
                    .statusCode()).isEqualTo(202);
        }

        // the other instance gets everything, receipts included; the silent one nothing, though it did send
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(webhooks("loud-1"))
                .extracting(w -> w.get("event").asString() + " " + w.at("/data/status").asString())
                .contains("messages.update READ"));
        assertThat(webhooks("loud-1")).hasSize(8);
        assertThat(webhooks("quiet-1")).isEmpty();
        assertThat(SimulatorHttp.json(simulator.control("POST", "/simulator/instances/quiet-1/messages",
                "{\"phone\":\"5511988887777\",\"text\":\"Oi\"}")).get("silenced").booleanValue()).isTrue();
        assertThat(SimulatorHttp.json(simulator.evolution("POST", "/chat/findMessages/quiet-1",
                "{\"where\":{\"key\":{\"fromMe\":true}}}")).at("/messages/total").intValue()).isEqualTo(3);
        assertThat(SimulatorHttp.json(simulator.control("GET", "/simulator/instances/quiet-1/silence", null))
                .get("silent").booleanValue()).isTrue();
        assertThat(SimulatorHttp.json(simulator.control("GET", "/simulator/instances/loud-1/silence", null))
                .get("silent").booleanValue()).isFalse();

        simulator.control("PUT", "/simulator/instances/quiet-1/silence", "{\"silent\":false}");
        assertThat(simulator.control("POST", "/simulator/instances/quiet-1/messages",
                "{\"phone\":\"5511988887777\",\"text\":\"De volta\"}").statusCode()).isEqualTo(200);
        assertThat(webhooks("quiet-1")).extracting(w -> w.at("/data/message/conversation").asString())
                .containsExactly("De volta");
    }

    @Test
    void shouldRefuseABadSilenceOrTargetWithAReason() throws Exception {
        for (String body : List.of("{}", "{\"silent\":\"true\"}", "{\"silent\":1}", "[]", "nope")) {
            HttpResponse<String> response = simulator.control("PUT", "/simulator/instances/quiet-2/silence", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).get("reason").asString()).as(body).isNotBlank();
        }
        for (String body : List.of("{\"secret\":\"s\"}", "{\"empresaId\":\" \",\"secret\":\"s\"}",
                "{\"empresaId\":\"emp\",\"secret\":\"\"}", "{\"empresaId\":\"e\\u0000\",\"secret\":\"s\"}",
                "{\"empresaId\":\"" + "e".repeat(1_000_000) + "\",\"secret\":\"s\"}",
                "{\"empresaId\":7,\"secret\":\"s\"}")) {
            HttpResponse<String> response = simulator.control("PUT", "/simulator/instances/quiet-2/target", body);
            String shown = body.length() > 80 ? body.substring(0, 80) : body;
            assertThat(response.statusCode()).as(shown).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).get("reason").asString()).as(shown).isNotBlank();
        }
        assertThat(simulator.control("GET", "/simulator/instances/quiet-2/silence", null).body())
                .contains("\"silent\":false");
        assertThat(simulator.control("GET", "/simulator/instances/quiet-2/target", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldRouteARegisteredInstanceToItsEmpresaUntilForgotten() throws Exception {
        register("moved-1");
        assertThat(SimulatorHttp.json(simulator.control("GET", "/simulator/instances/moved-1/target", null))
                .get("empresaId").asString()).isEqualTo("emp-moved-1");
        assertThat(simulator.control("DELETE", "/simulator/instances/moved-1/target", null).statusCode())
                .isEqualTo(204);

        assertThat(simulator.control("POST", "/simulator/instances/moved-1/messages",
                "{\"phone\":\"5511988887777\",\"text\":\"Oi\"}").statusCode()).isEqualTo(404);
        assertThat(simulator.evolution("POST", "/message/sendText/moved-1",
                "{\"number\":\"5511988887777\",\"text\":\"Oi\"}").statusCode()).isEqualTo(201);
        Thread.sleep(300);
        assertThat(webhooks("moved-1")).isEmpty();
    }
}
