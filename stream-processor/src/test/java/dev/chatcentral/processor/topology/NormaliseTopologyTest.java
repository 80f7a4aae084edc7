package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.presence;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.RecordHeaders;

/** Every Evolution event chat-central acts on, in the shapes of reference/evolution-api.md. */
class NormaliseTopologyTest {

    private static final String LID = "123456789012345@lid";
    private static final String GROUP = "120363025246125486@g.us";

    @TempDir
    Path stateDir;

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
    }

    @AfterEach
    void close() {
        t.close();
    }

    private static String conversaId(String jid) {
        return DeterministicIds.conversaId(EMPRESA, INSTANCE, jid);
    }

    private static String lidKey(String remoteJid, String alt, String id) {
        return "{\"remoteJid\":\"" + remoteJid + "\"" + (alt == null ? "" : ",\"remoteJidAlt\":\"" + alt + "\"")
                + ",\"fromMe\":false,\"id\":\"" + id + "\"}";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"composing, typing_start", "recording, typing_start", "paused, typing_stop",
            "available, typing_stop", "unavailable, typing_stop"})
    void shouldTurnCustomerPresenceIntoTypingOnTheConversa(String presence, String type) {
        t.send(customerText("C1", "Oi"));
        if (type.equals("typing_stop")) {
            // a stop is an edge: it follows a start
            t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        }
        t.drainOutputs();

        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, presence));

        RealtimeEvent typing = t.events.readValue();
        assertThat(typing.type()).isEqualTo(type);
        assertThat(typing.empresaId()).isEqualTo(EMPRESA);
        assertThat(typing.channels()).containsExactly("conversa:" + conversaId(CUSTOMER_JID));
        assertThat(typing.data().path("conversaId").stringValue()).isEqualTo(conversaId(CUSTOMER_JID));
        assertThat(typing.data().path("who").stringValue()).isEqualTo("cliente");
        assertThat(typing.data().path("jid").stringValue()).isEqualTo(CUSTOMER_JID);
        assertThat(typing.data().path("presence").stringValue()).isEqualTo(presence);
        assertThat(t.conversas.isEmpty()).isTrue();
        assertThat(t.outcomes).endsWith(WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldStartCustomerTypingOnceWhileWhatsAppRepeatsComposing() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "paused"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "paused"));

        assertThat(t.events.readValuesToList()).extracting(RealtimeEvent::type)
                .containsExactly("typing_start", "typing_stop");
    }

    @Test
    void shouldStopCustomerTypingAfterTenSecondsWithoutAStop() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        assertThat(t.events.readValue().type()).isEqualTo("typing_start");

        for (int second = 0; second < 9; second++) {
            t.advance(Duration.ofSeconds(1));
        }
        assertThat(t.events.isEmpty()).isTrue();
        t.advance(Duration.ofSeconds(1));
        t.advance(Duration.ofSeconds(1));

        RealtimeEvent stop = t.events.readValue();
        assertThat(stop.type()).isEqualTo("typing_stop");
        assertThat(stop.channels()).containsExactly("conversa:" + conversaId(CUSTOMER_JID));
        assertThat(stop.data().path("presence").stringValue()).isEqualTo("expired");
        assertThat(stop.data().path("who").stringValue()).isEqualTo("cliente");
    }

    @Test
    void shouldNotOpenConversaWhenUnknownCustomerTypes() {
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));

        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.NO_CONVERSA);
    }

    @Test
    void shouldShowTypingOfGroupMemberInTheGroupConversa() {
        t.send(upsert("{\"remoteJid\":\"" + GROUP + "\",\"fromMe\":false,\"id\":\"G1\","
                + "\"participant\":\"" + LID + "\",\"participantAlt\":\"5511977776666@s.whatsapp.net\"}", "João",
                conversation("bom dia"), "conversation", SENT_AT));
        assertThat(t.mensagens.readValue().senderJid()).isEqualTo("5511977776666@s.whatsapp.net");
        t.drainOutputs();

        t.send(presence(GROUP, "5511977776666@s.whatsapp.net", "composing"));

        RealtimeEvent typing = t.events.readValue();
        assertThat(typing.channels()).containsExactly("conversa:" + conversaId(GROUP));
        assertThat(typing.data().path("jid").stringValue()).isEqualTo("5511977776666@s.whatsapp.net");
    }

    @Test
    void shouldTellEmpresaTheInstanceStatus() {
        t.send(envelope("connection.update", INSTANCE, "{\"instance\":\"loja-01\",\"wuid\":"
                + "\"5511999990000@s.whatsapp.net\",\"profileName\":\"Loja 01\",\"state\":\"open\","
                + "\"statusReason\":200}"));
        t.send(envelope("connection.update", INSTANCE, "{\"instance\":\"loja-01\",\"state\":\"close\","
                + "\"statusReason\":\"401\"}"));

        List<RealtimeEvent> statuses = t.events.readValuesToList();
        assertThat(statuses).extracting(RealtimeEvent::type).containsOnly(EventType.INSTANCE_STATUS);
        assertThat(statuses.get(0).channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(statuses.get(0).data().path("instance").stringValue()).isEqualTo(INSTANCE);
        assertThat(statuses.get(0).data().path("state").stringValue()).isEqualTo("open");
        assertThat(statuses.get(0).data().path("statusReason").intValue()).isEqualTo(200);
        assertThat(statuses.get(0).data().path("wuid").stringValue()).isEqualTo("5511999990000@s.whatsapp.net");
        assertThat(statuses.get(0).data().path("profileName").stringValue()).isEqualTo("Loja 01");
        assertThat(statuses.get(1).data().path("state").stringValue()).isEqualTo("close");
        assertThat(statuses.get(1).data().path("statusReason").intValue()).isEqualTo(401);
        assertThat(statuses.get(1).id()).isNotEqualTo(statuses.get(0).id());
    }

    @Test
    void shouldSendConnectionUpdateWithoutStateToDlq() {
        t.send(envelope("connection.update", INSTANCE, "{\"instance\":\"loja-01\"}"));

        assertThat(RecordHeaders.get(t.dlq.readRecord().headers(), RecordHeaders.ERROR_MESSAGE))
                .isEqualTo("connection.update has no data.state");
    }

    @Test
    void shouldUpdateContactNameOfExistingConversasOnly() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        t.send(envelope("contacts.upsert", INSTANCE, "[{\"remoteJid\":\"" + CUSTOMER_JID + "\",\"pushName\":"
                + "\"Maria S. Souza\",\"profilePicUrl\":null},{\"remoteJid\":\"5511900000000@s.whatsapp.net\","
                + "\"pushName\":\"Ninguém\"},{\"pushName\":\"sem jid\"}]"));

        Conversa renamed = t.conversas.readValue();
        assertThat(renamed.contactName()).isEqualTo("Maria S. Souza");
        assertThat(renamed.version()).isEqualTo(2);
        assertThat(t.conversas.isEmpty()).isTrue();
        RealtimeEvent updated = t.events.readValue();
        assertThat(updated.type()).isEqualTo(EventType.CONVERSATION_UPDATED);
        assertThat(updated.data().path("conversa").path("contactName").stringValue()).isEqualTo("Maria S. Souza");

        t.send(envelope("contacts.update", INSTANCE, "{\"id\":\"" + CUSTOMER_JID + "\",\"name\":\"Maria S. Souza\"}"));
        t.send(envelope("contacts.update", INSTANCE, "{\"id\":\"" + CUSTOMER_JID + "\",\"name\":\"Maria\"}"));

        assertThat(t.conversas.readValuesToList()).extracting(Conversa::contactName).containsExactly("Maria");
        assertThat(t.outcomes).endsWith(WebhookOutcome.PROCESSED, WebhookOutcome.NO_CONVERSA,
                WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldOpenNoConversaForHistorySync() {
        t.send(envelope("messages.set", INSTANCE, "{\"messages\":[{\"key\":" + key(CUSTOMER_JID, false, "H1")
                + ",\"message\":" + conversation("velha") + "}]}"));
        t.send(envelope("messaging-history.set", INSTANCE, "{\"messages\":[]}"));

        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.HISTORY_SKIPPED, WebhookOutcome.HISTORY_SKIPPED);
    }

    @Test
    void shouldKeepOneConversaWhenLidOnlyFollowsPhoneAndLid() {
        t.send(upsert(lidKey(LID, CUSTOMER_JID, "L1"), "Maria", conversation("um"), "conversation", SENT_AT));
        t.send(upsert(lidKey(LID, null, "L2"), "Maria", conversation("dois"), "conversation", SENT_AT + 1));

        List<Conversa> states = t.conversas.readValuesToList();
        assertThat(states).extracting(Conversa::conversaId).containsOnly(conversaId(CUSTOMER_JID));
        assertThat(states.get(1).remoteJid()).isEqualTo(CUSTOMER_JID);
        assertThat(states.get(1).remoteJidAlt()).isEqualTo(LID);
        assertThat(states.get(1).unreadCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepLidConversaWhenPhoneIsLearnedLater() {
        t.send(upsert(lidKey(LID, null, "L1"), "Maria", conversation("um"), "conversation", SENT_AT));
        t.send(upsert(lidKey(CUSTOMER_JID, LID, "L2"), "Maria", conversation("dois"), "conversation",
                SENT_AT + 1));
        t.send(upsert(lidKey(CUSTOMER_JID, null, "L3"), "Maria", conversation("três"), "conversation",
                SENT_AT + 2));

        List<Conversa> states = t.conversas.readValuesToList();
        assertThat(states).extracting(Conversa::conversaId).containsOnly(conversaId(LID));
        Conversa last = states.get(states.size() - 1);
        assertThat(last.remoteJid()).isEqualTo(LID);
        assertThat(last.remoteJidAlt()).isEqualTo(CUSTOMER_JID);
        assertThat(last.unreadCount()).isEqualTo(3);
        assertThat(t.mensagens.readValuesToList()).extracting(Mensagem::senderJid)
                .containsExactly(LID, CUSTOMER_JID, CUSTOMER_JID);
    }

    @Test
    void shouldReadFoldedExtendedTextWithReplyContext() {
        t.send(envelope("messages.upsert", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "R1")
                + ",\"pushName\":\"Maria\",\"message\":{\"conversation\":\"sim, esse\"},\"contextInfo\":"
                + "{\"stanzaId\":\"3A5F\",\"participant\":\"" + CUSTOMER_JID + "\",\"quotedMessage\":"
                + "{\"conversation\":\"qual?\"}},\"messageType\":\"conversation\",\"messageTimestamp\":" + SENT_AT
                + "}"));

        assertThat(t.mensagens.readValue().text()).isEqualTo("sim, esse");
    }

    @Test
    void shouldAttachAReactionToItsMensagemAndReadAWrappedDisappearingMessage() {
        t.send(upsert(key(CUSTOMER_JID, false, "X2"), "Maria", "{\"ephemeralMessage\":{\"message\":"
                + "{\"extendedTextMessage\":{\"text\":\"some em 24h\"}}}}", "ephemeralMessage", SENT_AT));
        t.send(upsert(key(CUSTOMER_JID, false, "X1"), "Maria", "{\"reactionMessage\":{\"key\":"
                + key(CUSTOMER_JID, false, "X2") + ",\"text\":\"👍\"}}", "reactionMessage", SENT_AT + 1));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::text).containsExactly("some em 24h", "some em 24h");
        assertThat(versions.get(1).reactions()).extracting(r -> r.emoji()).containsExactly("👍");
    }

    @Test
    void shouldIgnoreReceiptsOfStatusBroadcast() {
        t.send(Webhooks.receipt("status@broadcast", "ST1", true, "READ"));

        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.STATUS_BROADCAST);
    }
}
