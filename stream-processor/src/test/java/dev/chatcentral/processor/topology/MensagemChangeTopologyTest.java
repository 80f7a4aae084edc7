package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Atendentes.assign;
import static dev.chatcentral.processor.topology.Atendentes.react;
import static dev.chatcentral.processor.topology.Atendentes.result;
import static dev.chatcentral.processor.topology.Atendentes.sent;
import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.deleted;
import static dev.chatcentral.processor.topology.Webhooks.edited;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.reaction;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static dev.chatcentral.processor.topology.Webhooks.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * WhatsApp's edits, deletions for everyone and reactions (issue 19): each attached to the mensagem it targets, never a
 * mensagem of its own, also when it overtakes its target, and once however often it arrives.
 */
class MensagemChangeTopologyTest {

    private static final long EDITED_MS = 1761057700000L;

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

    private static String customerMensagem(String keyId) {
        return DeterministicIds.mensagemId(EMPRESA, INSTANCE, keyId, false);
    }

    private List<RealtimeEvent> events(String type) {
        return t.events.readValuesToList().stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void shouldUpdateTheTextOfTheEditedMensagemKeepingTheOriginal() {
        t.send(customerText("C1", "entregam hoje?"));
        t.drainOutputs();

        t.send(edited("C1", false, "entregam amanhã?", EDITED_MS));

        Mensagem edited = t.mensagens.readValue();
        assertThat(edited.mensagemId()).isEqualTo(customerMensagem("C1"));
        assertThat(edited.text()).isEqualTo("entregam amanhã?");
        assertThat(edited.originalText()).isEqualTo("entregam hoje?");
        assertThat(edited.editedAt().toEpochMilli()).isEqualTo(EDITED_MS);
        RealtimeEvent event = events(EventType.MESSAGE_EDITED).get(0);
        assertThat(event.channels()).contains("empresa:" + EMPRESA, "conversa:" + edited.conversaId());
        assertThat(event.data().path("text").stringValue()).isEqualTo("entregam amanhã?");
        assertThat(event.data().path("originalText").stringValue()).isEqualTo("entregam hoje?");
        assertThat(t.conversas.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheFirstTextAcrossTwoEditsAndIgnoreAnOlderEditArrivingLate() {
        t.send(customerText("C1", "v1"));
        t.send(edited("C1", false, "v3", EDITED_MS + 2000));
        t.send(edited("C1", false, "v2", EDITED_MS + 1000));
        t.send(edited("C1", false, "v4", EDITED_MS + 3000));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::text).containsExactly("v1", "v3", "v4");
        assertThat(versions.get(2).originalText()).isEqualTo("v1");
        assertThat(t.outcomes).endsWith(WebhookOutcome.STALE_STATUS, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldReadAnEditCarriedInAnUpsertAsAProtocolMessage() {
        t.send(customerText("C1", "antes"));
        t.drainOutputs();

        t.send(Webhooks.upsert(key(CUSTOMER_JID, false, "E1"), "Maria", "{\"editedMessage\":{\"message\":"
                + "{\"protocolMessage\":{\"key\":" + key(CUSTOMER_JID, false, "C1") + ",\"type\":14,"
                + "\"editedMessage\":{\"conversation\":\"depois\"},\"timestampMs\":" + EDITED_MS + "}}}}",
                "editedMessage", Webhooks.SENT_AT));

        assertThat(t.mensagens.readValuesToList()).extracting(Mensagem::mensagemId, Mensagem::text)
                .containsExactly(tuple(customerMensagem("C1"), "depois"));
    }

    @Test
    void shouldMarkTheMensagemDeletedForEveryoneByAnyOfEvolutionsThreeWays() {
        t.send(customerText("C1", "um"));
        t.send(customerText("C2", "dois"));
        t.send(customerText("C3", "três"));
        t.drainOutputs();

        t.send(deleted("C1", false));
        t.send(envelope("messages.edited", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "C2")
                + ",\"type\":\"REVOKE\"}"));
        t.send(receipt("C3", false, "DELETED"));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::mensagemId).containsExactly(customerMensagem("C1"),
                customerMensagem("C2"), customerMensagem("C3"));
        assertThat(versions).allSatisfy(m -> assertThat(m.deletedAt()).isNotNull());
        assertThat(events(EventType.MESSAGE_DELETED)).hasSize(3);
    }

    @Test
    void shouldDeleteOnceWhenTheRevokeArrivesByTwoWays() {
        t.send(customerText("C1", "um"));
        t.drainOutputs();

        t.send(envelope("messages.edited", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "C1")
                + ",\"type\":0}"));
        t.send(deleted("C1", false));

        assertThat(t.mensagens.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldAttachReactionsPerReactorReplacingAndRemovingThem() {
        t.send(customerText("C1", "oi"));
        t.drainOutputs();

        t.send(reaction("R1", false, "C1", false, "👍", EDITED_MS));
        t.send(reaction("R2", true, "C1", false, "❤️", EDITED_MS + 1));
        t.send(reaction("R3", false, "C1", false, "😂", EDITED_MS + 2));
        t.send(reaction("R4", false, "C1", false, "", EDITED_MS + 3));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::mensagemId).containsOnly(customerMensagem("C1"));
        assertThat(versions.get(0).reactions()).extracting(Reaction::reactorJid, Reaction::emoji)
                .containsExactly(tuple(CUSTOMER_JID, "👍"));
        assertThat(versions.get(1).reactions()).extracting(Reaction::reactorJid)
                .containsExactly(CUSTOMER_JID, Reaction.COMPANY);
        assertThat(versions.get(2).reactionOf(CUSTOMER_JID).emoji()).isEqualTo("😂");
        assertThat(versions.get(3).reactions()).extracting(Reaction::reactorJid).containsExactly(Reaction.COMPANY);
        List<RealtimeEvent> reactions = events(EventType.MESSAGE_REACTION);
        assertThat(reactions).hasSize(4);
        assertThat(reactions.get(3).data().path("emoji").isNull()).isTrue();
    }

    @Test
    void shouldParkAChangeThatOvertakesItsMensagemAndApplyItWhenTheMensagemArrives() {
        t.send(reaction("R1", false, "C1", false, "👍", EDITED_MS));
        t.send(edited("C1", false, "editado", EDITED_MS + 1));
        assertThat(t.mensagens.isEmpty()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PARKED, WebhookOutcome.PARKED);

        t.send(customerText("C1", "original"));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).extracting(Mensagem::text).containsExactly("original", "original", "editado");
        assertThat(versions.get(2).reactions()).extracting(Reaction::emoji).containsExactly("👍");
    }

    @Test
    void shouldDropARedeliveredReactionAndDeadLetterOneWhoseTargetNeverCame() {
        t.send(customerText("C1", "oi"));
        t.send(reaction("R1", false, "C1", false, "👍", EDITED_MS));
        t.drainOutputs();
        t.outcomes.clear();
        t.send(reaction("R1", false, "C1", false, "👍", EDITED_MS));
        assertThat(t.outcomes).containsExactly(WebhookOutcome.DUPLICATE);

        t.send(reaction("R9", false, "NEVER", false, "👍", EDITED_MS));
        t.advanceInSteps(Duration.ofSeconds(20));
        assertThat(t.deadLettered).hasSize(1);
        assertThat(t.mensagens.isEmpty()).isTrue();
    }

    @Test
    void shouldAttachAnAtendentesReactionWhenWhatsAppHasItAndOnceWhenItsEchoFollows() {
        t.send(customerText("C1", "oi"));
        t.sessionOpened(EMPRESA, Atendentes.ANA, "Ana");
        t.command(assign("a1"));
        t.drainOutputs();

        t.command(react("k1", customerMensagem("C1"), "🙏"));
        OutboundMessage reacting = t.outbound.readValue();
        assertThat(reacting.kind()).isEqualTo(OutboundMessage.REACTION);
        assertThat(reacting.target()).isEqualTo(new OutboundMessage.TargetKey(CUSTOMER_JID, false, "C1", null));
        assertThat(t.mensagens.isEmpty()).isTrue();

        t.result(sent(reacting, "3EB0REACT"));
        t.send(reaction("3EB0REACT", true, "C1", false, "🙏", EDITED_MS));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).reactionOf(Reaction.COMPANY).emoji()).isEqualTo("🙏");
    }

    @Test
    void shouldDeleteAnAtendentesReplyForEveryoneAndRefuseToDeleteTheCustomers() {
        t.send(customerText("C1", "oi"));
        t.sessionOpened(EMPRESA, Atendentes.ANA, "Ana");
        t.command(assign("a1"));
        t.command(Atendentes.reply("r1", "olá"));
        OutboundMessage replying = t.outbound.readValue();
        t.result(sent(replying, "3EB0REPLY"));
        t.drainOutputs();

        t.command(Atendentes.delete("d0", customerMensagem("C1")));
        assertThat(events(EventType.COMMAND_REJECTED)).extracting(e -> e.data().path("reason").stringValue())
                .containsExactly("invalid_state");

        t.command(Atendentes.delete("d1", replying.mensagemId()));
        OutboundMessage deleting = t.outbound.readValue();
        assertThat(deleting.kind()).isEqualTo(OutboundMessage.DELETE);
        assertThat(deleting.target().id()).isEqualTo("3EB0REPLY");
        t.result(sent(deleting, "3EB0DEL"));
        t.send(deleted("3EB0REPLY", true));

        List<Mensagem> versions = t.mensagens.readValuesToList();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).mensagemId()).isEqualTo(replying.mensagemId());
        assertThat(versions.get(0).deletedAt()).isNotNull();
    }

    @Test
    void shouldTellTheAtendenteWhenTheirReactionCouldNotBeSent() {
        t.send(customerText("C1", "oi"));
        t.sessionOpened(EMPRESA, Atendentes.ANA, "Ana");
        t.command(assign("a1"));
        t.drainOutputs();

        t.command(react("k1", customerMensagem("C1"), "👍"));
        OutboundMessage reacting = t.outbound.readValue();
        t.result(result(reacting, OutboundResult.FAILED, null, OutboundResult.INSTANCE_UNAVAILABLE,
                "WhatsApp number loja-01 is unavailable", null));

        RealtimeEvent failed = events(EventType.COMMAND_REJECTED).get(0);
        assertThat(failed.channels()).containsExactly("atendente:" + Atendentes.ANA);
        assertThat(failed.data().path("type").stringValue()).isEqualTo(AgentCommand.REACT);
        assertThat(failed.data().path("reason").stringValue()).isEqualTo("instance_unavailable");
        assertThat(t.mensagens.isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseHostileReactionsOfAtendentesAndGoOnWithTheNextEmpresa() {
        t.send(customerText("C1", "oi"));
        t.sessionOpened(EMPRESA, Atendentes.ANA, "Ana");
        t.command(assign("a1"));
        t.drainOutputs();

        t.command(react("k1", customerMensagem("C1"), "👍".repeat(100)));
        t.command(react("k2", customerMensagem("C1"), "a\u0000b"));
        t.command(react("k3", customerMensagem("C1"), null));
        t.command(react("k4", null, "👍"));
        t.command(react("k5", "no-such-mensagem", "👍"));

        assertThat(events(EventType.COMMAND_REJECTED)).extracting(e -> e.data().path("reason").stringValue())
                .containsExactly("invalid_command", "invalid_command", "invalid_command", "invalid_command",
                        "not_found");
        assertThat(t.outbound.isEmpty()).isTrue();

        t.send("emp-2", customerText("Z1", "outra empresa"));
        assertThat(t.mensagens.readValue().empresaId()).isEqualTo("emp-2");
    }

    @Test
    void shouldDeadLetterHostileChangeWebhooksWithTheirReasonAndGoOn() {
        t.send(customerText("C1", "oi"));
        t.drainOutputs();

        t.send(envelope("messages.edited", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "C1")
                + ",\"type\":\"MESSAGE_EDIT\"}"));
        t.send(envelope("messages.delete", INSTANCE, "{\"remoteJid\":\"" + CUSTOMER_JID + "\"}"));
        t.send(reaction("R1", false, "C1", false, "x".repeat(1000), EDITED_MS));
        t.send(envelope("messages.edited", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "C1")
                + ",\"type\":\"EPHEMERAL_SETTING\"}"));

        assertThat(t.deadLettered).hasSize(3);
        assertThat(t.outcomes).endsWith(WebhookOutcome.IGNORED_EVENT);
        t.send(edited("C1", false, "ainda funciona", EDITED_MS));
        assertThat(t.mensagens.readValue().text()).isEqualTo("ainda funciona");
    }
}
