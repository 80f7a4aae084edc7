package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Atendentes' commands end to end (issue 5): a frame on the WebSocket, through chat.commands and the conversa
 * topology, back to the browsers as events; the assign race decided once, the loser told on its own channel.
 */
@ExtendWith(TestInfrastructure.Available.class)
class CommandsEndToEndTest {

    private static final String EMPRESA = "emp-cmd";
    private static final String INSTANCE = "loja-cmd-01";
    private static final String SECRET = "segredo-cmd";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static ChatCentralStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new ChatCentralStack();
        stack.database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldAssignTheConversaToExactlyOneOfTwoAtendentesAndTellTheOtherWhy() throws Exception {
        String conversaId = newConversa("5511944443333");
        try (WebSocketTestClient ana = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                AgentTokens.atendente("ana", EMPRESA));
             WebSocketTestClient bruno = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                     AgentTokens.atendente("bruno", EMPRESA))) {
            ana.subscribe("empresa:" + EMPRESA);
            ana.subscribe("atendente:ana");
            bruno.subscribe("atendente:bruno");

            ana.send(command("assign-ana", conversaId));
            bruno.send(command("assign-bruno", conversaId));
            ana.awaitFrame(f -> "command_accepted".equals(f.path("type").asString()), WITHIN);
            bruno.awaitFrame(f -> "command_accepted".equals(f.path("type").asString()), WITHIN);

            JsonNode updated = ana.awaitFrame(f -> EventType.CONVERSATION_UPDATED.equals(f.path("type").asString())
                    && !f.path("data").path("conversa").path("atendenteId").isNull()
                    && conversaId.equals(f.path("data").path("conversa").path("conversaId").asString()), WITHIN);
            String winner = updated.path("data").path("conversa").path("atendenteId").asString();
            assertThat(winner).isIn("ana", "bruno");
            assertThat(updated.path("data").path("conversa").path("status").asString()).isEqualTo("em_atendimento");

            WebSocketTestClient loser = "ana".equals(winner) ? bruno : ana;
            JsonNode rejected = loser.awaitFrame(f -> EventType.COMMAND_REJECTED.equals(f.path("type").asString()),
                    WITHIN);
            assertThat(rejected.path("data").path("reason").asString()).isEqualTo("already_assigned");
            assertThat(rejected.path("channel").asString()).isEqualTo("atendente:" + ("ana".equals(winner) ? "bruno" : "ana"));
        }
    }

    private static String command(String commandId, String conversaId) {
        return "{\"type\":\"command\",\"commandId\":\"" + commandId + "\",\"command\":\"assign\",\"conversaId\":\""
                + conversaId + "\"}";
    }

    /** A customer writes in: the conversa exists in Kafka and, once the sink wrote it, in PostgreSQL. */
    private static String newConversa(String phone) throws Exception {
        HttpResponse<String> posted = stack.postWebhook(EMPRESA, SECRET, EvolutionPayloads.customerText(INSTANCE,
                phone, "Cliente", "Quero ajuda", EvolutionPayloads.newKeyId(), 1761059000L).toString());
        assertThat(posted.statusCode()).isEqualTo(200);
        String jid = phone + "@s.whatsapp.net";
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (stack.database.queryForLong("SELECT count(*) FROM conversa WHERE remote_jid = ?", jid) == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        return stack.database.queryForString("SELECT id::text FROM conversa WHERE remote_jid = ?", jid);
    }
}
