package dev.chatcentral.simulator.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorHttp;
import dev.chatcentral.simulator.SimulatorTest;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

class CustomerActionsTest extends SimulatorTest {

    private static final String MARIA = "5511988887777@s.whatsapp.net";
    private static final String KEY = "3A5F0B6C1D2E3F405162";

    @Test
    void shouldPostAnEditAsMessagesEditedByDefault() throws Exception {
        register("edit-1");
        long before = Instant.now().toEpochMilli();

        HttpResponse<String> response = simulator.control("POST", "/simulator/instances/edit-1/edits",
                "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"fromMe\":false,\"text\":\"Oi, corrigido\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(SimulatorHttp.json(response).get("ingestStatus").intValue()).isEqualTo(200);
        assertThat(webhooks("edit-1")).hasSize(1);
        JsonNode webhook = webhooks("edit-1").get(0);
        assertThat(webhook.get("event").asString()).isEqualTo("messages.edited");
        JsonNode data = webhook.get("data");
        assertThat(data.propertyNames()).containsExactly("key", "type", "editedMessage", "timestampMs");
        assertThat(data.get("key")).isEqualTo(key(MARIA, false, KEY));
        assertThat(data.get("type").asString()).isEqualTo("MESSAGE_EDIT");
        assertThat(data.get("editedMessage")).isEqualTo(Json.MAPPER.readTree("{\"conversation\":\"Oi, corrigido\"}"));
        assertThat(data.get("timestampMs").isString()).isTrue();
        assertThat(Long.parseLong(data.get("timestampMs").asString())).isGreaterThanOrEqualTo(before);
        assertThat(SimulatorHttp.json(response).get("data")).isEqualTo(data);
    }

    @Test
    void shouldPostAnEditAsAnUpsertOfAnEditedMessage() throws Exception {
        register("edit-2");

        HttpResponse<String> response = simulator.control("POST", "/simulator/instances/edit-2/edits",
                "{\"keyId\":\"" + KEY + "\",\"remoteJid\":\"" + MARIA + "\",\"name\":\"Maria\",\"text\":\"Novo\","
                        + "\"form\":\"upsert\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode webhook = webhooks("edit-2").get(0);
        assertThat(webhook.get("event").asString()).isEqualTo("messages.upsert");
        JsonNode data = webhook.get("data");
        assertThat(data.at("/key/remoteJid").asString()).isEqualTo(MARIA);
        assertThat(data.at("/key/fromMe").booleanValue()).isFalse();
        assertThat(data.at("/key/id").asString()).matches("3A[0-9A-F]{18}").isNotEqualTo(KEY);
        assertThat(data.get("pushName").asString()).isEqualTo("Maria");
        assertThat(data.get("messageType").asString()).isEqualTo("editedMessage");
        JsonNode protocol = data.at("/message/editedMessage/message/protocolMessage");
        assertThat(protocol.get("key")).isEqualTo(key(MARIA, false, KEY));
        assertThat(protocol.get("type").asString()).isEqualTo("MESSAGE_EDIT");
        assertThat(protocol.at("/editedMessage/conversation").asString()).isEqualTo("Novo");
        assertThat(protocol.get("timestampMs").isString()).isTrue();
        assertThat(data.get("instanceId").asString()).isEqualTo(EvolutionPayloads.instanceId("edit-2"));
    }

    @Test
    void shouldPostARevokeInEachOfItsForms() throws Exception {
        register("revoke-1");
        String who = "\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"fromMe\":false";

        for (String form : List.of("", ",\"form\":\"delete\"", ",\"form\":\"edited\"", ",\"form\":\"update\"")) {
            HttpResponse<String> response = simulator.control("POST", "/simulator/instances/revoke-1/revokes",
                    "{" + who + form + "}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        List<JsonNode> posted = webhooks("revoke-1");
        assertThat(posted).extracting(w -> w.get("event").asString())
                .containsExactly("messages.delete", "messages.delete", "messages.edited", "messages.update");
        assertThat(posted.get(0).get("data")).isEqualTo(key(MARIA, false, KEY));
        assertThat(posted.get(2).get("data")).isEqualTo(Json.MAPPER.readTree("{\"key\":" + key(MARIA, false, KEY)
                + ",\"type\":\"REVOKE\"}"));
        assertThat(posted.get(3).get("data")).isEqualTo(Json.MAPPER.readTree("{\"keyId\":\"" + KEY
                + "\",\"remoteJid\":\"" + MARIA + "\",\"fromMe\":false,\"status\":\"DELETED\"}"));
    }

    @Test
    void shouldPostACustomersReactionAsAnUpsert() throws Exception {
        register("reaction-1");
        long before = Instant.now().toEpochMilli();

        HttpResponse<String> response = simulator.control("POST", "/simulator/instances/reaction-1/reactions",
                "{\"keyId\":\"3EB0C767D097B7C7C030\",\"phone\":\"5511988887777\",\"targetFromMe\":true,"
                        + "\"emoji\":\"❤️\"}");
        HttpResponse<String> removal = simulator.control("POST", "/simulator/instances/reaction-1/reactions",
                "{\"keyId\":\"3EB0C767D097B7C7C030\",\"phone\":\"5511988887777\",\"targetFromMe\":true,"
                        + "\"emoji\":\"\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(removal.statusCode()).as(removal.body()).isEqualTo(202);
        JsonNode webhook = webhooks("reaction-1").get(0);
        assertThat(webhook.get("event").asString()).isEqualTo("messages.upsert");
        JsonNode data = webhook.get("data");
        assertThat(data.at("/key/remoteJid").asString()).isEqualTo(MARIA);
        assertThat(data.at("/key/fromMe").booleanValue()).isFalse();
        assertThat(data.at("/key/id").asString()).matches("3A[0-9A-F]{18}");
        assertThat(data.get("pushName").asString()).isEqualTo("5511988887777");
        assertThat(data.get("messageType").asString()).isEqualTo("reactionMessage");
        JsonNode reaction = data.at("/message/reactionMessage");
        assertThat(reaction.get("key")).isEqualTo(key(MARIA, true, "3EB0C767D097B7C7C030"));
        assertThat(reaction.get("text").asString()).isEqualTo("❤️");
        assertThat(reaction.get("senderTimestampMs").longValue()).isGreaterThanOrEqualTo(before);
        assertThat(webhooks("reaction-1").get(1).at("/data/message/reactionMessage/text").asString()).isEmpty();
        assertThat(SimulatorHttp.json(response).at("/data/key/id").asString())
                .isEqualTo(data.at("/key/id").asString());
    }

    @Test
    void shouldRefuseHostileActionsWithAReasonAndPostNothing() throws Exception {
        register("hostile-2");
        String huge = "x".repeat(1_000_000);
        List<String[]> refused = List.of(
                new String[] {"edits", "{\"phone\":\"5511988887777\",\"text\":\"Oi\"}"},
                new String[] {"edits", "{\"keyId\":\"\",\"phone\":\"5511988887777\",\"text\":\"Oi\"}"},
                new String[] {"edits", "{\"keyId\":\"   \",\"phone\":\"5511988887777\",\"text\":\"Oi\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"" + huge + "\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"a\\u0000b\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"Oi\",\"form\":\"shout\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"Oi\",\"fromMe\":\"no\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"phone\":5511988887777,\"text\":\"Oi\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"text\":\"Oi\"}"},
                new String[] {"edits", "{\"keyId\":\"" + KEY + "\",\"remoteJid\":\"120363025246125486@g.us\",\"text\":\"Oi\"}"},
                new String[] {"revokes", "{\"keyId\":12,\"phone\":\"5511988887777\"}"},
                new String[] {"revokes", "{\"keyId\":\"3A\\u0000\",\"phone\":\"5511988887777\"}"},
                new String[] {"revokes", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"form\":\"burn\"}"},
                new String[] {"revokes", "{\"keyId\":\"" + KEY + "\",\"remoteJid\":\"maria\"}"},
                new String[] {"reactions", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"targetFromMe\":true,\"emoji\":\"" + huge + "\"}"},
                new String[] {"reactions", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"targetFromMe\":true,\"emoji\":\"\\u0000\"}"},
                new String[] {"reactions", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"targetFromMe\":true}"},
                new String[] {"reactions", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"emoji\":\"👍\"}"},
                new String[] {"reactions", "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"targetFromMe\":true,\"emoji\":[\"👍\"]}"},
                new String[] {"reactions", "[]"},
                new String[] {"reactions", "not json"});
        for (String[] call : refused) {
            HttpResponse<String> response = simulator.control("POST", "/simulator/instances/hostile-2/" + call[0],
                    call[1]);
            String shown = call[0] + " " + (call[1].length() > 100 ? call[1].substring(0, 100) : call[1]);
            assertThat(response.statusCode()).as(shown).isEqualTo(400);
            assertThat(SimulatorHttp.json(response).get("reason").asString()).as(shown).isNotBlank();
        }
        for (String action : List.of("edits", "revokes", "reactions")) {
            HttpResponse<String> unknown = simulator.control("POST", "/simulator/instances/nobody/" + action,
                    "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\",\"text\":\"Oi\",\"emoji\":\"👍\","
                            + "\"targetFromMe\":true}");
            assertThat(unknown.statusCode()).as(action).isEqualTo(404);
            assertThat(SimulatorHttp.json(unknown).get("reason").asString()).contains("nobody");
        }
        assertThat(webhooks("hostile-2")).isEmpty();

        // a good action afterwards still goes through
        assertThat(simulator.control("POST", "/simulator/instances/hostile-2/revokes",
                "{\"keyId\":\"" + KEY + "\",\"phone\":\"5511988887777\"}").statusCode()).isEqualTo(202);
        assertThat(webhooks("hostile-2")).hasSize(1);
    }

    private static JsonNode key(String remoteJid, boolean fromMe, String id) {
        return Json.MAPPER.createObjectNode().put("remoteJid", remoteJid).put("fromMe", fromMe).put("id", id);
    }
}
