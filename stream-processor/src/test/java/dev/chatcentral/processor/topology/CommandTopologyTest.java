package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static dev.chatcentral.processor.topology.Webhooks.sendMessage;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/** Atendentes' commands and the dispatcher's results against the conversa state (docs/commands.md). */
class CommandTopologyTest {

    private static final String ANA = "ana";
    private static final String BIA = "bia";
    private static final String SUPERVISORA = "carla";
    private static final List<String> ATENDENTE = List.of("atendente");
    private static final List<String> SUPERVISOR = List.of("atendente", "supervisor");
    private static final String CONVERSA = DeterministicIds.conversaId(EMPRESA, INSTANCE, CUSTOMER_JID);

    @TempDir
    Path stateDir;

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
        t.send(customerText("C1", "Oi, vocês entregam hoje?"));
        t.sessionOpened(EMPRESA, ANA, "Ana Souza");
        t.sessionOpened(EMPRESA, BIA, "Bia Lima");
        t.drainOutputs();
        t.outcomes.clear();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private static AgentCommand command(String commandId, String userId, List<String> roles, String type,
                                        String conversaId) {
        return new AgentCommand(commandId, EMPRESA, userId, roles, type, conversaId, null, null, null, null,
                Instant.parse("2025-10-21T14:41:00Z"));
    }

    private static AgentCommand assign(String commandId, String userId) {
        return command(commandId, userId, ATENDENTE, AgentCommand.ASSIGN, CONVERSA);
    }

    private static AgentCommand transfer(String commandId, String userId, List<String> roles, String target) {
        return new AgentCommand(commandId, EMPRESA, userId, roles, AgentCommand.TRANSFER, CONVERSA, target, null,
                null, null, null);
    }

    private static AgentCommand send(String commandId, String userId, String text, String quotedMensagemId) {
        return new AgentCommand(commandId, EMPRESA, userId, ATENDENTE, AgentCommand.SEND_MESSAGE, CONVERSA, null,
                text, quotedMensagemId, null, null);
    }

    private static AgentCommand resend(String commandId, String userId, String mensagemId) {
        return new AgentCommand(commandId, EMPRESA, userId, ATENDENTE, AgentCommand.RESEND, CONVERSA, null, null,
                null, mensagemId, null);
    }

    private static OutboundResult sent(OutboundMessage message, String keyId) {
        return new OutboundResult(message.commandId(), message.mensagemId(), message.conversaId(),
                message.empresaId(), message.instance(), OutboundResult.SENT, keyId, null, 1, Instant.now());
    }

    private static OutboundResult failed(OutboundMessage message, String error) {
        return new OutboundResult(message.commandId(), message.mensagemId(), message.conversaId(),
                message.empresaId(), message.instance(), OutboundResult.FAILED, null, error, 1, Instant.now());
    }

    private static String cause(String commandId, String userId) {
        return DeterministicIds.commandCause(EMPRESA, userId, commandId);
    }

    private RealtimeEvent onlyRejection() {
        List<RealtimeEvent> events = t.events.readValuesToList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(EventType.COMMAND_REJECTED);
        assertThat(t.conversas.isEmpty()).isTrue();
        assertThat(t.mensagens.isEmpty()).isTrue();
        assertThat(t.outbound.isEmpty()).isTrue();
        return events.get(0);
    }

    private void assertRejected(AgentCommand command, String reason) {
        RealtimeEvent rejected = onlyRejection();
        assertThat(rejected.channels()).containsExactly("atendente:" + command.userId());
        assertThat(rejected.id()).isEqualTo(cause(command.commandId(), command.userId()) + ":command_rejected");
        assertThat(rejected.data().path("commandId").stringValue()).isEqualTo(command.commandId());
        assertThat(rejected.data().path("type").stringValue()).isEqualTo(command.type());
        assertThat(rejected.data().path("conversaId").stringValue()).isEqualTo(command.conversaId());
        assertThat(rejected.data().path("reason").stringValue()).isEqualTo(reason);
        assertThat(rejected.data().path("message").stringValue()).isNotBlank();
    }

    private Conversa stored() {
        return t.driver.<String, Conversa>getKeyValueStore(ConversaTopology.CONVERSA_STORE)
                .get(EMPRESA + "|" + INSTANCE + "|" + CUSTOMER_JID);
    }

    private void assignedTo(String userId) {
        t.command(assign("setup-assign-" + userId, userId));
        t.drainOutputs();
    }

