package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.OWN_JID;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

class ConversaTopologyTest {

    private static final String EMPRESA = TopologyFixture.EMPRESA;
    private static final Instant START = TopologyFixture.START;

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private List<WebhookOutcome> outcomes;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> webhooks;
    private TestOutputTopic<String, Conversa> conversas;
    private TestOutputTopic<String, Mensagem> mensagens;
    private TestOutputTopic<String, RealtimeEvent> events;
    private TestOutputTopic<String, byte[]> dlq;
    private Instant recordTime = START;

    @BeforeEach
    void startDriver() {
        useFixture(new TopologyFixture(stateDir.resolve("first")));
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    private void useFixture(TopologyFixture created) {
        fixture = created;
        outcomes = created.outcomes;
        driver = created.driver;
        webhooks = created.webhooks;
        conversas = created.conversas;
        mensagens = created.mensagens;
        events = created.events;
        dlq = created.dlq;
    }

    private void send(byte[] webhook) {
        send(EMPRESA, webhook);
    }

    private void send(String empresaId, byte[] webhook) {
        recordTime = recordTime.plusSeconds(1);
        webhooks.pipeInput(new TestRecord<>(empresaId, webhook, recordTime));
    }

    private void assertNoOutput() {
        assertThat(conversas.isEmpty()).isTrue();
        assertThat(mensagens.isEmpty()).isTrue();
        assertThat(events.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
    }

    private static String expectedConversaId(String customerJid) {
        return UUID.nameUUIDFromBytes((EMPRESA + "|" + INSTANCE + "|" + customerJid)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void shouldOpenConversaAndEmitBothEventsWhenCustomerWritesFirstTime() {
        send(customerText("3A5F0B6C1D2E3F405162", "Oi, vocês entregam hoje?"));

        String conversaId = expectedConversaId(CUSTOMER_JID);
        TestRecord<String, Conversa> conversaRecord = conversas.readRecord();
        assertThat(conversaRecord.key()).isEqualTo(conversaId);
        Conversa conversa = conversaRecord.value();
        assertThat(conversa.conversaId()).isEqualTo(conversaId);
        assertThat(conversa.empresaId()).isEqualTo(EMPRESA);
        assertThat(conversa.instance()).isEqualTo(INSTANCE);
        assertThat(conversa.remoteJid()).isEqualTo(CUSTOMER_JID);
        assertThat(conversa.contactName()).isEqualTo("Maria Silva");
        assertThat(conversa.status()).isEqualTo(ConversaStatus.AGUARDANDO);
        assertThat(conversa.atendenteId()).isNull();
        assertThat(conversa.unreadCount()).isEqualTo(1);
        assertThat(conversa.lastMensagemPreview()).isEqualTo("Oi, vocês entregam hoje?");
        assertThat(conversa.lastMensagemAt()).isEqualTo(Instant.ofEpochSecond(SENT_AT));
        assertThat(conversa.version()).isEqualTo(1);
        assertThat(conversa.createdAt()).isEqualTo(recordTime);
        assertThat(conversa.updatedAt()).isEqualTo(recordTime);

        TestRecord<String, Mensagem> mensagemRecord = mensagens.readRecord();
        assertThat(mensagemRecord.key()).isEqualTo(conversaId);
        Mensagem mensagem = mensagemRecord.value();
        assertThat(mensagem.mensagemId())
                .isEqualTo(DeterministicIds.mensagemId(EMPRESA, INSTANCE, "3A5F0B6C1D2E3F405162", false));
        assertThat(mensagem.conversaId()).isEqualTo(conversaId);
        assertThat(mensagem.keyId()).isEqualTo("3A5F0B6C1D2E3F405162");
        assertThat(mensagem.fromMe()).isFalse();
        assertThat(mensagem.senderJid()).isEqualTo(CUSTOMER_JID);
        assertThat(mensagem.senderName()).isEqualTo("Maria Silva");
        assertThat(mensagem.messageType()).isEqualTo("conversation");
        assertThat(mensagem.text()).isEqualTo("Oi, vocês entregam hoje?");
        assertThat(mensagem.status()).isEqualTo(MensagemStatus.DELIVERY_ACK);
        assertThat(mensagem.sentAt()).isEqualTo(Instant.ofEpochSecond(SENT_AT));
        assertThat(mensagem.receivedAt()).isEqualTo(recordTime);

        List<TestRecord<String, RealtimeEvent>> emitted = events.readRecordsToList();
        assertThat(emitted).hasSize(2);
        assertThat(emitted).allSatisfy(record -> assertThat(record.key()).isEqualTo(EMPRESA));
        RealtimeEvent notification = emitted.get(0).value();
        assertThat(notification.type()).isEqualTo(EventType.MESSAGE_NOTIFICATION);
        assertThat(notification.id()).isEqualTo(mensagem.mensagemId() + ":message_notification");
        assertThat(notification.empresaId()).isEqualTo(EMPRESA);
        assertThat(notification.channels()).containsExactly("empresa:" + EMPRESA, "conversa:" + conversaId);
        assertThat(notification.ts()).isEqualTo(recordTime);
        assertThat(notification.data().path("conversa").path("conversaId").stringValue()).isEqualTo(conversaId);
        assertThat(notification.data().path("conversa").path("unreadCount").intValue()).isEqualTo(1);
        assertThat(notification.data().path("mensagem").path("mensagemId").stringValue())
                .isEqualTo(mensagem.mensagemId());
        RealtimeEvent updated = emitted.get(1).value();
        assertThat(updated.type()).isEqualTo(EventType.CONVERSATION_UPDATED);
        assertThat(updated.id()).isEqualTo(mensagem.mensagemId() + ":conversation_updated");
        assertThat(updated.channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(updated.data().path("conversa").path("status").stringValue()).isEqualTo("aguardando");
        assertThat(updated.data().has("mensagem")).isFalse();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(outcomes).containsExactly(WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldCountUnreadAndBumpVersionWhenSecondMessageArrives() {
        send(customerText("K1", "Oi"));
        send(upsert(key(CUSTOMER_JID, false, "K2"), "Maria Silva", conversation("Tem entrega?"), "conversation",
                SENT_AT + 5));

        List<Conversa> written = conversas.readValuesToList();
        assertThat(written).hasSize(2);
        Conversa second = written.get(1);
        assertThat(second.conversaId()).isEqualTo(written.get(0).conversaId());
        assertThat(second.unreadCount()).isEqualTo(2);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.lastMensagemPreview()).isEqualTo("Tem entrega?");
        assertThat(second.lastMensagemAt()).isEqualTo(Instant.ofEpochSecond(SENT_AT + 5));
        assertThat(second.createdAt()).isEqualTo(written.get(0).createdAt());
        assertThat(second.updatedAt()).isEqualTo(recordTime);
        assertThat(mensagens.readValuesToList()).extracting(Mensagem::keyId).containsExactly("K1", "K2");
        assertThat(events.readValuesToList()).extracting(RealtimeEvent::type).containsExactly(
                EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED,
                EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED);
    }

    @Test
    void shouldDropDuplicateWhenSameKeyIdArrivesTwice() {
        send(customerText("K1", "Oi"));
        conversas.readRecordsToList();
        mensagens.readRecordsToList();
        events.readRecordsToList();

        send(customerText("K1", "Oi"));

        assertNoOutput();
        assertThat(outcomes).containsExactly(WebhookOutcome.PROCESSED, WebhookOutcome.DUPLICATE);
    }

    @Test
    void shouldTreatSameKeyIdFromTheOtherSideAsNewMensagem() {
        send(customerText("K1", "Oi"));
        send(upsert(key(CUSTOMER_JID, true, "K1"), "Loja", conversation("Olá!"), "conversation", SENT_AT + 1));

        List<Mensagem> written = mensagens.readValuesToList();
        assertThat(written).hasSize(2);
        assertThat(written.get(1).fromMe()).isTrue();
        assertThat(written.get(1).mensagemId()).isNotEqualTo(written.get(0).mensagemId());
        assertThat(written.get(1).senderJid()).isEqualTo(OWN_JID);
        List<Conversa> states = conversas.readValuesToList();
        assertThat(states).hasSize(2);
        assertThat(states.get(1).unreadCount()).isEqualTo(1);
        assertThat(states.get(1).contactName()).isEqualTo("Maria Silva");
        assertThat(states.get(1).lastMensagemPreview()).isEqualTo("Olá!");
    }

    @Test
    void shouldAcceptRedeliveryAgainOnceDedupeWindowPassed() {
        send(customerText("K1", "Oi"));
        mensagens.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofDays(7).plusMinutes(10));
        KeyValueStore<String, Long> seen = driver.getKeyValueStore(ConversaTopology.DEDUPE_STORE);
        assertThat(seen.get(EMPRESA + "|" + INSTANCE + "|K1|false")).isNull();
        send(customerText("K1", "Oi"));

        assertThat(mensagens.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldIgnoreStatusBroadcast() {
        send(upsert(key("status@broadcast", false, "S1"), "Maria Silva", conversation("minha story"),
                "conversation", SENT_AT));

        assertNoOutput();
        assertThat(outcomes).containsExactly(WebhookOutcome.STATUS_BROADCAST);
    }

    @Test
    void shouldCountAndIgnoreEventsItDoesNotHandle() {
        send(envelope("chats.update", INSTANCE, "[{\"remoteJid\":\"" + CUSTOMER_JID + "\"}]"));
        send(envelope("logout.instance", INSTANCE, "null"));
        send(envelope("some.future.event", INSTANCE, "{}"));

        assertNoOutput();
        assertThat(outcomes).containsOnly(WebhookOutcome.IGNORED_EVENT).hasSize(3);
    }

    @Test
    void shouldSendMalformedJsonToDlqWithReasonAndKeepProcessing() {
        byte[] garbage = "{\"event\":\"messages.upsert\",".getBytes(StandardCharsets.UTF_8);
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        RecordHeaders.put(headers, RecordHeaders.CORRELATION_ID, "req-42");
        webhooks.pipeInput(new TestRecord<>(EMPRESA, garbage, headers, recordTime));
        send(customerText("K1", "Oi"));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(EMPRESA);
        assertThat(dead.value()).isEqualTo(garbage);
        Headers deadHeaders = dead.headers();
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.CORRELATION_ID)).isEqualTo("req-42");
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.ERROR_EXCEPTION))
                .isEqualTo(InvalidWebhookException.class.getName());
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.ERROR_MESSAGE)).startsWith("not a webhook JSON");
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.WEBHOOKS.name());
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(RecordHeaders.get(deadHeaders, RecordHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(Instant.parse(RecordHeaders.get(deadHeaders, RecordHeaders.FAILED_AT))).isEqualTo(START);
        assertThat(dlq.isEmpty()).isTrue();

        assertThat(mensagens.readValuesToList()).extracting(Mensagem::keyId).containsExactly("K1");
        assertThat(outcomes).containsExactly(WebhookOutcome.DEAD_LETTERED, WebhookOutcome.PROCESSED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no key.id      | loja-01 | {\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":false} | 1761057639 "
                    + "| messages.upsert has no data.key.id",
            "no remoteJid   | loja-01 | {\"fromMe\":false,\"id\":\"K9\"} | 1761057639 "
                    + "| messages.upsert has no data.key.remoteJid",
            "no instance    |         | {\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"id\":\"K9\"} | 1761057639 "
                    + "| webhook has no instance",
            "id with NUL    | loja-01 | {\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"id\":\"K\\u00009\"} | 1761057639 "
                    + "| data.key.id is not an id: longer than 256 characters, or with control characters"})
    void shouldSendUpsertLackingRequiredFieldsToDlqAndKeepProcessing(String name, String instance, String key,
                                                                     String timestamp, String reason) {
        send(upsert(instance, key, "Maria", conversation("Oi"), "conversation", timestamp, null));
        send(customerText("K1", "Oi"));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE)).isEqualTo(reason);
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(mensagens.readValuesToList()).extracting(Mensagem::keyId).containsExactly("K1");
    }

    @Test
    void shouldSendRecordWithoutEmpresaKeyToDlq() {
        send(null, customerText("K1", "Oi"));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE))
                .isEqualTo("record has no empresaId key");
        assertThat(mensagens.isEmpty()).isTrue();
    }

    @Test
    void shouldSendRecordFailingMidwayToDlqWithoutPartialOutput() {
        // a colon cannot be part of a channel name, so building the events fails after the mensagem was built
        send("emp:broken", customerText("K1", "Oi"));
        send(customerText("K1", "Oi"));

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("emp:broken");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_EXCEPTION))
                .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(conversas.readValuesToList()).extracting(Conversa::empresaId).containsExactly(EMPRESA);
        assertThat(mensagens.readValuesToList()).extracting(Mensagem::empresaId).containsExactly(EMPRESA);
        assertThat(outcomes).containsExactly(WebhookOutcome.DEAD_LETTERED, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldReadTextOfExtendedTextMessage() {
        send(upsert(key(CUSTOMER_JID, false, "K1"), "Maria Silva",
                "{\"extendedTextMessage\":{\"text\":\"respondendo aqui\",\"contextInfo\":{}}}",
                "extendedTextMessage", SENT_AT));

        Mensagem mensagem = mensagens.readValue();
        assertThat(mensagem.text()).isEqualTo("respondendo aqui");
        assertThat(mensagem.messageType()).isEqualTo("extendedTextMessage");
        assertThat(conversas.readValue().lastMensagemPreview()).isEqualTo("respondendo aqui");
    }

    @Test
    void shouldReadCaptionOfImageAndPreviewMediaWithoutCaption() {
        send(upsert(key(CUSTOMER_JID, false, "K1"), "Maria Silva",
                "{\"imageMessage\":{\"url\":\"https://mmg.whatsapp.net/x\",\"mimetype\":\"image/jpeg\","
                        + "\"caption\":\"foto do pedido\"}}",
                "imageMessage", SENT_AT));
        send(upsert(key(CUSTOMER_JID, false, "K2"), "Maria Silva",
                "{\"audioMessage\":{\"url\":\"https://mmg.whatsapp.net/y\",\"seconds\":4}}",
                "audioMessage", SENT_AT + 1));

        List<Mensagem> written = mensagens.readValuesToList();
        assertThat(written.get(0).text()).isEqualTo("foto do pedido");
        assertThat(written.get(0).messageType()).isEqualTo("imageMessage");
        assertThat(written.get(1).text()).isNull();
        assertThat(conversas.readValuesToList()).extracting(Conversa::lastMensagemPreview)
                .containsExactly("foto do pedido", "[audioMessage]");
    }

    @Test
    void shouldTakeSenderOfGroupMessageFromParticipant() {
        String group = "120363025246125486@g.us";
        send(upsert("{\"remoteJid\":\"" + group + "\",\"fromMe\":false,\"id\":\"G1\","
                + "\"participant\":\"5511977776666@s.whatsapp.net\"}", "João", conversation("bom dia grupo"),
                "conversation", SENT_AT));

        Mensagem mensagem = mensagens.readValue();
        assertThat(mensagem.senderJid()).isEqualTo("5511977776666@s.whatsapp.net");
        assertThat(mensagem.senderName()).isEqualTo("João");
        Conversa conversa = conversas.readValue();
        assertThat(conversa.conversaId()).isEqualTo(expectedConversaId(group));
        assertThat(conversa.remoteJid()).isEqualTo(group);
        assertThat(conversa.contactName()).isNull();
    }

    @Test
    void shouldKeepOneConversaWhetherPhoneOrLidComesFirst() {
        String lid = "123456789012345@lid";
        send(upsert("{\"remoteJid\":\"" + lid + "\",\"remoteJidAlt\":\"" + CUSTOMER_JID + "\","
                + "\"fromMe\":false,\"id\":\"L1\",\"addressingMode\":\"lid\"}", "Maria", conversation("um"),
                "conversation", SENT_AT));
        send(upsert("{\"remoteJid\":\"" + CUSTOMER_JID + "\",\"remoteJidAlt\":\"" + lid + "\","
                + "\"fromMe\":false,\"id\":\"L2\",\"addressingMode\":\"pn\"}", "Maria", conversation("dois"),
                "conversation", SENT_AT + 1));

        List<Conversa> states = conversas.readValuesToList();
        assertThat(states).extracting(Conversa::conversaId).containsOnly(expectedConversaId(CUSTOMER_JID));
        assertThat(states.get(1).remoteJid()).isEqualTo(CUSTOMER_JID);
        assertThat(states.get(1).remoteJidAlt()).isEqualTo(lid);
        assertThat(states.get(1).unreadCount()).isEqualTo(2);
    }

    @Test
    void shouldPublishNotificationOnAtendenteChannelWhenConversaIsAssigned() {
        String conversaId = expectedConversaId(CUSTOMER_JID);
        KeyValueStore<String, Conversa> store = driver.getKeyValueStore(ConversaTopology.CONVERSA_STORE);
        store.put(EMPRESA + "|" + INSTANCE + "|" + CUSTOMER_JID, new Conversa(conversaId, EMPRESA, INSTANCE,
                CUSTOMER_JID, null, "Maria Silva", ConversaStatus.EM_ATENDIMENTO, "ana", 0, "Oi",
                Instant.ofEpochSecond(SENT_AT - 60), 3, START, START));

        send(customerText("K1", "Oi de novo"));

        RealtimeEvent notification = events.readValue();
        assertThat(notification.channels())
                .containsExactly("empresa:" + EMPRESA, "conversa:" + conversaId, "atendente:ana");
        Conversa conversa = conversas.readValue();
        assertThat(conversa.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(conversa.atendenteId()).isEqualTo("ana");
        assertThat(conversa.version()).isEqualTo(4);
    }

    @Test
    void shouldReopenEncerradaConversaWhenCustomerWritesAgain() {
        KeyValueStore<String, Conversa> store = driver.getKeyValueStore(ConversaTopology.CONVERSA_STORE);
        store.put(EMPRESA + "|" + INSTANCE + "|" + CUSTOMER_JID, new Conversa(expectedConversaId(CUSTOMER_JID),
                EMPRESA, INSTANCE, CUSTOMER_JID, null, "Maria Silva", ConversaStatus.ENCERRADA, "ana", 0, "Tchau",
                Instant.ofEpochSecond(SENT_AT - 60), 7, START, START));

        send(customerText("K1", "Voltei"));

        Conversa conversa = conversas.readValue();
        assertThat(conversa.status()).isEqualTo(ConversaStatus.AGUARDANDO);
        assertThat(conversa.atendenteId()).isNull();
        assertThat(conversa.version()).isEqualTo(8);
        assertThat(events.readValue().channels()).doesNotContain("atendente:ana");
    }

    @Test
    void shouldTakeStatusOfCompanyMessageFromWebhookOrAssumeServerAck() {
        send(upsert(INSTANCE, key(CUSTOMER_JID, true, "M1"), "Loja", conversation("a"), "conversation", SENT_AT,
                "PENDING"));
        send(upsert(INSTANCE, key(CUSTOMER_JID, true, "M2"), "Loja", conversation("b"), "conversation", SENT_AT,
                "SOMETHING_NEW"));
        send(upsert(INSTANCE, key(CUSTOMER_JID, false, "M3"), "Maria", conversation("c"), "conversation", SENT_AT,
                "READ"));

        assertThat(mensagens.readValuesToList()).extracting(Mensagem::status).containsExactly(
                MensagemStatus.PENDING, MensagemStatus.SERVER_ACK, MensagemStatus.DELIVERY_ACK);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not a number      | \"yesterday\"",
            "beyond PostgreSQL | 9300000000000",
            "beyond a long     | 123456789012345678901234567890",
            "before WhatsApp   | 946684800",
            "a day ahead       | 1761144100",
            "wrong type        | [1761057639]"})
    void shouldReplaceInsaneTimestampByTimeReceivedAndFlagIt(String name, String timestamp) {
        send(("{\"event\":\"messages.upsert\",\"instance\":\"" + INSTANCE + "\",\"data\":{\"key\":"
                + key(CUSTOMER_JID, false, "K1") + ",\"pushName\":\"Maria\",\"message\":{\"conversation\":\"Oi\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + timestamp + "}}")
                .getBytes(StandardCharsets.UTF_8));

        Mensagem mensagem = mensagens.readValue();
        assertThat(mensagem.sentAt()).isEqualTo(mensagem.receivedAt()).isEqualTo(recordTime);
        assertThat(mensagem.sanitized()).containsExactly(Mensagem.SENT_AT);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldReadTimestampGivenAsString() {
        send(upsert(key(CUSTOMER_JID, false, "K1"), "Maria", conversation("Oi"), "conversation", "1761057700"));

        assertThat(mensagens.readValue().sentAt()).isEqualTo(Instant.ofEpochSecond(1761057700L));
    }

    @Test
    void shouldGiveSameIdsWhenSameWebhooksAreReplayedFromScratch() {
        send(customerText("K1", "Oi"));
        send(upsert(key(CUSTOMER_JID, true, "K2"), "Loja", conversation("Olá"), "conversation", SENT_AT + 2));
        List<Mensagem> first = mensagens.readValuesToList();
        List<Conversa> firstConversas = conversas.readValuesToList();
        List<RealtimeEvent> firstEvents = events.readValuesToList();
        fixture.close();

        useFixture(new TopologyFixture(stateDir.resolve("replay")));
        recordTime = START;
        send(customerText("K1", "Oi"));
        send(upsert(key(CUSTOMER_JID, true, "K2"), "Loja", conversation("Olá"), "conversation", SENT_AT + 2));

        assertThat(mensagens.readValuesToList()).isEqualTo(first);
        assertThat(conversas.readValuesToList()).isEqualTo(firstConversas);
        assertThat(events.readValuesToList()).extracting(RealtimeEvent::id)
                .isEqualTo(firstEvents.stream().map(RealtimeEvent::id).toList());
        assertThat(first.get(0).mensagemId()).isEqualTo(UUID.nameUUIDFromBytes(
                (EMPRESA + "|" + INSTANCE + "|K1|false").getBytes(StandardCharsets.UTF_8)).toString());
    }
}
