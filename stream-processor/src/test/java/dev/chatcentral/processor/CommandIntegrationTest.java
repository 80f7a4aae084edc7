package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Commands on a real broker and database, through the running processor: an assign race decided in the empresa's
 * partition, a transfer, a reply handed to chat.outbound, its result and a receipt landing on the same mensagem, and
 * every assignment change in the PostgreSQL audit. The dispatcher is off: the test plays its part.
 */
class CommandIntegrationTest {

    private static final String EMPRESA = "emp-cmd";
    private static final String INSTANCE = "loja-cmd";
    private static final String CUSTOMER = "5511977770000@s.whatsapp.net";
    private static final String CONVERSA = DeterministicIds.conversaId(EMPRESA, INSTANCE, CUSTOMER);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs("--chatcentral.dispatcher.enabled=false");

    private static byte[] webhook(String event, String data) {
        return ("{\"event\":\"" + event + "\",\"instance\":\"" + INSTANCE + "\",\"data\":" + data
                + ",\"sender\":\"5511999990000@s.whatsapp.net\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static AgentCommand command(String commandId, String userId, String type, String target, String text) {
        return new AgentCommand(commandId, EMPRESA, userId, List.of("atendente"), type, CONVERSA, target, text, null,
                null, Instant.now());
    }

    private static <V> List<V> values(TopicSpec<String, V> topic, int expected) {
        return stack.readAll(topic, expected, Duration.ofSeconds(2)).stream()
                .map(ConsumerRecord::value)
                .map(bytes -> topic.valueSerde().deserializer().deserialize(topic.name(), bytes))
                .toList();
    }

    private static List<RealtimeEvent> events(String type) {
        return values(Topics.EVENTS, Integer.MAX_VALUE).stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void shouldDecideAssignRaceTransferAndDeliverReplyOnTheRealBroker() {
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, webhook("messages.upsert", "{\"key\":{\"remoteJid\":\"" + CUSTOMER
                + "\",\"fromMe\":false,\"id\":\"CUST-1\"},\"pushName\":\"Maria\",\"message\":{\"conversation\":"
                + "\"Oi\"},\"messageType\":\"conversation\",\"messageTimestamp\":1761057639}"));
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(Signal.SESSION_OPENED, "node-1", 1L, "s-bia", EMPRESA, "bia",
                "Bia Lima", null, null, Instant.now()));
        await().atMost(WAIT).until(() -> !events(EventType.MESSAGE_NOTIFICATION).isEmpty());

        CompletableFuture<Void> ana = CompletableFuture.runAsync(() ->
                stack.send(Topics.COMMANDS, EMPRESA, command("ana-assign", "ana", AgentCommand.ASSIGN, null, null)));
        CompletableFuture<Void> bia = CompletableFuture.runAsync(() ->
                stack.send(Topics.COMMANDS, EMPRESA, command("bia-assign", "bia", AgentCommand.ASSIGN, null, null)));
        CompletableFuture.allOf(ana, bia).join();

        await().atMost(WAIT).until(() -> events(EventType.COMMAND_REJECTED).size() == 1);
        RealtimeEvent rejected = events(EventType.COMMAND_REJECTED).get(0);
        assertThat(rejected.data().path("reason").stringValue()).isEqualTo("already_assigned");
        String loser = rejected.channels().get(0).substring("atendente:".length());
        String winner = loser.equals("ana") ? "bia" : "ana";
        assertThat(events(EventType.CONVERSATION_UPDATED)).extracting(e -> e.data().path("conversa")
                .path("atendenteId").stringValue()).containsExactly(null, winner);

        stack.send(Topics.COMMANDS, EMPRESA, command("transfer-1", winner, AgentCommand.TRANSFER, loser, null));
        await().atMost(WAIT).until(() -> events(EventType.CONVERSATION_TRANSFERRED).size() == 1);
        assertThat(events(EventType.CONVERSATION_TRANSFERRED).get(0).channels())
                .containsExactly("atendente:" + loser, "empresa:" + EMPRESA);

        stack.send(Topics.COMMANDS, EMPRESA, command("reply-1", loser, AgentCommand.SEND_MESSAGE, null, "Olá, Maria!"));
        await().atMost(WAIT).until(() -> values(Topics.OUTBOUND, 1).size() == 1);
        OutboundMessage outbound = values(Topics.OUTBOUND, 1).get(0);
        assertThat(outbound.number()).isEqualTo("5511977770000");
        assertThat(outbound.instance()).isEqualTo(INSTANCE);

        stack.send(Topics.OUTBOUND_RESULTS, EMPRESA, new OutboundResult(outbound.commandId(), outbound.mensagemId(),
                CONVERSA, EMPRESA, INSTANCE, OutboundResult.SENT, "3EB0AAAA", null, 1, Instant.now()));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, webhook("messages.update", "{\"keyId\":\"3EB0AAAA\",\"remoteJid\":\""
                + CUSTOMER + "\",\"fromMe\":true,\"status\":\"DELIVERY_ACK\"}"));
        await().atMost(WAIT).until(() -> values(Topics.MENSAGENS, 4).size() >= 4);
        List<Mensagem> reply = values(Topics.MENSAGENS, 4).stream()
                .filter(m -> m.mensagemId().equals(outbound.mensagemId())).toList();
        assertThat(reply).extracting(Mensagem::status).containsExactly(MensagemStatus.PENDING,
                MensagemStatus.SERVER_ACK, MensagemStatus.DELIVERY_ACK);
        assertThat(reply.get(2).keyId()).isEqualTo("3EB0AAAA");

        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.database().queryForLong(
                "SELECT count(*) FROM conversa_assignment_audit WHERE conversa_id = ?::uuid AND to_atendente_id = ?",
                CONVERSA, loser)).isEqualTo(1));
        assertThat(stack.database().queryForLong(
                "SELECT count(*) FROM conversa_assignment_audit WHERE conversa_id = ?::uuid AND to_atendente_id = ?",
                CONVERSA, winner)).isEqualTo(1);
    }
}
