package dev.chatcentral.simulator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;

class EvolutionPayloadsTest {

    private static final String INSTANCE = "loja-01";
    private static final String PHONE = "5511988887777";
    private static final long TIMESTAMP = 1761057639L;

    @Test
    void shouldBuildCustomerTextEnvelopeWithTheFieldsEvolutionSends() {
        ObjectNode envelope = EvolutionPayloads.customerText(INSTANCE, PHONE, "Maria Silva",
                "Oi, vocês entregam hoje?", "3A5F0B6C1D2E3F405162", TIMESTAMP);

        assertThat(envelope.propertyNames()).containsExactly(
                "event", "instance", "data", "destination", "date_time", "sender", "server_url", "apikey");
        assertThat(envelope.get("event").asString()).isEqualTo("messages.upsert");
        assertThat(envelope.get("instance").asString()).isEqualTo(INSTANCE);
        assertThat(envelope.get("date_time").asString()).isEqualTo("2025-10-21T14:40:39.000Z");
        assertThat(envelope.get("sender").asString()).matches("55119\\d{8}@s\\.whatsapp\\.net");
        assertThat(envelope.get("server_url").isString()).isTrue();
        assertThat(envelope.get("apikey").isString()).isTrue();

        JsonNode data = envelope.get("data");
        assertThat(data.propertyNames()).containsExactly("key", "pushName", "status", "message", "messageType",
                "messageTimestamp", "instanceId", "source");
        assertThat(data.at("/key/remoteJid").asString()).isEqualTo("5511988887777@s.whatsapp.net");
        assertThat(data.at("/key/fromMe").isBoolean()).isTrue();
        assertThat(data.at("/key/fromMe").booleanValue()).isFalse();
        assertThat(data.at("/key/id").asString()).isEqualTo("3A5F0B6C1D2E3F405162");
        assertThat(data.get("pushName").asString()).isEqualTo("Maria Silva");
        assertThat(data.get("status").asString()).isEqualTo("DELIVERY_ACK");
        assertThat(data.at("/message/conversation").asString()).isEqualTo("Oi, vocês entregam hoje?");
        assertThat(data.get("messageType").asString()).isEqualTo("conversation");
        assertThat(data.get("messageTimestamp").isIntegralNumber()).isTrue();
        assertThat(data.get("messageTimestamp").longValue()).isEqualTo(TIMESTAMP);
        assertThat(data.get("instanceId").asString()).matches("[0-9a-f-]{36}");
    }

    @Test
    void shouldReadAsTheSchemasEnvelopeRecord() {
        ObjectNode envelope = EvolutionPayloads.customerText(INSTANCE, PHONE, "Maria Silva", "Oi",
                EvolutionPayloads.newKeyId(), TIMESTAMP);
        envelope.put("destination", "http://localhost:8081/webhooks/evolution/emp-1");

        EvolutionWebhook webhook = Json.MAPPER.treeToValue(envelope, EvolutionWebhook.class);

        assertThat(webhook.event()).isEqualTo("messages.upsert");
        assertThat(webhook.instance()).isEqualTo(INSTANCE);
        assertThat(webhook.dateTime()).isEqualTo("2025-10-21T14:40:39.000Z");
        assertThat(webhook.serverUrl()).isEqualTo(EvolutionPayloads.SERVER_URL);
        assertThat(webhook.destination()).endsWith("/emp-1");
        assertThat(webhook.data().at("/key/remoteJid").asString()).isEqualTo("5511988887777@s.whatsapp.net");
    }

    @Test
    void shouldPutOlderSendersTextInExtendedTextMessage() {
        JsonNode data = EvolutionPayloads.customerExtendedText(INSTANCE, PHONE, "Maria Silva", "Tem entrega?",
                EvolutionPayloads.newKeyId(), TIMESTAMP).get("data");

        assertThat(data.at("/message/extendedTextMessage/text").asString()).isEqualTo("Tem entrega?");
        assertThat(data.at("/message/conversation").isMissingNode()).isTrue();
        assertThat(data.get("messageType").asString()).isEqualTo("extendedTextMessage");
    }

