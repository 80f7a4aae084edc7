package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Issue 19 over the real processes: replies sent through the stream-processor's dispatcher to the Evolution simulator,
 * whose webhooks come back through the ingest. A slow Evolution gives one WhatsApp message and one mensagem that ends
 * delivered, its resend refused meanwhile; an open circuit makes a resend wait or be refused with the reason, and
 * the resend after it goes through once. Each scenario has its own empresa and instance, so one's circuit and
 * simulator behavior never touch the other's.
 */
@ExtendWith(TestInfrastructure.Available.class)
class UncertainRepliesEndToEndTest {

    private static final String EMPRESA_SLOW = "emp-lenta";
    private static final String INSTANCE_SLOW = "loja-lenta-01";
    private static final String SECRET_SLOW = "segredo-lenta";
    private static final String EMPRESA_DOWN = "emp-fora";
    private static final String INSTANCE_DOWN = "loja-fora-01";
    private static final String SECRET_DOWN = "segredo-fora";
    /** How long the slow instance takes to send: far beyond the dispatcher's 2 s, so the reply is UNCONFIRMED. */
    private static final Duration SLOW_SEND = Duration.ofSeconds(10);
    /** Generous: a loaded machine, Kafka round trips, the sink's batches. */
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Set<String> DELIVERED = Set.of("DELIVERY_ACK", "READ");

    private static ChatCentralStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() throws Exception {
        stack = ChatCentralStack.withEvolutionSimulator(
                "--chatcentral.dispatcher.call-timeout=2s",
                "--chatcentral.dispatcher.retry.initial-backoff=100ms",
                "--chatcentral.dispatcher.retry.max-backoff=200ms",
                // two failed calls of an instance open its circuit, for 10 s
                "--chatcentral.dispatcher.circuit.window=2",
                "--chatcentral.dispatcher.circuit.minimum-calls=2",
                "--chatcentral.dispatcher.circuit.failure-rate=50",
                "--chatcentral.dispatcher.circuit.open-for=10s",
                "--chatcentral.dispatcher.circuit.max-wait=300ms",
                "--chatcentral.dispatcher.rate-limit.permits=100",
                "--chatcentral.dispatcher.rate-limit.period=1s",
                // the lookup comes at once, long before the slow send is done: Evolution has no such message yet
                "--chatcentral.dispatcher.lookup.delay=0s",
                "--chatcentral.dispatcher.lookup.timeout=2s");
        stack.database.seedEmpresa(EMPRESA_SLOW, INSTANCE_SLOW, SECRET_SLOW);
        stack.database.seedEmpresa(EMPRESA_DOWN, INSTANCE_DOWN, SECRET_DOWN);
        HttpClient client = HttpClient.newHttpClient();
        for (String[] target : List.of(new String[] {INSTANCE_SLOW, EMPRESA_SLOW, SECRET_SLOW},
                new String[] {INSTANCE_DOWN, EMPRESA_DOWN, SECRET_DOWN})) {
            HttpResponse<String> registered = client.send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl()
                            + "/simulator/instances/" + target[0] + "/target"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"empresaId\":\"" + target[1] + "\",\"secret\":\""
                            + target[2] + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldSendASlowReplyOnceAndEndItDeliveredWhileRefusingItsResend() throws Exception {
        try (WebSocketTestClient ana = atendente("ana", EMPRESA_SLOW)) {
            String conversaId = newConversa(INSTANCE_SLOW, "5511955550001");
            assign(ana, conversaId);
            behave(INSTANCE_SLOW, "{\"mode\":\"slow\",\"delayMs\":" + SLOW_SEND.toMillis() + ",\"failures\":1}");
            String text = "Seu pedido sai hoje às 15h";

            String mensagemId = reply(ana, conversaId, "reply-slow", text);

            JsonNode unconfirmed = awaitStatus(ana, mensagemId, data -> "UNCONFIRMED".equals(status(data)));
            assertThat(unconfirmed.path("reason").asString()).isEqualTo("no_answer");
            assertThat(sentToWhatsApp(INSTANCE_SLOW, text)).as("the slow send is not done yet").isEmpty();
            ana.send(command("resend-slow", "resend", conversaId, "\"mensagemId\":\"" + mensagemId + "\""));
            assertThat(awaitRejection(ana, "resend-slow").path("reason").asString()).isEqualTo("unconfirmed");

            // the slow send is done: its send.message is linked to the reply, its receipts move it on
            JsonNode delivered = awaitStatus(ana, mensagemId, data -> DELIVERED.contains(status(data)));
            String keyId = delivered.path("keyId").asString();
            List<JsonNode> sent = sentToWhatsApp(INSTANCE_SLOW, text);
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).path("keyId").asString()).isEqualTo(keyId).startsWith("3EB0");
            assertThat(calls(INSTANCE_SLOW, "sendText")).hasSize(1);

            awaitRowsOf(conversaId, text, "status IN ('DELIVERY_ACK', 'READ') AND key_id = ? AND id = ?::uuid",
                    keyId, mensagemId);
            assertThat(rowsOf(conversaId, text, "true")).as("one mensagem for the one WhatsApp message").isEqualTo(1);
            assertThat(rowsOf(conversaId, text, "status = 'ERROR'")).isZero();
            assertThat(statusFrames(ana, mensagemId)).noneMatch(data -> "ERROR".equals(status(data)));
            assertThat(ana.framesOfType(EventType.MESSAGE_NOTIFICATION)).filteredOn(f ->
                    text.equals(f.path("data").path("mensagem").path("text").asString()))
                    .allMatch(f -> mensagemId.equals(f.path("data").path("mensagem").path("mensagemId").asString()));
        }
    }

