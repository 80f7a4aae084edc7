package dev.chatcentral.simulator.sendtext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorHttp;
import dev.chatcentral.simulator.SimulatorTest;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

class ReactionAndDeletionTest extends SimulatorTest {

    private static final String CUSTOMER = "5511988887777@s.whatsapp.net";
    private static final String TARGET_KEY = "{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":false,\"id\":\"3A5F0B6C1D2E3F405162\"}";

    @Test
    void shouldSendAReactionAndReportItAsSendMessage() throws Exception {
        register("react-1");
        long before = Instant.now().toEpochMilli();

        HttpResponse<String> response = simulator.call("POST", "/message/sendReaction/react-1",
                EvolutionPayloads.apikey("react-1"), "{\"key\":" + TARGET_KEY + ",\"reaction\":\"👍\"}",
                Duration.ofSeconds(30));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode sent = SimulatorHttp.json(response);
        assertThat(sent.propertyNames()).containsExactly("key", "pushName", "status", "message", "messageType",
                "messageTimestamp", "instanceId", "source");
        assertThat(sent.get("key").propertyNames()).containsExactly("remoteJid", "fromMe", "id");
        assertThat(sent.at("/key/remoteJid").asString()).isEqualTo(CUSTOMER);
        assertThat(sent.at("/key/fromMe").booleanValue()).isTrue();
        assertThat(sent.at("/key/id").asString()).matches("3EB0[0-9A-F]{16}");
        assertThat(sent.get("pushName").asString()).isEqualTo("Você");
        assertThat(sent.get("status").asString()).isEqualTo("PENDING");
        assertThat(sent.at("/message/reactionMessage/key")).isEqualTo(Json.MAPPER.readTree((TARGET_KEY)));
        assertThat(sent.at("/message/reactionMessage/text").asString()).isEqualTo("👍");
        assertThat(sent.at("/message/reactionMessage/senderTimestampMs").longValue()).isGreaterThanOrEqualTo(before);
        assertThat(sent.get("messageType").asString()).isEqualTo("reactionMessage");
        assertThat(sent.get("messageTimestamp").longValue()).isEqualTo(sent.at("/message/reactionMessage/senderTimestampMs").longValue() / 1000);
        assertThat(sent.get("instanceId").asString()).isEqualTo(EvolutionPayloads.instanceId("react-1"));
        assertThat(sent.get("source").asString()).isEqualTo("web");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(webhooks("react-1")).hasSize(1));
        JsonNode webhook = webhooks("react-1").get(0);
        assertThat(webhook.get("event").asString()).isEqualTo("send.message");
        assertThat(webhook.get("data")).isEqualTo(sent);
        assertThat(calls("react-1")).extracting(c -> c.get("kind").asString() + " " + c.get("text").asString() + " "
                + c.get("targetKeyId").asString() + " " + c.get("status").intValue())
                .containsExactly("sendReaction 👍 3A5F0B6C1D2E3F405162 201");
    }

    @Test
    void shouldRemoveAReactionWithAnEmptyOne() throws Exception {
        HttpResponse<String> response = simulator.evolution("POST", "/message/sendReaction/react-2",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(SimulatorHttp.json(response).at("/message/reactionMessage/text").asString()).isEmpty();
    }

    @Test
    void shouldPlayTheInstancesBehaviorForReactionsAndDeletions() throws Exception {
        simulator.control("PUT", "/simulator/instances/react-3/behavior", "{\"mode\":\"server_error\",\"failures\":2}");

        int reaction = simulator.evolution("POST", "/message/sendReaction/react-3",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"👍\"}").statusCode();
        int deletion = simulator.evolution("DELETE", "/chat/deleteMessageForEveryone/react-3", TARGET_KEY).statusCode();
        int after = simulator.evolution("DELETE", "/chat/deleteMessageForEveryone/react-3", TARGET_KEY).statusCode();

        assertThat(List.of(reaction, deletion, after)).containsExactly(500, 500, 201);
    }

    @Test
    void shouldDeleteForEveryoneAndReportMessagesDeleteWithTheKey() throws Exception {
        register("delete-1");
        HttpResponse<String> text = simulator.evolution("POST", "/message/sendText/delete-1",
                "{\"number\":\"120363025246125486@g.us\",\"text\":\"Oi grupo\"}");
        String keyId = SimulatorHttp.json(text).at("/key/id").asString();

        HttpResponse<String> response = simulator.call("DELETE", "/chat/deleteMessageForEveryone/delete-1",
                EvolutionPayloads.apikey("delete-1"), "{\"id\":\"" + keyId + "\",\"remoteJid\":\"120363025246125486@g.us\","
                        + "\"fromMe\":true,\"participant\":\"5511999990000@s.whatsapp.net\"}", Duration.ofSeconds(30));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode revoke = SimulatorHttp.json(response);
        assertThat(revoke.propertyNames()).containsExactly("key", "message", "messageType", "messageTimestamp",
                "status");
        assertThat(revoke.at("/key/remoteJid").asString()).isEqualTo("120363025246125486@g.us");
        assertThat(revoke.at("/key/fromMe").booleanValue()).isTrue();
        assertThat(revoke.at("/key/id").asString()).matches("3EB0[0-9A-F]{16}").isNotEqualTo(keyId);
        assertThat(revoke.at("/message/protocolMessage")).isEqualTo(Json.MAPPER.readTree((
                "{\"key\":{\"remoteJid\":\"120363025246125486@g.us\",\"fromMe\":true,\"id\":\"" + keyId
                        + "\"},\"type\":\"REVOKE\"}")));
        assertThat(revoke.get("messageType").asString()).isEqualTo("protocolMessage");
        assertThat(revoke.get("status").asString()).isEqualTo("PENDING");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(webhooks("delete-1"))
                .extracting(w -> w.get("event").asString()).containsExactly("send.message", "messages.delete"));
        assertThat(webhooks("delete-1").get(1).get("data")).isEqualTo(Json.MAPPER.readTree((
                "{\"remoteJid\":\"120363025246125486@g.us\",\"fromMe\":true,\"id\":\"" + keyId
                        + "\",\"participant\":\"5511999990000@s.whatsapp.net\"}")));
        JsonNode original = SimulatorHttp.json(simulator.evolution("POST", "/chat/findMessages/delete-1",
                "{\"where\":{\"key\":{\"id\":\"" + keyId + "\"}}}"));
        assertThat(original.at("/messages/records/0/MessageUpdate/0/status").asString()).isEqualTo("DELETED");
        assertThat(calls("delete-1")).extracting(c -> c.get("kind").asString())
                .containsExactly("sendText", "deleteMessageForEveryone", "findMessages");
        assertThat(SimulatorHttp.json(simulator.control("GET", "/simulator/instances/delete-1/calls?kind=sendText",
                null)).valueStream().map(c -> c.get("keyId").asString()).toList()).containsExactly(keyId);
    }

    @Test
    void shouldRefuseHostileReactionsAndDeletionsWithAReasonAndPostNothing() throws Exception {
        register("hostile-1");
        String huge = "👍".repeat(500_000);
        List<String> reactions = List.of(
                "{\"key\":{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":false},\"reaction\":\"👍\"}",
                "{\"key\":{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":false,\"id\":\"  \"},\"reaction\":\"👍\"}",
                "{\"key\":{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":false,\"id\":\"3A\\u0000B\"},\"reaction\":\"👍\"}",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"" + huge + "\"}",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"\\u0000\"}",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":7}",
                "{\"key\":" + TARGET_KEY + "}",
                "{\"key\":{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":\"false\",\"id\":\"3A5F\"},\"reaction\":\"👍\"}",
                "{\"key\":{\"remoteJid\":12,\"fromMe\":false,\"id\":\"3A5F\"},\"reaction\":\"👍\"}",
                "{\"key\":\"3A5F\",\"reaction\":\"👍\"}",
                "[]", "not json");
        for (String body : reactions) {
            HttpResponse<String> response = simulator.evolution("POST", "/message/sendReaction/hostile-1", body);
            assertThat(response.statusCode()).as(shorten(body)).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).at("/response/message/0").asString()).as(shorten(body)).isNotBlank();
        }
        List<String> deletions = List.of("{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":true}",
                "{\"id\":\"\",\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":true}",
                "{\"id\":\"" + "A".repeat(1_000_000) + "\",\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":true}",
                "{\"id\":\"3A5F\",\"remoteJid\":\"" + CUSTOMER + "\\u0000\",\"fromMe\":true}",
                "{\"id\":\"3A5F\",\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":1}",
                "{\"id\":\"3A5F\",\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":true,\"participant\":false}", "7");
        for (String body : deletions) {
            HttpResponse<String> response = simulator.evolution("DELETE", "/chat/deleteMessageForEveryone/hostile-1",
                    body);
            assertThat(response.statusCode()).as(shorten(body)).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).at("/response/message/0").asString()).as(shorten(body)).isNotBlank();
        }
        assertThat(simulator.call("POST", "/message/sendReaction/hostile-1", "wrong",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"👍\"}", Duration.ofSeconds(30)).statusCode()).isEqualTo(401);
        assertThat(simulator.call("DELETE", "/chat/deleteMessageForEveryone/hostile-1", null, TARGET_KEY,
                Duration.ofSeconds(30)).statusCode()).isEqualTo(401);

        // a good call after all that still goes through, and only it reaches the empresa
        assertThat(simulator.evolution("POST", "/message/sendReaction/hostile-1",
                "{\"key\":" + TARGET_KEY + ",\"reaction\":\"❤️\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(webhooks("hostile-1")).hasSize(1));
        Thread.sleep(300);
        assertThat(webhooks("hostile-1")).extracting(w -> w.at("/data/message/reactionMessage/text").asString())
                .containsExactly("❤️");
        assertThat(calls("hostile-1")).filteredOn(c -> c.get("status").intValue() == 201).hasSize(1);
    }

    private static String shorten(String body) {
        return body.length() > 120 ? body.substring(0, 120) : body;
    }
}
