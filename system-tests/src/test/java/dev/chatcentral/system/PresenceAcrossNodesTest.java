package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Presence and typing with two gateway nodes on one broker (issue 7): a user is online while any of their
 * sessions, on any node, is open; a node going away does not take them offline while another holds them; with
 * every session gone they are offline within 15 s; typing on one node reaches a client of the other.
 */
@ExtendWith(TestInfrastructure.Available.class)
class PresenceAcrossNodesTest {

    private static final String EMPRESA = "emp-presence";
    private static final String INSTANCE = "loja-presence-01";
    private static final String SECRET = "segredo-presence";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static ChatCentralStack stack;
    private static ConfigurableApplicationContext secondNode;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new ChatCentralStack();
        stack.database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
        secondNode = stack.startGateway();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldKeepAUserOnlineWhileAnyNodeHoldsASessionAndTakeThemOfflineWithin15sOnceNoneDoes() {
        String ana = "ana-" + UUID.randomUUID().toString().substring(0, 6);
        ConfigurableApplicationContext firstNode = stack.startGateway();
        try (WebSocketTestClient observer = WebSocketTestClient.connect(ChatCentralStack.wsUrl(secondNode),
                AgentTokens.atendente("observer", EMPRESA))) {
            observer.subscribe("presence:" + EMPRESA);
            WebSocketTestClient onFirst = WebSocketTestClient.connect(ChatCentralStack.wsUrl(firstNode),
                    AgentTokens.atendente(ana, EMPRESA));
            WebSocketTestClient onSecond = WebSocketTestClient.connect(ChatCentralStack.wsUrl(secondNode),
                    AgentTokens.atendente(ana, EMPRESA));
            observer.awaitFrame(f -> isPresence(f, ana, true), WITHIN);

            stack.stop(firstNode);
            onFirst.close();
            // past the grace period (3 s) and a cleanup pass: a flap offline would have been emitted by now
            sleep(Duration.ofSeconds(6));
            assertThat(observer.frames()).noneMatch(f -> isPresence(f, ana, false));

            long closedAt = System.nanoTime();
            onSecond.close();
            observer.awaitFrame(f -> isPresence(f, ana, false), WITHIN);
            assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void shouldShowTypingOnOneNodeToAClientOfTheOther() throws Exception {
        String keyId = EvolutionPayloads.newKeyId();
        HttpResponse<String> posted = stack.postWebhook(EMPRESA, SECRET, EvolutionPayloads.customerText(INSTANCE,
                "5511955554444", "Rita", "Olá", keyId, 1761058000L).toString());
        assertThat(posted.statusCode()).isEqualTo(200);
        String conversaId = awaitConversaRow("5511955554444@s.whatsapp.net");

        try (WebSocketTestClient typist = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                AgentTokens.atendente("bia", EMPRESA));
             WebSocketTestClient watcher = WebSocketTestClient.connect(ChatCentralStack.wsUrl(secondNode),
                     AgentTokens.atendente("caio", EMPRESA))) {
            watcher.subscribe("conversa:" + conversaId);
            typist.send("{\"type\":\"typing_start\",\"conversaId\":\"" + conversaId + "\"}");

            JsonNode typing = watcher.awaitFrame(f -> EventType.TYPING_START.equals(f.path("type").asString())
                    && "bia".equals(f.path("data").path("userId").asString()), WITHIN);
            assertThat(typing.path("channel").asString()).isEqualTo("conversa:" + conversaId);

            typist.send("{\"type\":\"typing_stop\",\"conversaId\":\"" + conversaId + "\"}");
            watcher.awaitFrame(f -> EventType.TYPING_STOP.equals(f.path("type").asString())
                    && "bia".equals(f.path("data").path("userId").asString()), WITHIN);
        }
    }

    private static boolean isPresence(JsonNode frame, String userId, boolean online) {
        JsonNode data = frame.path("data");
        if ("presence_snapshot".equals(frame.path("type").asString())) {
            boolean listed = false;
            for (JsonNode entry : data.path("online")) {
                listed |= userId.equals(entry.path("userId").asString());
            }
            return online && listed;
        }
        return EventType.PRESENCE_UPDATE.equals(frame.path("type").asString())
                && userId.equals(data.path("userId").asString()) && data.path("online").asBoolean() == online;
    }

    private static String awaitConversaRow(String remoteJid) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.database.queryForLong("SELECT count(*) FROM conversa WHERE remote_jid = ?", remoteJid) == 1) {
                return stack.database.queryForString("SELECT id::text FROM conversa WHERE remote_jid = ?", remoteJid);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("no conversa row for " + remoteJid);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
