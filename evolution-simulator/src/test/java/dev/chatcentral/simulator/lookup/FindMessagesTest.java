package dev.chatcentral.simulator.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.simulator.SimulatorHttp;
import dev.chatcentral.simulator.SimulatorTest;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

class FindMessagesTest extends SimulatorTest {

    private static final String MARIA = "5511988887777@s.whatsapp.net";
    private static final String JOAO = "5521977776666@s.whatsapp.net";

    @Test
    void shouldListWhatTheInstanceSentAndReceivedNewestFirstInEvolutionsShape() throws Exception {
        register("find-1");
        String first = sendText("find-1", "5511988887777", "Primeira");
        String second = sendText("find-1", "5511988887777", "Segunda");
        sendText("find-1", "5521977776666", "Para o João");
        HttpResponse<String> customer = simulator.control("POST", "/simulator/instances/find-1/messages",
                "{\"phone\":\"5511988887777\",\"name\":\"Maria\",\"text\":\"Oi\"}");
        String customerKey = SimulatorHttp.json(customer).get("keyId").asString();

        JsonNode sentToMaria = find("find-1", "{\"where\":{\"key\":{\"remoteJid\":\"" + MARIA
                + "\",\"fromMe\":true}}}").get("messages");
        assertThat(sentToMaria.get("total").intValue()).isEqualTo(2);
        assertThat(sentToMaria.get("pages").intValue()).isEqualTo(1);
        assertThat(sentToMaria.get("currentPage").intValue()).isEqualTo(1);
        assertThat(sentToMaria.get("records")).extracting(r -> r.at("/key/id").asString())
                .containsExactly(second, first);
        JsonNode record = sentToMaria.at("/records/0");
        assertThat(record.propertyNames()).containsExactly("id", "key", "pushName", "messageType", "message",
                "messageTimestamp", "instanceId", "source", "MessageUpdate");
        assertThat(record.get("id").asString()).matches("c[0-9a-z]{24}");
        assertThat(record.get("key").propertyNames()).containsExactly("remoteJid", "fromMe", "id");
        assertThat(record.at("/key/remoteJid").asString()).isEqualTo(MARIA);
        assertThat(record.at("/key/fromMe").booleanValue()).isTrue();
        assertThat(record.get("pushName").asString()).isEqualTo("Você");
        assertThat(record.get("messageType").asString()).isEqualTo("conversation");
        assertThat(record.at("/message/conversation").asString()).isEqualTo("Segunda");
        assertThat(record.get("messageTimestamp").isIntegralNumber()).isTrue();
        assertThat(record.get("instanceId").asString()).isEqualTo(EvolutionPayloads.instanceId("find-1"));
        assertThat(record.get("source").asString()).isEqualTo("web");
        assertThat(record.get("MessageUpdate").isArray()).isTrue();

        JsonNode byId = find("find-1", "{\"where\":{\"key\":{\"id\":\"" + customerKey + "\"}}}").get("messages");
        assertThat(byId.get("total").intValue()).isEqualTo(1);
        assertThat(byId.at("/records/0/key/fromMe").booleanValue()).isFalse();
        assertThat(byId.at("/records/0/pushName").asString()).isEqualTo("Maria");
        assertThat(find("find-1", "{\"where\":{\"key\":{\"remoteJid\":\"" + JOAO + "\"}}}")
                .at("/messages/total").intValue()).isEqualTo(1);
        assertThat(find("find-1", "{}").at("/messages/total").intValue()).isEqualTo(4);
        assertThat(find("find-1", "{\"where\":{\"key\":{\"fromMe\":false}}}").at("/messages/total").intValue())
                .isEqualTo(1);
        assertThat(find("find-2", "{}").at("/messages/total").intValue()).isZero();
    }

    @Test
    void shouldPageWithOffsetAsThePageSize() throws Exception {
        List<String> sent = List.of(sendText("find-3", "5511988887777", "1"), sendText("find-3", "5511988887777", "2"),
                sendText("find-3", "5511988887777", "3"));

        JsonNode page2 = find("find-3", "{\"offset\":2,\"page\":2}").get("messages");

        assertThat(page2.get("total").intValue()).isEqualTo(3);
        assertThat(page2.get("pages").intValue()).isEqualTo(2);
        assertThat(page2.get("currentPage").intValue()).isEqualTo(2);
        assertThat(page2.get("records")).extracting(r -> r.at("/key/id").asString()).containsExactly(sent.get(0));
        assertThat(find("find-3", "{\"offset\":2,\"page\":9}").at("/messages/records")).isEmpty();
    }

    @Test
    void shouldRefuseBadLookupsWithAReason() throws Exception {
        for (String body : List.of("{\"offset\":0}", "{\"offset\":\"20\"}", "{\"offset\":10001}", "{\"page\":0}",
                "{\"page\":1.5}", "{\"where\":[]}", "{\"where\":{\"key\":\"x\"}}",
                "{\"where\":{\"key\":{\"fromMe\":\"yes\"}}}", "{\"where\":{\"key\":{\"id\":\"a\\u0000b\"}}}",
                "{\"where\":{\"key\":{\"remoteJid\":\"" + "5".repeat(1_000_000) + "\"}}}", "[]", "{")) {
            HttpResponse<String> response = simulator.evolution("POST", "/chat/findMessages/find-4", body);
            String shown = body.length() > 80 ? body.substring(0, 80) : body;
            assertThat(response.statusCode()).as(shown).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).at("/response/message/0").asString()).as(shown).isNotBlank();
        }
        assertThat(simulator.call("POST", "/chat/findMessages/find-4", "wrong", "{}", Duration.ofSeconds(30))
                .statusCode()).isEqualTo(401);
        assertThat(simulator.call("POST", "/chat/findMessages/find-4", EvolutionPayloads.apikey("find-4"), "{}",
                Duration.ofSeconds(30)).statusCode()).isEqualTo(200);
        assertThat(calls("find-4")).extracting(c -> c.get("kind").asString()).containsOnly("findMessages");
    }

    private String sendText(String instance, String number, String text) throws Exception {
        HttpResponse<String> response = simulator.evolution("POST", "/message/sendText/" + instance,
                "{\"number\":\"" + number + "\",\"text\":\"" + text + "\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        return SimulatorHttp.json(response).at("/key/id").asString();
    }

    private JsonNode find(String instance, String body) throws Exception {
        HttpResponse<String> response = simulator.evolution("POST", "/chat/findMessages/" + instance, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return SimulatorHttp.json(response);
    }
}
