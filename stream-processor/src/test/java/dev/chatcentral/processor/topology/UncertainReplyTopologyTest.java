package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Atendentes.assign;
import static dev.chatcentral.processor.topology.Atendentes.reply;
import static dev.chatcentral.processor.topology.Atendentes.resend;
import static dev.chatcentral.processor.topology.Atendentes.result;
import static dev.chatcentral.processor.topology.Atendentes.sent;
import static dev.chatcentral.processor.topology.Atendentes.unconfirmed;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static dev.chatcentral.processor.topology.Webhooks.sendMessage;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * Replies whose send may or may not have reached WhatsApp (issue 19): UNCONFIRMED until WhatsApp's own word settles
 * them, never a second mensagem for their echo, never resent meanwhile; an open circuit said with when to try again.
 */
class UncertainReplyTopologyTest {

    private static final String TEXT = "Sim! Entregamos até 18h.";

    @TempDir
    Path stateDir;

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
        t.send(customerText("C1", "Oi, vocês entregam hoje?"));
        t.sessionOpened(TopologyFixture.EMPRESA, Atendentes.ANA, "Ana Souza");
        t.command(assign("a1"));
        t.drainOutputs();
        t.outcomes.clear();
    }

    @AfterEach
    void close() {
        t.close();
    }

    /** The atendente replies; the dispatcher reports that no answer said whether it was sent. */
    private OutboundMessage unconfirmedReply(String commandId, String text) {
        t.command(reply(commandId, text));
        OutboundMessage sending = t.outbound.readValue();
        t.result(unconfirmed(sending));
        return sending;
    }

    private List<Mensagem> mensagens() {
        return t.mensagens.readValuesToList();
    }

    private List<RealtimeEvent> events(String type) {
        return t.events.readValuesToList().stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void shouldLinkTheEchoOfAnUnconfirmedReplyToItInsteadOfMakingASecondMensagem() {
        OutboundMessage sending = unconfirmedReply("r1", TEXT);
        t.send(sendMessage("3EB0ECHO", TEXT));
        t.send(receipt("3EB0ECHO", true, "DELIVERY_ACK"));

        List<Mensagem> versions = mensagens();
        assertThat(versions).extracting(Mensagem::mensagemId).containsOnly(sending.mensagemId());
        assertThat(versions).extracting(Mensagem::status).containsExactly(MensagemStatus.PENDING,
                MensagemStatus.UNCONFIRMED, MensagemStatus.SERVER_ACK, MensagemStatus.DELIVERY_ACK);
        assertThat(versions.get(1).statusReason()).isEqualTo("no_answer");
        assertThat(versions.get(2).keyId()).isEqualTo("3EB0ECHO");
        assertThat(versions.get(2).statusReason()).isNull();
        assertThat(versions).extracting(Mensagem::revision).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldShowUnconfirmedDistinctlyWithItsReason() {
        unconfirmedReply("r1", TEXT);

        RealtimeEvent status = events(EventType.MESSAGE_STATUS).get(0);
        assertThat(status.data().path("status").stringValue()).isEqualTo("UNCONFIRMED");
        assertThat(status.data().path("previousStatus").stringValue()).isEqualTo("PENDING");
        assertThat(status.data().path("reason").stringValue()).isEqualTo("no_answer");
        assertThat(status.data().path("error").stringValue()).contains("did not answer");
    }

    @Test
    void shouldLinkAnEchoThatArrivedBeforeTheResultOnceTheResultSaysUnconfirmedAndApplyItsReceiptsOnce() {
        t.command(reply("r1", TEXT));
        OutboundMessage sending = t.outbound.readValue();
        t.drainOutputs();
        t.send(sendMessage("3EB0EARLY", TEXT));
        t.send(receipt("3EB0EARLY", true, "DELIVERY_ACK"));
        assertThat(t.mensagens.isEmpty()).isTrue();
        t.outcomes.clear();

        t.result(unconfirmed(sending));

        assertThat(mensagens()).extracting(Mensagem::status, Mensagem::keyId).containsExactly(
                tuple(MensagemStatus.UNCONFIRMED, "pending:" + sending.mensagemId()),
                tuple(MensagemStatus.SERVER_ACK, "3EB0EARLY"),
                tuple(MensagemStatus.DELIVERY_ACK, "3EB0EARLY"));
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PROCESSED, WebhookOutcome.PROCESSED);
        try (var parked = t.driver.getKeyValueStore(ConversaTopology.PARKING_STORE).all()) {
            assertThat(parked.hasNext()).isFalse();
        }
    }

    @Test
    void shouldRefuseToResendAnUnconfirmedReply() {
        OutboundMessage sending = unconfirmedReply("r1", TEXT);
        t.drainOutputs();

        t.command(resend("again", sending.mensagemId()));

        assertThat(t.outbound.isEmpty()).isTrue();
        RealtimeEvent rejected = events(EventType.COMMAND_REJECTED).get(0);
        assertThat(rejected.data().path("reason").stringValue()).isEqualTo("unconfirmed");
        assertThat(rejected.data().path("message").stringValue()).contains("may have reached WhatsApp");
    }

    @Test
    void shouldFailAnUnconfirmedReplyWithNoEvidenceInItsWindowThenLetItBeResent() {
        OutboundMessage sending = unconfirmedReply("r1", TEXT);
        t.drainOutputs();

        t.advance(Duration.ofSeconds(30));
        assertThat(t.mensagens.isEmpty()).isTrue();
        t.advance(TopologyFixture.UNCONFIRMED_WINDOW);

        Mensagem failed = t.mensagens.readValue();
        assertThat(failed.status()).isEqualTo(MensagemStatus.ERROR);
        assertThat(failed.statusReason()).isEqualTo("no_evidence");
        assertThat(events(EventType.MESSAGE_STATUS)).extracting(e -> e.data().path("status").stringValue())
                .containsExactly("ERROR");

        t.command(resend("again", sending.mensagemId()));
        OutboundMessage again = t.outbound.readValue();
        assertThat(again.mensagemId()).isEqualTo(sending.mensagemId());
        assertThat(again.text()).isEqualTo(TEXT);
    }

    @Test
    void shouldStillLinkALateEchoToAReplyThatFailedForWantOfEvidence() {
        OutboundMessage sending = unconfirmedReply("r1", TEXT);
        t.advance(TopologyFixture.UNCONFIRMED_WINDOW.plusSeconds(30));
        t.drainOutputs();

        t.send(sendMessage("3EB0LATE", TEXT));

        Mensagem linked = t.mensagens.readValue();
        assertThat(linked.mensagemId()).isEqualTo(sending.mensagemId());
        assertThat(linked.status()).isEqualTo(MensagemStatus.SERVER_ACK);
        assertThat(linked.keyId()).isEqualTo("3EB0LATE");
        assertThat(t.mensagens.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepACompanyMensagemWithAnotherTextAsAMensagemOfItsOwn() {
        OutboundMessage sending = unconfirmedReply("r1", TEXT);
        t.drainOutputs();

        t.send(upsert(key(CUSTOMER_JID, true, "PHONE1"), "Você", conversation("digitado no celular"),
                "conversation", SENT_AT + 5));

        Mensagem typed = t.mensagens.readValue();
        assertThat(typed.mensagemId()).isNotEqualTo(sending.mensagemId());
        assertThat(typed.text()).isEqualTo("digitado no celular");
    }

    @Test
    void shouldDropARedeliveredEchoOnceLinked() {
        unconfirmedReply("r1", TEXT);
        t.send(sendMessage("3EB0ECHO", TEXT));
        t.drainOutputs();
        t.outcomes.clear();

        t.send(sendMessage("3EB0ECHO", TEXT));

        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.DUPLICATE);
    }

    @Test
    void shouldLinkTwoEqualRepliesToTheirEchoesOldestFirst() {
        OutboundMessage first = unconfirmedReply("r1", "ok");
        OutboundMessage second = unconfirmedReply("r2", "ok");
        t.drainOutputs();

        t.send(sendMessage("K1", "ok"));
        t.send(sendMessage("K2", "ok"));

        assertThat(mensagens()).extracting(Mensagem::mensagemId, Mensagem::keyId).containsExactly(
                tuple(first.mensagemId(), "K1"),
                tuple(second.mensagemId(), "K2"));
    }

    @Test
    void shouldSayWhenToTryAgainWhenTheCircuitWasOpenAndRefuseAResendBeforeThen() {
        t.command(reply("r1", TEXT));
        OutboundMessage sending = t.outbound.readValue();
        Instant retryAt = t.recordTime.plusSeconds(30);
        t.result(result(sending, OutboundResult.FAILED, null, OutboundResult.INSTANCE_UNAVAILABLE,
                "WhatsApp number loja-01 is unavailable", retryAt));

        Mensagem failed = t.mensagens.readValuesToList().get(1);
        assertThat(failed.status()).isEqualTo(MensagemStatus.ERROR);
        assertThat(failed.statusReason()).isEqualTo(OutboundResult.INSTANCE_UNAVAILABLE);
        assertThat(failed.retryAt()).isEqualTo(retryAt);
        RealtimeEvent status = events(EventType.MESSAGE_STATUS).get(0);
        assertThat(status.data().path("reason").stringValue()).isEqualTo("instance_unavailable");
        assertThat(Instant.parse(status.data().path("retryAt").stringValue())).isEqualTo(retryAt);

        t.command(resend("too-soon", sending.mensagemId()));
        assertThat(t.outbound.isEmpty()).isTrue();
        assertThat(events(EventType.COMMAND_REJECTED)).extracting(e -> e.data().path("reason").stringValue())
                .containsExactly("instance_unavailable");

        t.recordTime = retryAt;
        t.command(resend("later", sending.mensagemId()));
        OutboundMessage again = t.outbound.readValue();
        t.result(sent(again, "3EB0AFTER"));
        assertThat(mensagens()).extracting(Mensagem::status).containsExactly(MensagemStatus.PENDING,
                MensagemStatus.SERVER_ACK);
        assertThat(t.outbound.isEmpty()).isTrue();
    }

    @Test
    void shouldNotLinkTheEchoOfAnotherMessageToAReplyRefusedForCertain() {
        t.command(reply("r1", TEXT));
        OutboundMessage sending = t.outbound.readValue();
        t.result(result(sending, OutboundResult.FAILED, null, "not_on_whatsapp", "not on WhatsApp", null));
        t.drainOutputs();

        t.send(sendMessage("PHONE2", TEXT));

        assertThat(t.mensagens.readValue().mensagemId()).isNotEqualTo(sending.mensagemId());
    }

    @Test
    void shouldNeverTakeUnconfirmedFromAWebhookForItIsChatCentralsOwnStatus() {
        t.send(Webhooks.upsert(Webhooks.INSTANCE,
                key(CUSTOMER_JID, true, "PHONE9"), "Você", conversation("do celular"), "conversation", SENT_AT,
                "UNCONFIRMED"));
        t.send(receipt("PHONE9", true, "UNCONFIRMED"));

        assertThat(mensagens()).extracting(Mensagem::status).containsExactly(MensagemStatus.SERVER_ACK);
        assertThat(t.deadLettered).hasSize(1);
    }
}