    @Test
    void shouldAssignWaitingConversaToCallerAndUpdateTheEmpresa() {
        t.command(assign("c1", ANA));

        Conversa assigned = t.conversas.readValue();
        assertThat(assigned.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(assigned.atendenteId()).isEqualTo(ANA);
        assertThat(assigned.version()).isEqualTo(2);
        RealtimeEvent updated = t.events.readValue();
        assertThat(updated.type()).isEqualTo(EventType.CONVERSATION_UPDATED);
        assertThat(updated.id()).isEqualTo(cause("c1", ANA) + ":conversation_updated");
        assertThat(updated.channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(updated.data().path("conversa").path("atendenteId").stringValue()).isEqualTo(ANA);
        assertThat(t.noOutput()).isTrue();
    }

    /** Webhooks and commands have processors of their own, which share the task's stores. */
    @Test
    void shouldApplyWebhooksAndCommandsOfOneConversaInTheOrderTheyArrive() {
        t.send(customerText("C2", "Ainda estão aí?"));
        t.command(assign("ana-takes", ANA));
        t.send(customerText("C3", "Obrigado"));
        t.command(command("ana-closes", ANA, ATENDENTE, AgentCommand.CLOSE, CONVERSA));
        t.send(customerText("C4", "Esqueci uma coisa"));
        t.command(assign("bia-takes", BIA));

        assertThat(t.conversas.readValuesToList())
                .extracting(Conversa::version, Conversa::status, Conversa::atendenteId)
                .containsExactly(tuple(2L, ConversaStatus.AGUARDANDO, null),
                        tuple(3L, ConversaStatus.EM_ATENDIMENTO, ANA),
                        tuple(4L, ConversaStatus.EM_ATENDIMENTO, ANA),
                        tuple(5L, ConversaStatus.ENCERRADA, ANA),
                        tuple(6L, ConversaStatus.AGUARDANDO, null),
                        tuple(7L, ConversaStatus.EM_ATENDIMENTO, BIA));
        assertThat(t.events.readValuesToList()).extracting(RealtimeEvent::type)
                .doesNotContain(EventType.COMMAND_REJECTED);
    }

    @Test
    void shouldLetExactlyOneOfTwoAssignsOfTheSameConversaWin() {
        t.command(assign("ana-takes", ANA));
        t.command(assign("bia-takes", BIA));

        assertThat(t.conversas.readValuesToList()).extracting(Conversa::atendenteId).containsExactly(ANA);
        List<RealtimeEvent> events = t.events.readValuesToList();
        assertThat(events).extracting(RealtimeEvent::type)
                .containsExactly(EventType.CONVERSATION_UPDATED, EventType.COMMAND_REJECTED);
        RealtimeEvent rejected = events.get(1);
        assertThat(rejected.channels()).containsExactly("atendente:" + BIA);
        assertThat(rejected.data().path("reason").stringValue()).isEqualTo("already_assigned");
        assertThat(rejected.data().path("commandId").stringValue()).isEqualTo("bia-takes");
        assertThat(stored().atendenteId()).isEqualTo(ANA);
    }

    @Test
    void shouldActOnceWhenTheSameCommandIdArrivesTwice() {
        t.command(assign("c1", ANA));
        t.drainOutputs();

        t.command(assign("c1", ANA));
        t.command(send("s1", ANA, "Olá!", null));
        t.command(send("s1", ANA, "Olá!", null));

        assertThat(t.events.readValuesToList()).extracting(RealtimeEvent::type)
                .containsExactly(EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED);
        assertThat(t.mensagens.readValuesToList()).hasSize(1);
        assertThat(t.outbound.readValuesToList()).hasSize(1);
        assertThat(stored().version()).isEqualTo(3);
    }

    @Test
    void shouldActOnceWhenARefusedCommandArrivesAgain() {
        t.command(command("bad", ANA, ATENDENTE, AgentCommand.CLOSE, CONVERSA));
        assertThat(t.events.readValue().type()).isEqualTo(EventType.COMMAND_REJECTED);

        t.command(command("bad", ANA, ATENDENTE, AgentCommand.CLOSE, CONVERSA));

        assertThat(t.noOutput()).isTrue();
    }

    @Test
    void shouldTransferToKnownAtendenteNotifyingExactlyTheTargetAndTheEmpresa() {
        assignedTo(ANA);

        t.command(transfer("t1", ANA, ATENDENTE, BIA));

        Conversa transferred = t.conversas.readValue();
        assertThat(transferred.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(transferred.atendenteId()).isEqualTo(BIA);
        List<RealtimeEvent> events = t.events.readValuesToList();
        assertThat(events).extracting(RealtimeEvent::type)
                .containsExactly(EventType.CONVERSATION_TRANSFERRED, EventType.CONVERSATION_UPDATED);
        RealtimeEvent notice = events.get(0);
        assertThat(notice.id()).isEqualTo(cause("t1", ANA) + ":conversation_transferred");
        assertThat(notice.channels()).containsExactly("atendente:" + BIA, "empresa:" + EMPRESA);
        assertThat(notice.data().path("from").stringValue()).isEqualTo(ANA);
        assertThat(notice.data().path("to").stringValue()).isEqualTo(BIA);
        assertThat(notice.data().path("by").stringValue()).isEqualTo(ANA);
        assertThat(notice.data().path("conversa").path("atendenteId").stringValue()).isEqualTo(BIA);
        assertThat(events.get(1).channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(t.noOutput()).isTrue();
    }

    @Test
    void shouldTransferBackToTheQueueUnassigned() {
        assignedTo(ANA);

        t.command(transfer("t1", ANA, ATENDENTE, null));

        Conversa queued = t.conversas.readValue();
        assertThat(queued.status()).isEqualTo(ConversaStatus.AGUARDANDO);
        assertThat(queued.atendenteId()).isNull();
        RealtimeEvent notice = t.events.readValue();
        assertThat(notice.type()).isEqualTo(EventType.CONVERSATION_TRANSFERRED);
        assertThat(notice.channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(notice.data().path("to").isNull()).isTrue();
    }

    @Test
    void shouldLetSupervisorTransferAnyConversaOfTheEmpresa() {
        t.command(transfer("t1", SUPERVISORA, SUPERVISOR, BIA));

        assertThat(t.conversas.readValue().atendenteId()).isEqualTo(BIA);
        RealtimeEvent notice = t.events.readValue();
        assertThat(notice.data().path("from").isNull()).isTrue();
        assertThat(notice.data().path("by").stringValue()).isEqualTo(SUPERVISORA);
    }

    @Test
    void shouldRejectTransferToAtendenteNeverSeenInTheEmpresa() {
        assignedTo(ANA);
        t.sessionOpened("emp-2", "dora", "Dora de outra empresa");

        AgentCommand toStranger = transfer("t1", ANA, ATENDENTE, "dora");
        t.command(toStranger);

        assertRejected(toStranger, "unknown_atendente");
        assertThat(stored().atendenteId()).isEqualTo(ANA);
    }

    @Test
    void shouldRejectTransferByAtendenteWhoseConversaItIsNot() {
        assignedTo(ANA);

        AgentCommand notHers = transfer("t1", BIA, ATENDENTE, BIA);
        t.command(notHers);

        assertRejected(notHers, "forbidden");
    }

    @Test
    void shouldRejectTransferToTheAtendenteWhoAlreadyHasIt() {
        assignedTo(ANA);

        AgentCommand same = transfer("t1", ANA, ATENDENTE, ANA);
        t.command(same);

        assertRejected(same, "invalid_state");
    }

    @Test
    void shouldRejectCommandsOnConversaThatDoesNotExistOrIsOfAnotherEmpresa() {
        t.send("emp-2", customerText("X1", "Oi"));
        t.drainOutputs();
        String otherEmpresas = DeterministicIds.conversaId("emp-2", INSTANCE, CUSTOMER_JID);

        AgentCommand missing = command("c1", ANA, SUPERVISOR, AgentCommand.ASSIGN,
                "0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f");
        t.command(missing);
        assertRejected(missing, "not_found");

        AgentCommand foreign = command("c2", ANA, SUPERVISOR, AgentCommand.CLOSE, otherEmpresas);
        t.command(foreign);
        assertRejected(foreign, "not_found");
    }

    @Test
    void shouldCloseKeepingTheAtendenteAndReopenBackToThem() {
        assignedTo(ANA);

        t.command(command("close", ANA, ATENDENTE, AgentCommand.CLOSE, CONVERSA));
        Conversa closed = t.conversas.readValue();
        assertThat(closed.status()).isEqualTo(ConversaStatus.ENCERRADA);
        assertThat(closed.atendenteId()).isEqualTo(ANA);
        assertThat(t.events.readValue().type()).isEqualTo(EventType.CONVERSATION_UPDATED);

        t.command(command("reopen", ANA, ATENDENTE, AgentCommand.REOPEN, CONVERSA));
        Conversa reopened = t.conversas.readValue();
        assertThat(reopened.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(reopened.atendenteId()).isEqualTo(ANA);
        assertThat(t.events.readValue().id()).isEqualTo(cause("reopen", ANA) + ":conversation_updated");
    }

    @Test
    void shouldReopenConversaClosedWithoutAtendenteIntoTheQueue() {
        t.command(command("close", SUPERVISORA, SUPERVISOR, AgentCommand.CLOSE, CONVERSA));
        t.drainOutputs();

        AgentCommand notAllowed = command("reopen-1", ANA, ATENDENTE, AgentCommand.REOPEN, CONVERSA);
        t.command(notAllowed);
        assertRejected(notAllowed, "forbidden");

        t.command(command("reopen-2", SUPERVISORA, SUPERVISOR, AgentCommand.REOPEN, CONVERSA));
        Conversa reopened = t.conversas.readValue();
        assertThat(reopened.status()).isEqualTo(ConversaStatus.AGUARDANDO);
        assertThat(reopened.atendenteId()).isNull();
    }

    @Test
    void shouldRejectCommandsThatDoNotFitTheConversasState() {
        AgentCommand reopenOpen = command("r1", SUPERVISORA, SUPERVISOR, AgentCommand.REOPEN, CONVERSA);
        t.command(reopenOpen);
        assertRejected(reopenOpen, "invalid_state");

        t.command(command("close", SUPERVISORA, SUPERVISOR, AgentCommand.CLOSE, CONVERSA));
        t.drainOutputs();

        AgentCommand assignClosed = assign("a1", ANA);
        t.command(assignClosed);
        assertRejected(assignClosed, "invalid_state");

        AgentCommand closeClosed = command("c2", SUPERVISORA, SUPERVISOR, AgentCommand.CLOSE, CONVERSA);
        t.command(closeClosed);
        assertRejected(closeClosed, "invalid_state");

        AgentCommand sendClosed = new AgentCommand("s1", EMPRESA, SUPERVISORA, SUPERVISOR,
                AgentCommand.SEND_MESSAGE, CONVERSA, null, "Olá", null, null, null);
        t.command(sendClosed);
        assertRejected(sendClosed, "invalid_state");
    }

    @Test
    void shouldRejectCloseAndSendByAtendenteOnConversaAssignedToNobody() {
        AgentCommand close = command("c1", ANA, ATENDENTE, AgentCommand.CLOSE, CONVERSA);
        t.command(close);
        assertRejected(close, "forbidden");

        AgentCommand reply = send("s1", ANA, "Olá", null);
        t.command(reply);
        assertRejected(reply, "forbidden");
    }

    @Test
    void shouldRejectMalformedCommandsAsInvalidCommand() {
        AgentCommand blank = send("s1", ANA, "   ", null);
        t.command(blank);
        assertRejected(blank, "invalid_command");

        AgentCommand tooLong = send("s2", ANA, "x".repeat(4097), null);
        t.command(tooLong);
        assertRejected(tooLong, "invalid_command");

        AgentCommand badId = assign("not a valid id!", ANA);
        t.command(badId);
        assertThat(onlyRejection().data().path("reason").stringValue()).isEqualTo("invalid_command");

        AgentCommand unknownType = command("u1", ANA, ATENDENTE, "delete", CONVERSA);
        t.command(unknownType);
        assertRejected(unknownType, "invalid_command");

        AgentCommand resendWithoutMensagem = resend("r1", ANA, null);
        t.command(resendWithoutMensagem);
        assertRejected(resendWithoutMensagem, "invalid_command");

        AgentCommand otherEmpresa = new AgentCommand("e1", "emp-2", ANA, ATENDENTE, AgentCommand.ASSIGN, CONVERSA,
                null, null, null, null, null);
        t.commandBytes(EMPRESA, ("{\"commandId\":\"e1\",\"empresaId\":\"emp-2\",\"userId\":\"ana\","
                + "\"roles\":[\"atendente\"],\"type\":\"assign\",\"conversaId\":\"" + CONVERSA + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertRejected(otherEmpresa, "invalid_command");
        assertThat(stored().atendenteId()).isNull();
    }

    @Test
    void shouldSendUnreadableCommandsAndThoseWithoutIssuerToDlqAndGoOn() {
        t.commandBytes(EMPRESA, "{not json".getBytes(StandardCharsets.UTF_8));
        t.commandBytes(EMPRESA, ("{\"commandId\":\"c0\",\"empresaId\":\"emp-1\",\"type\":\"assign\","
                + "\"conversaId\":\"" + CONVERSA + "\"}").getBytes(StandardCharsets.UTF_8));
        t.commandBytes(EMPRESA, null);
        List<TestRecord<String, byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(dead).extracting(r -> RecordHeaders.get(r.headers(), RecordHeaders.ERROR_REASON))
                .containsExactly("invalid", "invalid", "invalid");
        assertThat(dead).extracting(r -> RecordHeaders.get(r.headers(), RecordHeaders.ORIGINAL_TOPIC))
                .containsOnly(Topics.COMMANDS.name());
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(t.deadLettered).containsOnly("conversa/invalid/" + EMPRESA);
        assertThat(t.noOutput()).isTrue();

        t.command(assign("c1", ANA));

        assertThat(t.conversas.readValue().atendenteId()).isEqualTo(ANA);
    }

    @Test
    void shouldAppendReplyAsPendingMensagemAndHandItToTheDispatcher() {
        assignedTo(ANA);

        t.command(send("s1", ANA, "Sim! Entregamos até 18h.", null));

        String mensagemId = DeterministicIds.outboundMensagemId(EMPRESA, ANA, "s1");
        Mensagem reply = t.mensagens.readValue();
        assertThat(reply.mensagemId()).isEqualTo(mensagemId);
        assertThat(reply.status()).isEqualTo(MensagemStatus.PENDING);
        assertThat(reply.fromMe()).isTrue();
        assertThat(reply.keyId()).isEqualTo("pending:" + mensagemId);
        assertThat(reply.senderName()).isEqualTo("Ana Souza");
        assertThat(reply.text()).isEqualTo("Sim! Entregamos até 18h.");
        assertThat(t.conversas.readValue().lastMensagemPreview()).isEqualTo("Sim! Entregamos até 18h.");
        List<RealtimeEvent> events = t.events.readValuesToList();
        assertThat(events).extracting(RealtimeEvent::type)
                .containsExactly(EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED);
        assertThat(events.get(0).id()).isEqualTo(mensagemId + ":message_notification");
        assertThat(events.get(0).channels()).containsExactly("empresa:" + EMPRESA, "conversa:" + CONVERSA,
                "atendente:" + ANA);
        TestRecord<String, OutboundMessage> outbound = t.outbound.readRecord();
        assertThat(outbound.key()).isEqualTo(INSTANCE);
        assertThat(outbound.value()).isEqualTo(new OutboundMessage("s1", ANA, mensagemId, CONVERSA, EMPRESA, INSTANCE,
                "5511988887777", "Sim! Entregamos até 18h.", null, null));
    }

    @Test
    void shouldQuoteAMensagemOfTheConversaWithItsWhatsAppIdAndText() {
        assignedTo(ANA);
        String quoted = DeterministicIds.mensagemId(EMPRESA, INSTANCE, "C1", false);

        t.command(send("s1", ANA, "Sim!", quoted));

        OutboundMessage outbound = t.outbound.readValue();
        assertThat(outbound.quotedKeyId()).isEqualTo("C1");
        assertThat(outbound.quotedText()).isEqualTo("Oi, vocês entregam hoje?");
    }

    @Test
    void shouldRejectQuoteOfMensagemThatIsNotOfTheConversa() {
        assignedTo(ANA);

        AgentCommand reply = send("s1", ANA, "Sim!", "0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f");
        t.command(reply);

        assertRejected(reply, "invalid_command");
    }

    @Test
    void shouldGiveReplyItsWhatsAppIdWhenSentSoEchoAndReceiptsApplyToTheSameMensagem() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage outbound = t.outbound.readValue();
        t.drainOutputs();

        t.result(sent(outbound, "3EB0C767D097B7C7C030"));

        Mensagem sent = t.mensagens.readValue();
        assertThat(sent.mensagemId()).isEqualTo(outbound.mensagemId());
        assertThat(sent.keyId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(sent.status()).isEqualTo(MensagemStatus.SERVER_ACK);
        RealtimeEvent status = t.events.readValue();
        assertThat(status.type()).isEqualTo(EventType.MESSAGE_STATUS);
        assertThat(status.id()).isEqualTo(DeterministicIds.resultCause(EMPRESA, outbound.mensagemId(), "s1") + ":message_status");
        assertThat(status.data().path("previousStatus").stringValue()).isEqualTo("PENDING");

        t.send(sendMessage("3EB0C767D097B7C7C030", "Sim!"));
        t.send(upsert(INSTANCE, key(CUSTOMER_JID, true, "3EB0C767D097B7C7C030"), "Loja", conversation("Sim!"),
                "conversation", SENT_AT + 60, "SERVER_ACK"));
        t.send(receipt("3EB0C767D097B7C7C030", true, "DELIVERY_ACK"));
        t.send(receipt("3EB0C767D097B7C7C030", true, "READ"));

        List<Mensagem> written = t.mensagens.readValuesToList();
        assertThat(written).extracting(Mensagem::mensagemId).containsOnly(outbound.mensagemId());
        assertThat(written).extracting(Mensagem::status)
                .containsExactly(MensagemStatus.DELIVERY_ACK, MensagemStatus.READ);
        assertThat(t.outcomes).endsWith(WebhookOutcome.DUPLICATE, WebhookOutcome.DUPLICATE,
                WebhookOutcome.PROCESSED, WebhookOutcome.PROCESSED);
    }

    @Test
    void shouldStoreOnlyRepliesByWhatsAppKeyAndForgetTheLinkWithTheReply() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage outbound = t.outbound.readValue();
        t.result(sent(outbound, "3EB0C767D097B7C7C030"));
        t.drainOutputs();

        KeyValueStore<String, String> replyKeys = t.driver.getKeyValueStore(ConversaTopology.REPLY_KEY_STORE);
        // the customer's mensagem of assignedTo is found by its id alone; the reply's provisional key was replaced
        assertThat(keys(replyKeys)).containsExactly(
                MensagemIndex.key(EMPRESA, INSTANCE, "3EB0C767D097B7C7C030", true));

        t.advance(Duration.ofDays(7).plusMinutes(10));
        t.send(receipt("3EB0C767D097B7C7C030", true, "READ"));

        assertThat(keys(replyKeys)).isEmpty();
        assertThat(t.mensagens.isEmpty()).isTrue();
        assertThat(t.outcomes).endsWith(WebhookOutcome.PARKED);
    }

    private static List<String> keys(KeyValueStore<String, String> store) {
        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void shouldParkEchoAndReceiptThatOvertakeTheResultAndApplyThemToTheReplyOnceSent() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage outbound = t.outbound.readValue();
        t.drainOutputs();

        t.send(sendMessage("K1", "Sim!"));
        t.send(receipt("K1", true, "DELIVERY_ACK"));
        assertThat(t.noOutput()).isTrue();
        assertThat(t.outcomes).containsExactly(WebhookOutcome.PARKED, WebhookOutcome.PARKED);

        t.result(sent(outbound, "K1"));

        List<Mensagem> written = t.mensagens.readValuesToList();
        assertThat(written).extracting(Mensagem::mensagemId).containsOnly(outbound.mensagemId());
        assertThat(written).extracting(Mensagem::status)
                .containsExactly(MensagemStatus.SERVER_ACK, MensagemStatus.DELIVERY_ACK);
        assertThat(t.events.readValuesToList()).extracting(e -> e.data().path("status").stringValue())
                .containsExactly("SERVER_ACK", "DELIVERY_ACK");
        assertThat(t.outcomes).endsWith(WebhookOutcome.DUPLICATE, WebhookOutcome.PROCESSED);
        t.advanceInSteps(Duration.ofSeconds(30));
        assertThat(t.noOutput()).isTrue();
    }

    @Test
    void shouldApplyCompanyMensagemTypedOnThePhoneOnceTheAwaitedReplyIsSent() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage outbound = t.outbound.readValue();
        t.drainOutputs();

        t.send(upsert(INSTANCE, key(CUSTOMER_JID, true, "PHONE1"), "Loja", conversation("do celular"),
                "conversation", SENT_AT + 70, null));
        assertThat(t.noOutput()).isTrue();
        t.result(sent(outbound, "K1"));

        List<Mensagem> written = t.mensagens.readValuesToList();
        assertThat(written).extracting(Mensagem::keyId).containsExactly("K1", "PHONE1");
        assertThat(written.get(1).mensagemId()).isEqualTo(DeterministicIds.mensagemId(EMPRESA, INSTANCE, "PHONE1",
                true));
    }

    @Test
    void shouldMarkReplyErrorWhenDispatchFailsAndSendItAgainOnResend() {
        assignedTo(ANA);
        String quoted = DeterministicIds.mensagemId(EMPRESA, INSTANCE, "C1", false);
        t.command(send("s1", ANA, "Sim!", quoted));
        OutboundMessage first = t.outbound.readValue();
        t.drainOutputs();

        t.result(failed(first, "number is not on WhatsApp"));

        Mensagem failed = t.mensagens.readValue();
        assertThat(failed.status()).isEqualTo(MensagemStatus.ERROR);
        RealtimeEvent status = t.events.readValue();
        assertThat(status.type()).isEqualTo(EventType.MESSAGE_STATUS);
        assertThat(status.channels()).contains("atendente:" + ANA);
        assertThat(status.data().path("status").stringValue()).isEqualTo("ERROR");
        assertThat(status.data().path("error").stringValue()).isEqualTo("number is not on WhatsApp");

        t.command(resend("r1", ANA, first.mensagemId()));

        Mensagem pending = t.mensagens.readValue();
        assertThat(pending.mensagemId()).isEqualTo(first.mensagemId());
        assertThat(pending.status()).isEqualTo(MensagemStatus.PENDING);
        RealtimeEvent again = t.events.readValue();
        assertThat(again.id()).isEqualTo(cause("r1", ANA) + ":message_status");
        assertThat(again.data().path("previousStatus").stringValue()).isEqualTo("ERROR");
        OutboundMessage second = t.outbound.readValue();
        assertThat(second).isEqualTo(new OutboundMessage("r1", ANA, first.mensagemId(), CONVERSA, EMPRESA, INSTANCE,
                "5511988887777", "Sim!", "C1", "Oi, vocês entregam hoje?"));

        t.result(failed(first, "late repeat of the first send's result"));
        assertThat(t.noOutput()).isTrue();

        t.result(sent(second, "K2"));
        Mensagem sent = t.mensagens.readValue();
        assertThat(sent.mensagemId()).isEqualTo(first.mensagemId());
        assertThat(sent.status()).isEqualTo(MensagemStatus.SERVER_ACK);
        assertThat(sent.keyId()).isEqualTo("K2");
    }

    @Test
    void shouldRejectResendOfMensagemThatDidNotFailOrIsUnknown() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage pending = t.outbound.readValue();
        t.drainOutputs();

        AgentCommand notFailed = resend("r1", ANA, pending.mensagemId());
        t.command(notFailed);
        assertRejected(notFailed, "invalid_state");

        AgentCommand customers = resend("r2", ANA, DeterministicIds.mensagemId(EMPRESA, INSTANCE, "C1", false));
        t.command(customers);
        assertRejected(customers, "invalid_state");

        AgentCommand unknown = resend("r3", ANA, "0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f");
        t.command(unknown);
        assertRejected(unknown, "not_found");
    }

    @Test
    void shouldIgnoreResultsForSendsThatAreNotAwaitedAndDeadLetterMalformedOnes() {
        assignedTo(ANA);
        t.command(send("s1", ANA, "Sim!", null));
        OutboundMessage outbound = t.outbound.readValue();
        t.result(sent(outbound, "K1"));
        t.drainOutputs();

        t.result(sent(outbound, "K1"));
        t.result(failed(outbound, "repeat"));
        t.result(new OutboundResult("s1", outbound.mensagemId(), CONVERSA, EMPRESA, INSTANCE, OutboundResult.SENT,
                null, null, 1, Instant.now()));
        t.result(new OutboundResult("zz", "unknown-mensagem", CONVERSA, EMPRESA, INSTANCE, "MAYBE", null, null, 1,
                Instant.now()));

        // the two malformed results (SENT without a keyId, an unknown status) can be found in the DLQ
        assertThat(t.dlq.readRecordsToList()).extracting(r -> RecordHeaders.get(r.headers(),
                RecordHeaders.ERROR_MESSAGE)).containsExactly(
                        "outbound result s1 is SENT without a keyId",
                        "outbound result zz has status MAYBE, not SENT, FAILED or UNCONFIRMED");
        assertThat(t.noOutput()).isTrue();
    }
}