    @Test
    void shouldMarkTextTypedOnTheCompanyPhoneAsFromMe() {
        JsonNode data = EvolutionPayloads.companyText(INSTANCE, PHONE, "Sim! Entregamos até 18h.",
                EvolutionPayloads.newKeyId(), TIMESTAMP).get("data");

        assertThat(data.at("/key/fromMe").booleanValue()).isTrue();
        assertThat(data.at("/key/remoteJid").asString()).isEqualTo("5511988887777@s.whatsapp.net");
        assertThat(data.get("pushName").asString()).isEqualTo("Loja 01");
    }

    @Test
    void shouldNameTheParticipantOfAGroupMessage() {
        JsonNode key = EvolutionPayloads.groupText(INSTANCE, "120363025246125888@g.us", PHONE, "Maria Silva",
                "Bom dia, grupo!", EvolutionPayloads.newKeyId(), TIMESTAMP).at("/data/key");

        assertThat(key.get("remoteJid").asString()).endsWith("@g.us");
        assertThat(key.get("participant").asString()).isEqualTo("5511988887777@s.whatsapp.net");
        assertThat(key.get("fromMe").booleanValue()).isFalse();
    }

    @Test
    void shouldBuildReceiptWithKeyIdOfTheMessage() {
        ObjectNode envelope = EvolutionPayloads.receipt(INSTANCE, PHONE, "3EB0C767D097B7C7C030", "READ");
        JsonNode data = envelope.get("data");

        assertThat(envelope.get("event").asString()).isEqualTo("messages.update");
        assertThat(data.propertyNames()).containsExactly(
                "keyId", "remoteJid", "fromMe", "participant", "status", "instanceId", "messageId");
        assertThat(data.get("keyId").asString()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(data.get("fromMe").booleanValue()).isTrue();
        assertThat(data.get("status").asString()).isEqualTo("READ");
        assertThat(data.get("messageId").asString()).matches("c[a-z0-9]{24}");
    }

    @Test
    void shouldBuildPresenceKeyedByTheCustomerJid() {
        ObjectNode envelope = EvolutionPayloads.presence(INSTANCE, PHONE, "composing");

        assertThat(envelope.get("event").asString()).isEqualTo("presence.update");
        assertThat(envelope.at("/data/id").asString()).isEqualTo("5511988887777@s.whatsapp.net");
        assertThat(envelope.get("data").get("presences").get("5511988887777@s.whatsapp.net")
                .get("lastKnownPresence").asString()).isEqualTo("composing");
    }

    @Test
    void shouldDescribeTheNumberOnlyWhenTheConnectionIsOpen() {
        JsonNode open = EvolutionPayloads.connection(INSTANCE, "open", 200).get("data");
        JsonNode closed = EvolutionPayloads.connection(INSTANCE, "close", 401).get("data");

        assertThat(open.propertyNames()).containsExactly("instance", "wuid", "profileName", "state", "statusReason");
        assertThat(open.get("statusReason").isIntegralNumber()).isTrue();
        assertThat(closed.propertyNames()).containsExactly("instance", "state", "statusReason");
        assertThat(closed.get("statusReason").intValue()).isEqualTo(401);
    }

    @Test
    void shouldMakeKeyIdsOfTwentyUppercaseHexCharacters() {
        assertThat(EvolutionPayloads.newKeyId()).matches("3A[0-9A-F]{18}");
        assertThat(EvolutionPayloads.newKeyId()).isNotEqualTo(EvolutionPayloads.newKeyId());
    }

    @Test
    void shouldDescribeTheSameInstanceTheSameWayEveryTime() {
        assertThat(EvolutionPayloads.ownerPhone(INSTANCE)).isEqualTo(EvolutionPayloads.ownerPhone(INSTANCE));
        assertThat(EvolutionPayloads.apikey(INSTANCE)).isEqualTo(EvolutionPayloads.apikey(INSTANCE));
        assertThat(EvolutionPayloads.ownerPhone("loja-02")).isNotEqualTo(EvolutionPayloads.ownerPhone(INSTANCE));
    }
}
