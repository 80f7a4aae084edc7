package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.TopologyFixture.START;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static dev.chatcentral.processor.topology.Webhooks.sendMessage;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.processor.retry.RetryLaterException;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.processor.webhook.InvalidWebhookException;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/** Receipts: status forward only, dedupe, parking, retries through the retry topic, the DLQ, per-conversa order. */
class ReceiptTopologyTest {

    private static final String OTHER_JID = "5511977776666@s.whatsapp.net";

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

    private static String mensagemId(String keyId, boolean fromMe) {
        return DeterministicIds.mensagemId(EMPRESA, INSTANCE, keyId, fromMe);
    }

    private KeyValueStore<String, ParkedRecord> parking() {
        return t.driver.getKeyValueStore(ConversaTopology.PARKING_STORE);
    }

    private long parkedCount() {
        long count = 0;
        try (var all = parking().all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private List<RealtimeEvent> statusEvents() {
        return t.events.readValuesToList().stream()
                .filter(e -> e.type().equals(EventType.MESSAGE_STATUS)).toList();
    }

    @Test
    void shouldMoveStatusForwardAndPublishMessageStatusOnEveryChannelOfTheConversa() {
        t.send(sendMessage("S1", "Sim! Entregamos até 18h."));
        KeyValueStore<String, Conversa> store = t.driver.getKeyValueStore(ConversaTopology.CONVERSA_STORE);
        String storeKey = EMPRESA + "|" + INSTANCE + "|" + CUSTOMER_JID;
        Conversa opened = store.get(storeKey);
        store.put(storeKey, new Conversa(opened.conversaId(), EMPRESA, INSTANCE, CUSTOMER_JID, null, null,
                ConversaStatus.EM_ATENDIMENTO, "ana", 0, "x", opened.lastMensagemAt(), 2, START, START));
        assertThat(t.mensagens.readValue().status()).isEqualTo(MensagemStatus.PENDING);
        t.drainOutputs();

        t.send(receipt("S1", true, "SERVER_ACK"));

        Mensagem updated = t.mensagens.readValue();
        assertThat(updated.mensagemId()).isEqualTo(mensagemId("S1", true));
        assertThat(updated.status()).isEqualTo(MensagemStatus.SERVER_ACK);
        assertThat(updated.text()).isEqualTo("Sim! Entregamos até 18h.");
        RealtimeEvent status = t.events.readValue();
        assertThat(status.type()).isEqualTo(EventType.MESSAGE_STATUS);
        assertThat(status.id()).isEqualTo(mensagemId("S1", true) + "@SERVER_ACK:message_status");
        assertThat(status.channels()).containsExactly("empresa:" + EMPRESA, "conversa:" + conversaId(CUSTOMER_JID),
                "atendente:ana");
        assertThat(status.data().path("status").stringValue()).isEqualTo("SERVER_ACK");
        assertThat(status.data().path("previousStatus").stringValue()).isEqualTo("PENDING");
        assertThat(status.data().path("keyId").stringValue()).isEqualTo("S1");
        assertThat(status.data().path("mensagemId").stringValue()).isEqualTo(mensagemId("S1", true));
        assertThat(status.data().path("conversaId").stringValue()).isEqualTo(conversaId(CUSTOMER_JID));
        assertThat(t.conversas.isEmpty()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PROCESSED, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldNeverMoveStatusBackwardNorFailAMensagemThatWasDelivered() {
        t.send(sendMessage("S1", "a"));
        t.send(receipt("S1", true, "READ"));
        t.send(receipt("S1", true, "DELIVERY_ACK"));
        t.send(receipt("S1", true, "ERROR"));
        t.send(receipt("S1", true, "PLAYED"));

        assertThat(t.mensagens.readValuesToList()).extracting(Mensagem::status)
                .containsExactly(MensagemStatus.PENDING, MensagemStatus.READ, MensagemStatus.PLAYED);
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PROCESSED, WebhookOutcome.PROCESSED,
                WebhookOutcome.STALE_STATUS, WebhookOutcome.STALE_STATUS, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldMoveAFailedMensagemOnWhenWhatsAppLaterSaysItWasDelivered() {
        t.send(sendMessage("S1", "a"));
        t.send(receipt("S1", true, "ERROR"));
        t.send(receipt("S1", true, "DELIVERY_ACK"));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::status)
                .containsExactly(MensagemStatus.PENDING, MensagemStatus.ERROR, MensagemStatus.DELIVERY_ACK);
        assertThat(versions).extracting(Mensagem::revision).containsExactly(0L, 1L, 2L);
        assertThat(versions.get(1).statusReason()).isEqualTo("whatsapp_error");
        assertThat(versions.get(2).statusReason()).isNull();
    }

    @Test
    void shouldDropDuplicateReceiptWhenSameKeyIdAndStatusArriveTwice() {
        t.send(sendMessage("S1", "a"));
        t.send(receipt("S1", true, "DELIVERY_ACK"));
        t.drainOutputs();

        t.send(receipt("S1", true, "DELIVERY_ACK"));

        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).endsWith(WebhookOutcome.DUPLICATE);
    }

    @Test
    void shouldReadNumericStatusAndReceiptWithoutFromMe() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        t.send(envelope("messages.update", INSTANCE, "{\"keyId\":\"C1\",\"remoteJid\":\"" + CUSTOMER_JID
                + "\",\"status\":4}"));

        Mensagem read = t.mensagens.readValue();
        assertThat(read.fromMe()).isFalse();
        assertThat(read.status()).isEqualTo(MensagemStatus.READ);
    }

    @Test
    void shouldSendReceiptWithoutKeyIdOrKnownStatusToDlqAtOnce() {
        t.send(envelope("messages.update", INSTANCE, "{\"remoteJid\":\"" + CUSTOMER_JID + "\",\"status\":\"READ\"}"));
        t.send(envelope("messages.update", INSTANCE, "{\"keyId\":\"K\",\"remoteJid\":\"" + CUSTOMER_JID
                + "\",\"status\":\"SEEN_BY_ALIENS\"}"));

        assertThat(t.dlq.readRecordsToList()).extracting(r -> RecordHeaders.get(r.headers(), RecordHeaders.ERROR_MESSAGE))
                .containsExactly("messages.update has no data.keyId",
                        "messages.update has no known data.status: \"SEEN_BY_ALIENS\"");
        assertThat(parkedCount()).isZero();
    }

    @Test
    void shouldSendReceiptWithNumericStatusBeyondAnIntToDlqAsInvalid() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        t.send(envelope("messages.update", INSTANCE, "{\"keyId\":\"C1\",\"remoteJid\":\"" + CUSTOMER_JID
                + "\",\"status\":2147483648}"));

        // a webhook that is wrong, not a failure of ours (processing_failed)
        assertThat(t.dlq.readRecordsToList())
                .extracting(r -> RecordHeaders.get(r.headers(), RecordHeaders.ERROR_REASON) + ": "
                        + RecordHeaders.get(r.headers(), RecordHeaders.ERROR_MESSAGE))
                .containsExactly("invalid: messages.update has no known data.status: 2147483648");
        assertThat(t.mensagens.isEmpty()).isTrue();
    }

    @Test
    void shouldTreatSendMessageAsTheCompanysPendingMensagemAndItsUpsertAsDuplicate() {
        t.send(sendMessage("S1", "Sim!"));
        t.send(upsert(INSTANCE, key(CUSTOMER_JID, true, "S1"), "Loja", conversation("Sim!"), "conversation",
                SENT_AT + 60, "SERVER_ACK"));

        List<Mensagem> written = t.mensagens.readValuesToList();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).fromMe()).isTrue();
        assertThat(written.get(0).status()).isEqualTo(MensagemStatus.PENDING);
        assertThat(written.get(0).keyId()).isEqualTo("S1");
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PROCESSED, WebhookOutcome.DUPLICATE);
    }

    @Test
    void shouldParkReceiptThatOvertakesItsMensagemAndApplyItRightAfterTheMensagem() {
        t.send(receipt("S1", true, "DELIVERY_ACK"));
        t.send(receipt("S1", true, "READ"));

        assertThat(t.noOutput()).isTrue();
        assertThat(parkedCount()).isEqualTo(2);
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PARKED, WebhookOutcome.PARKED);

        t.send(sendMessage("S1", "Sim!"));

        assertThat(t.events.readValuesToList()).extracting(RealtimeEvent::type).containsExactly(
                EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED,
                EventType.MESSAGE_STATUS, EventType.MESSAGE_STATUS);
        assertThat(t.mensagens.readValuesToList()).extracting(Mensagem::status).containsExactly(
                MensagemStatus.PENDING, MensagemStatus.DELIVERY_ACK, MensagemStatus.READ);
        assertThat(parkedCount()).isZero();
        t.drainOutputs();

        t.advanceInSteps(Duration.ofSeconds(30));
        assertThat(t.noOutput()).isTrue();
    }

    @Test
    void shouldReleaseParkedReceiptToRetryTopicOnlyWhenDueAndSucceedOnRetry() {
        // the receipt names the customer's LID only and waits in that queue; the mensagem then comes under the
        // phone JID alone, so it releases nothing and only the retry finds it
        t.send(receipt("123456789@lid", "C1", false, "READ"));
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();
        assertThat(parkedCount()).isEqualTo(1);

        t.advance(Duration.ofMillis(1500));
        assertThat(t.retries.isEmpty()).isTrue();

        t.advance(Duration.ofMillis(500));

        TestRecord<String, byte[]> retried = t.retries.readRecord();
        assertThat(retried.key()).isEqualTo(EMPRESA);
        assertThat(RecordHeaders.get(retried.headers(), RetryHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(Instant.parse(RecordHeaders.get(retried.headers(), RetryHeaders.DUE_AT)))
                .isEqualTo(START.plusSeconds(2));
        assertThat(RecordHeaders.get(retried.headers(), RecordHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(RecordHeaders.get(retried.headers(), RetryHeaders.PARKING_KEY))
                .isEqualTo(EMPRESA + "|" + INSTANCE + "|123456789@lid|0000000000000000000");
        assertThat(t.mensagens.readValue().status()).isEqualTo(MensagemStatus.READ);
        assertThat(statusEvents()).hasSize(1);
        assertThat(parkedCount()).isZero();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PARKED, WebhookOutcome.PROCESSED,
                WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldRetryWithExponentialBackoffThenDeadLetterWithErrorHeaders() {
        t.send(receipt("GHOST", true, "READ"));

        t.advance(Duration.ofSeconds(2));
        assertThat(t.retries.readRecordsToList()).hasSize(1);
        t.advance(Duration.ofMillis(3500));
        assertThat(t.retries.isEmpty()).isTrue();
        t.advance(Duration.ofMillis(500));
        assertThat(t.retries.readRecordsToList()).extracting(r -> RecordHeaders.get(r.headers(), RetryHeaders.ATTEMPT))
                .containsExactly("2");
        t.advance(Duration.ofSeconds(8));
        assertThat(t.retries.readRecordsToList()).extracting(r -> RecordHeaders.get(r.headers(), RetryHeaders.ATTEMPT))
                .containsExactly("3");
        assertThat(t.dlq.isEmpty()).isFalse();

        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(dead.key()).isEqualTo(EMPRESA);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("\"keyId\":\"GHOST\"");
        Headers headers = dead.headers();
        assertThat(RecordHeaders.get(headers, RecordHeaders.ERROR_EXCEPTION))
                .isEqualTo(RetryLaterException.class.getName());
        assertThat(RecordHeaders.get(headers, RecordHeaders.ERROR_MESSAGE))
                .isEqualTo("receipt READ for mensagem GHOST of instance loja-01 that has not arrived yet");
        assertThat(RecordHeaders.get(headers, RecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.WEBHOOKS.name());
        assertThat(RecordHeaders.get(headers, RecordHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(RecordHeaders.get(headers, RecordHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(RecordHeaders.get(headers, RetryHeaders.ATTEMPTS)).isEqualTo("4");
        assertThat(Instant.parse(RecordHeaders.get(headers, RetryHeaders.FIRST_FAILED_AT))).isEqualTo(START);
        assertThat(Instant.parse(RecordHeaders.get(headers, RecordHeaders.FAILED_AT)))
                .isEqualTo(START.plusSeconds(14));
        assertThat(headers.lastHeader(RetryHeaders.PARKING_KEY)).isNull();
        assertThat(parkedCount()).isZero();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PARKED, WebhookOutcome.RETRY_PARKED,
                WebhookOutcome.RETRY_PARKED, WebhookOutcome.DEAD_LETTERED);

        // given up: the dedupe forgot it, so a redrive of the same receipt is taken again
        t.send(receipt("GHOST", true, "READ"));
        assertThat(t.outcomes).endsWith(WebhookOutcome.PARKED);
    }

    @Test
    void shouldKeepOneConversasReceiptsInOrderBehindAParkedOneWhileOtherConversasProceed() {
        t.send(customerText("C1", "Oi"));
        t.send(upsert(key(OTHER_JID, false, "O1"), "João", conversation("Olá"), "conversation", SENT_AT));
        t.drainOutputs();

        t.send(receipt("S1", true, "READ"));
        t.send(receipt("C1", false, "READ"));
        t.send(receipt(OTHER_JID, "O1", false, "READ"));

        List<RealtimeEvent> other = statusEvents();
        assertThat(other).hasSize(1);
        assertThat(other.get(0).data().path("conversaId").stringValue()).isEqualTo(conversaId(OTHER_JID));
        assertThat(t.outcomes).endsWith(WebhookOutcome.PARKED, WebhookOutcome.PARKED, WebhookOutcome.PROCESSED);

        t.send(sendMessage("S1", "Sim!"));

        List<RealtimeEvent> events = t.events.readValuesToList();
        assertThat(events).extracting(RealtimeEvent::type).containsExactly(EventType.MESSAGE_NOTIFICATION,
                EventType.CONVERSATION_UPDATED, EventType.MESSAGE_STATUS, EventType.MESSAGE_STATUS);
        assertThat(events.subList(2, 4)).extracting(e -> e.data().path("keyId").stringValue())
                .containsExactly("S1", "C1");
        assertThat(parkedCount()).isZero();
    }

    @Test
    void shouldLetWaitingReceiptsGoOnceTheParkedHeadIsGivenUp() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();
        t.send(receipt("GHOST", true, "READ"));
        t.send(receipt("C1", false, "READ"));
        assertThat(t.noOutput()).isTrue();

        t.advanceInSteps(Duration.ofSeconds(14));

        assertThat(t.dlq.readRecordsToList()).hasSize(1);
        assertThat(statusEvents()).extracting(e -> e.data().path("keyId").stringValue()).containsExactly("C1");
        assertThat(parkedCount()).isZero();
    }

    @Test
    void shouldIgnoreRetryOfARecordAlreadyProcessedAndDeadLetterAStrayRetryRecord() {
        TestInputTopic<String, byte[]> retryInput = t.driver.createInputTopic(Topics.WEBHOOKS_RETRY.name(),
                new StringSerializer(), new ByteArraySerializer());
        Headers stale = new org.apache.kafka.common.header.internals.RecordHeaders();
        RecordHeaders.put(stale, RetryHeaders.PARKING_KEY, EMPRESA + "|" + INSTANCE + "|x|0000000000000000007");
        retryInput.pipeInput(new TestRecord<>(EMPRESA, receipt("S1", true, "READ"), stale, START));
        retryInput.pipeInput(new TestRecord<>(EMPRESA, receipt("S1", true, "READ"), START));

        assertThat(t.outcomes).containsExactly(WebhookOutcome.STALE_RETRY, WebhookOutcome.DEAD_LETTERED);
        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE))
                .isEqualTo("retry record has no retry-parking-key header");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ORIGINAL_TOPIC))
                .isEqualTo(Topics.WEBHOOKS_RETRY.name());
    }

    @Test
    void shouldDeadLetterAtFirstFailureWhenNoRetriesAreAllowed() {
        t.close();
        t = new TopologyFixture(stateDir.resolve("no-retries"),
                new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500)), true);

        t.send(receipt("GHOST", true, "READ"));

        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RetryHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(parkedCount()).isZero();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.DEAD_LETTERED);
    }

    @Test
    void shouldDropInsteadOfDeadLetteringWhenDlqIsDisabled() {
        t.close();
        t = new TopologyFixture(stateDir.resolve("no-dlq"), TopologyFixture.RETRY, false);

        t.send("not json".getBytes(StandardCharsets.UTF_8));
        t.send(customerText("C1", "Oi"));

        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.DISCARDED, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldDeadLetterRetryThatHitsAProcessingBugAndKeepGoing() {
        t.send(receipt("123456789@lid", "C1", false, "READ"));
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();
        // the conversa vanishing under its mensagem stands in for a bug met while retrying
        t.driver.<String, Conversa>getKeyValueStore(ConversaTopology.CONVERSA_STORE)
                .delete(EMPRESA + "|" + INSTANCE + "|" + CUSTOMER_JID);

        t.advance(Duration.ofSeconds(2));

        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_EXCEPTION))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(RecordHeaders.get(dead.headers(), RetryHeaders.ATTEMPTS)).isEqualTo("2");
        assertThat(parkedCount()).isZero();
        t.send(customerText("C2", "De novo"));
        assertThat(t.mensagens.readValuesToList()).extracting(Mensagem::keyId).containsExactly("C2");
    }

    @Test
    void shouldForgetIndexedMensagemAfterRetentionSoItsReceiptIsParked() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        t.advance(Duration.ofDays(7).plusMinutes(10));
        t.send(receipt("C1", false, "READ"));

        assertThat(t.mensagens.isEmpty()).isTrue();
        assertThat(t.outcomes).endsWith(WebhookOutcome.PARKED);
    }

    @Test
    void shouldSendInvalidWebhookToDlqWithOneAttempt() {
        t.send(envelope("presence.update", INSTANCE, "{\"presences\":{}}"));

        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_EXCEPTION))
                .isEqualTo(InvalidWebhookException.class.getName());
        assertThat(RecordHeaders.get(dead.headers(), RetryHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(RecordHeaders.get(dead.headers(), RetryHeaders.FIRST_FAILED_AT))
                .isEqualTo(RecordHeaders.get(dead.headers(), RecordHeaders.FAILED_AT));
    }
}