    @Test
    void shouldTellWhyAResendWaitsForAnOpenCircuitThenSendItOnce() throws Exception {
        try (WebSocketTestClient bruno = atendente("bruno", EMPRESA_DOWN)) {
            String conversaId = newConversa(INSTANCE_DOWN, "5521966660002");
            assign(bruno, conversaId);
            behave(INSTANCE_DOWN, "{\"mode\":\"server_error\"}");
            String text = "Já estamos verificando";

            String mensagemId = reply(bruno, conversaId, "reply-down", text);

            JsonNode failed = awaitStatus(bruno, mensagemId, data -> "ERROR".equals(status(data)));
            assertThat(failed.path("reason").asString()).isNotBlank();
            assertThat(calls(INSTANCE_DOWN, "sendText")).as("the failed calls that opened the circuit")
                    .hasSizeGreaterThanOrEqualTo(2).allMatch(call -> call.path("status").intValue() == 500);
            behave(INSTANCE_DOWN, "{\"mode\":\"ok\"}");

            Instant resentAt = Instant.now();
            bruno.send(command("resend-down-1", "resend", conversaId, "\"mensagemId\":\"" + mensagemId + "\""));
            Instant retryAt = awaitInstanceUnavailable(bruno, mensagemId, "resend-down-1");
            assertThat(retryAt).isAfter(resentAt);
            await().atMost(WITHIN).untilAsserted(() -> assertThat(stack.database.queryForLong(
                    "SELECT count(*) FROM mensagem WHERE id = ?::uuid AND status = 'ERROR' "
                            + "AND status_reason = 'instance_unavailable' AND retry_at IS NOT NULL", mensagemId))
                    .isEqualTo(1));
            assertThat(sentToWhatsApp(INSTANCE_DOWN, text)).isEmpty();
            // the record now names retryAt, so the processor refuses a resend before it without calling anyone; only
            // checked with time to spare, as a very slow machine may already be past it
            if (Instant.now().plusSeconds(3).isBefore(retryAt)) {
                bruno.send(command("resend-down-early", "resend", conversaId, "\"mensagemId\":\"" + mensagemId
                        + "\""));
                JsonNode early = awaitRejection(bruno, "resend-down-early");
                assertThat(early.path("reason").asString()).isEqualTo("instance_unavailable");
                assertThat(early.path("message").asString()).isNotBlank();
            }

            await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> Instant.now().isAfter(retryAt));
            assertThat(sentToWhatsApp(INSTANCE_DOWN, text)).isEmpty();
            bruno.send(command("resend-down-2", "resend", conversaId, "\"mensagemId\":\"" + mensagemId + "\""));

            JsonNode delivered = awaitStatus(bruno, mensagemId, data -> DELIVERED.contains(status(data)));
            String keyId = delivered.path("keyId").asString();
            List<JsonNode> sent = sentToWhatsApp(INSTANCE_DOWN, text);
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).path("keyId").asString()).isEqualTo(keyId);
            awaitRowsOf(conversaId, text, "status IN ('DELIVERY_ACK', 'READ') AND key_id = ? AND id = ?::uuid "
                    + "AND status_reason IS NULL AND retry_at IS NULL", keyId, mensagemId);
            assertThat(rowsOf(conversaId, text, "true")).isEqualTo(1);
            assertThat(bruno.framesOfType(EventType.COMMAND_REJECTED)).noneMatch(f ->
                    "resend-down-2".equals(f.path("data").path("commandId").asString()));
        }
    }

    /**
     * The reason the first resend after the circuit opened did not go out, and the instant from which a resend may:
     * either the processor refused it ({@code command_rejected}, reason {@code instance_unavailable}, because the
     * reply's failure already named a {@code retryAt} still ahead), or the dispatcher found the circuit open and
     * reported it ({@code message_status} ERROR, reason {@code instance_unavailable}, with {@code retryAt}).
     */
    private static Instant awaitInstanceUnavailable(WebSocketTestClient client, String mensagemId, String commandId) {
        JsonNode outcome = client.awaitFrame(f -> isRejectionOf(f, commandId) || isStatusOf(f, mensagemId)
                && "instance_unavailable".equals(f.path("data").path("reason").asString()), WITHIN);
        if (EventType.COMMAND_REJECTED.equals(outcome.path("type").asString())) {
            assertThat(outcome.path("data").path("reason").asString()).isEqualTo("instance_unavailable");
            assertThat(outcome.path("data").path("message").asString()).isNotBlank();
            return statusFrames(client, mensagemId).stream()
                    .filter(data -> "instance_unavailable".equals(data.path("reason").asString()))
                    .map(data -> Instant.parse(data.path("retryAt").asString())).reduce((a, b) -> b).orElseThrow();
        }
        JsonNode data = outcome.path("data");
        assertThat(status(data)).isEqualTo("ERROR");
        assertThat(data.path("error").asString()).contains("unavailable").contains("try again after");
        Instant retryAt = Instant.parse(data.path("retryAt").asString());
        assertThat(retryAt).isAfter(Instant.parse(outcome.path("ts").asString()));
        return retryAt;
    }

    private static WebSocketTestClient atendente(String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                AgentTokens.atendente(userId, empresaId));
        client.subscribe("empresa:" + empresaId);
        client.subscribe("atendente:" + userId);
        return client;
    }

    /** A customer writes in through the simulator: the conversa exists once the sink wrote it to PostgreSQL. */
    private String newConversa(String instance, String phone) throws Exception {
        HttpResponse<String> posted = simulator("POST", "/simulator/instances/" + instance + "/messages",
                "{\"phone\":\"" + phone + "\",\"name\":\"Cliente\",\"text\":\"Meu pedido já saiu?\"}");
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);
        String jid = phone + "@s.whatsapp.net";
        await().atMost(WITHIN).until(() -> stack.database.queryForLong(
                "SELECT count(*) FROM conversa WHERE remote_jid = ?", jid) == 1);
        return stack.database.queryForString("SELECT id::text FROM conversa WHERE remote_jid = ?", jid);
    }

    private static void assign(WebSocketTestClient client, String conversaId) {
        client.send(command("assign-" + conversaId, "assign", conversaId, null));
        client.awaitFrame(f -> EventType.CONVERSATION_UPDATED.equals(f.path("type").asString())
                && conversaId.equals(f.path("data").path("conversa").path("conversaId").asString())
                && "em_atendimento".equals(f.path("data").path("conversa").path("status").asString()), WITHIN);
    }

    /** Sends the reply and answers its mensagemId, from the PENDING mensagem the processor announced. */
    private static String reply(WebSocketTestClient client, String conversaId, String commandId, String text) {
        client.send(command(commandId, "send_message", conversaId, "\"text\":\"" + text + "\""));
        JsonNode notification = client.awaitFrame(f -> EventType.MESSAGE_NOTIFICATION.equals(f.path("type").asString())
                && f.path("data").path("mensagem").path("fromMe").asBoolean()
                && text.equals(f.path("data").path("mensagem").path("text").asString()), WITHIN);
        assertThat(notification.path("data").path("mensagem").path("status").asString()).isEqualTo("PENDING");
        return notification.path("data").path("mensagem").path("mensagemId").asString();
    }

    private static String command(String commandId, String command, String conversaId, String fields) {
        return "{\"type\":\"command\",\"commandId\":\"" + commandId + "\",\"command\":\"" + command
                + "\",\"conversaId\":\"" + conversaId + "\"" + (fields == null ? "" : "," + fields) + "}";
    }

    private static JsonNode awaitStatus(WebSocketTestClient client, String mensagemId, Predicate<JsonNode> data) {
        return client.awaitFrame(f -> isStatusOf(f, mensagemId) && data.test(f.path("data")), WITHIN).path("data");
    }

    private static JsonNode awaitRejection(WebSocketTestClient client, String commandId) {
        return client.awaitFrame(f -> isRejectionOf(f, commandId), WITHIN).path("data");
    }

    private static boolean isStatusOf(JsonNode frame, String mensagemId) {
        return EventType.MESSAGE_STATUS.equals(frame.path("type").asString())
                && mensagemId.equals(frame.path("data").path("mensagemId").asString());
    }

    private static boolean isRejectionOf(JsonNode frame, String commandId) {
        return EventType.COMMAND_REJECTED.equals(frame.path("type").asString())
                && commandId.equals(frame.path("data").path("commandId").asString());
    }

    private static List<JsonNode> statusFrames(WebSocketTestClient client, String mensagemId) {
        return client.frames().stream().filter(f -> isStatusOf(f, mensagemId)).map(f -> f.path("data")).toList();
    }

    private static String status(JsonNode data) {
        return data.path("status").asString();
    }

    private static void awaitRowsOf(String conversaId, String text, String condition, Object... args) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(rowsOf(conversaId, text, condition, args))
                .isEqualTo(1));
    }

    /** The conversa's company mensagens with this text that also meet the condition. */
    private static long rowsOf(String conversaId, String text, String condition, Object... args) {
        Object[] all = new Object[args.length + 2];
        all[0] = conversaId;
        all[1] = text;
        System.arraycopy(args, 0, all, 2, args.length);
        return stack.database.queryForLong("SELECT count(*) FROM mensagem WHERE conversa_id = ?::uuid AND from_me "
                + "AND text = ? AND " + condition, all);
    }

    /** What WhatsApp received: the simulator's sendText calls with this text that it answered 201. */
    private List<JsonNode> sentToWhatsApp(String instance, String text) {
        return calls(instance, "sendText").stream().filter(call -> call.path("status").intValue() == 201
                && text.equals(call.path("text").asString())).toList();
    }

    private List<JsonNode> calls(String instance, String kind) {
        HttpResponse<String> answer = simulator("GET", "/simulator/instances/" + instance + "/calls?kind=" + kind,
                null);
        assertThat(answer.statusCode()).isEqualTo(200);
        List<JsonNode> calls = new ArrayList<>();
        Json.MAPPER.readTree(answer.body()).forEach(calls::add);
        return calls;
    }

    private void behave(String instance, String behavior) {
        HttpResponse<String> answer = simulator("PUT", "/simulator/instances/" + instance + "/behavior", behavior);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private HttpResponse<String> simulator(String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + path))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }
}
