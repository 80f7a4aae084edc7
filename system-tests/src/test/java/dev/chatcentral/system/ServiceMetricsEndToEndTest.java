package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * A supervisor's live service figures end to end (issue 16): a customer's webhook through the pipeline to
 * {@code chat.conversas} and {@code chat.mensagens}, the analytics tap turning them into the empresa's figures on
 * {@code chat.service.metrics}, and the gateway serving them over REST and pushing them as {@code service_metrics}
 * events on the empresa's channel: a customer waiting, then answered, as it happens; another empresa sees none of it.
 */
@ExtendWith(TestInfrastructure.Available.class)
class ServiceMetricsEndToEndTest {

    private static final String EMPRESA = "emp-sla";
    private static final String OTHER = "emp-sla-other";
    private static final String INSTANCE = "loja-sla-01";
    private static final String SECRET = "segredo-sla";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient http = HttpClient.newHttpClient();

    private static ChatCentralStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new ChatCentralStack();
        stack.database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
        stack.database.seedEmpresa(OTHER, "loja-sla-02", "segredo-sla-2");
        stack.startAnalytics(Duration.ofSeconds(1));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldShowASupervisorTheirEmpresasWaitingCustomerAndFirstResponseLive() throws Exception {
        try (WebSocketTestClient supervisor = WebSocketTestClient.connect(stack.gatewayWsUrl(), supervisor(EMPRESA));
             WebSocketTestClient otherSupervisor = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                     supervisor(OTHER));
             WebSocketTestClient ana = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                     AgentTokens.atendente("ana", EMPRESA))) {
            supervisor.subscribe("empresa:" + EMPRESA);
            otherSupervisor.subscribe("empresa:" + OTHER);

            String conversaId = customerWritesIn("5511955556666");
            JsonNode waiting = supervisor.awaitFrame(f -> isFigures(f) && f.path("data").path("waiting").asInt() == 1,
                    WITHIN);
            assertThat(waiting.has("position")).isFalse();
            assertThat(waiting.path("data").path("empresaId").asString()).isEqualTo(EMPRESA);
            JsonNode served = figures(supervisor(EMPRESA));
            assertThat(served.path("empresaId").asString()).isEqualTo(EMPRESA);
            assertThat(served.path("ts").isNull()).isFalse();

            ana.send(command("assign-sla", "assign", conversaId, null));
            ana.send(command("reply-sla", "send_message", conversaId, "\"text\":\"Olá, em que posso ajudar?\""));
            // the hour's window: the customer's mensagem and the reply can fall in two different minutes
            JsonNode answered = supervisor.awaitFrame(f -> isFigures(f) && f.path("data").path("waiting").asInt() == 0
                    && hour(f).path("empresa").path("firstResponses").asInt() == 1, WITHIN);
            JsonNode figures = hour(answered).path("empresa");
            assertThat(figures.path("assigned").asInt()).isEqualTo(1);
            assertThat(figures.path("mensagensIn").asInt()).isEqualTo(1);
            assertThat(figures.path("mensagensOut").asInt()).isEqualTo(1);
            assertThat(figures.path("firstResponseMsSum").asLong()).isPositive();
            assertThat(answered.path("data").path("atendentes")).extracting(a -> a.path("atendenteId").asString())
                    .containsExactly("ana");

            // the other empresa's supervisor saw none of it, and its figures over REST are its own (none yet)
            assertThat(otherSupervisor.frames()).filteredOn(ServiceMetricsEndToEndTest::isFigures)
                    .allMatch(f -> OTHER.equals(f.path("data").path("empresaId").asString()));
            JsonNode others = figures(supervisor(OTHER));
            assertThat(others.path("waiting").asInt()).isZero();
            assertThat(others.path("windows")).isEmpty();
        }
    }

    private static boolean isFigures(JsonNode frame) {
        return EventType.SERVICE_METRICS.equals(frame.path("type").asString());
    }

    private static JsonNode hour(JsonNode frame) {
        for (JsonNode window : frame.path("data").path("windows")) {
            if (ServiceMetrics.HOUR.equals(window.path("size").asString())) {
                return window;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    private static JsonNode figures(String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                        + "/api/v1/metrics/service")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static String supervisor(String empresaId) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, "sup-" + empresaId, empresaId, List.of("supervisor"),
                Instant.now().plusSeconds(3600));
    }

    private static String command(String commandId, String command, String conversaId, String fields) {
        return "{\"type\":\"command\",\"commandId\":\"" + commandId + "\",\"command\":\"" + command
                + "\",\"conversaId\":\"" + conversaId + "\"" + (fields == null ? "" : "," + fields) + "}";
    }

    /** A customer writes in now (the figures are by event time): the conversa, once the sink wrote it. */
    private static String customerWritesIn(String phone) throws Exception {
        HttpResponse<String> posted = stack.postWebhook(EMPRESA, SECRET, EvolutionPayloads.customerText(INSTANCE,
                phone, "Cliente", "Preciso de ajuda", EvolutionPayloads.newKeyId(), Instant.now().getEpochSecond())
                .toString());
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
