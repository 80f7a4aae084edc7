package dev.chatcentral.gateway.command;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Commands through the gateway, over WebSocket and REST, against a real broker (restartable, for the outage test,
 * which runs last) and PostgreSQL: what lands on {@code chat.commands}, and what is refused before it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandIntegrationTest {

    private static final String EMPRESA_A = "emp-a";
    private static final String EMPRESA_B = "emp-b";
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final TopicPartition PARTITION_A = new TopicPartition(Topics.COMMANDS.name(),
            EmpresaPartition.of(EMPRESA_A, TopicCatalog.DEFAULT_PARTITIONS));
    private static final AtomicInteger IDS = new AtomicInteger();

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static String wsUrl;
    private static String api;
    private static String conversaA;
    private static String conversaB;
    private static final HttpClient http = HttpClient.newHttpClient();

    private final List<WebSocketTestClient> clients = new ArrayList<>();
    private KafkaConsumer<String, AgentCommand> commands;

    @BeforeAll
    static void start() {
        kafka = TestKafka.startRestartable();
        database = TestDatabase.create();
        gateway = GatewayApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user());
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        wsUrl = "ws://127.0.0.1:" + port + "/ws";
        api = "http://127.0.0.1:" + port;
        conversaA = database.seedConversa(EMPRESA_A);
        conversaB = database.seedConversa(EMPRESA_B);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        database.close();
        kafka.close();
    }

    /** Reads empresa A's partition of chat.commands from what the test writes on. */
    @BeforeEach
    void positionAtEnd() {
        commands = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.COMMANDS.keySerde().deserializer(), Topics.COMMANDS.valueSerde().deserializer());
        commands.assign(List.of(PARTITION_A));
        commands.seekToEnd(List.of(PARTITION_A));
        commands.position(PARTITION_A);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebSocketTestClient::close);
        commands.close();
    }

    @Test
    @Order(1)
    void shouldWriteEveryCommandTypeFromWebSocketWithUserRolesAndEmpresaOfTheToken() {
        WebSocketTestClient client = connect(AgentTokens.mint(AgentTokens.DEV_SECRET, "ana", EMPRESA_A,
                List.of("supervisor", "atendente"), Instant.now().plusSeconds(600)));
        List<ObjectNode> sent = everyCommandType();
        Instant before = Instant.now();

        for (ObjectNode command : sent) {
            client.send(Json.MAPPER.writeValueAsString(spoofed(command.deepCopy().put("type", "command"))));
        }

        for (ObjectNode command : sent) {
            client.awaitFrame(f -> "command_accepted".equals(f.path("type").asString())
                    && command.path("commandId").asString().equals(f.path("commandId").asString()), WITHIN);
        }
        assertThat(client.framesOfType("error")).isEmpty();
        assertWritten(readThrough(sent.get(sent.size() - 1).path("commandId").asString()), sent, "ana",
                List.of("atendente", "supervisor"), before);
    }

    @Test
    @Order(2)
    void shouldWriteEveryCommandTypeFromRestWithUserRolesAndEmpresaOfTheToken() {
        String token = AgentTokens.atendente("bia", EMPRESA_A);
        List<ObjectNode> sent = everyCommandType();
        Instant before = Instant.now();

        for (ObjectNode command : sent) {
            HttpResponse<String> answer = post(token, Json.MAPPER.writeValueAsString(spoofed(command.deepCopy())));

            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(json(answer).path("commandId").asString()).isEqualTo(command.path("commandId").asString());
            assertThat(json(answer).path("status").asString()).isEqualTo("accepted");
        }

        assertWritten(readThrough(sent.get(sent.size() - 1).path("commandId").asString()), sent, "bia",
                List.of("atendente"), before);
    }

    @Test
    @Order(3)
    void shouldRefuseEachBadShapeOverWebSocketWithBadCommandAndItsCommandIdAndWriteNothing() {
        WebSocketTestClient client = connect(AgentTokens.atendente("ana", EMPRESA_A));
        List<ObjectNode> bad = badCommands();

        for (ObjectNode command : bad) {
            client.send(Json.MAPPER.writeValueAsString(command.deepCopy().put("type", "command")));
        }
        String sentinel = sendSentinelOverWebSocket(client);

        List<JsonNode> errors = client.framesOfType("error");
        assertThat(errors).hasSize(bad.size()).allMatch(f -> "bad_command".equals(f.path("code").asString()));
        for (int i = 0; i < bad.size(); i++) {
            JsonNode commandId = bad.get(i).get("commandId");
            if (commandId != null && commandId.isString()) {
                assertThat(errors.get(i).path("commandId").asString()).isEqualTo(commandId.stringValue());
            } else {
                assertThat(errors.get(i).has("commandId")).isFalse();
            }
            assertThat(errors.get(i).path("message").asString()).isNotBlank();
        }
        assertThat(client.framesOfType("command_accepted")).hasSize(1);
        assertThat(readThrough(sentinel)).extracting(r -> r.value().commandId()).containsExactly(sentinel);
    }

    @Test
    @Order(4)
    void shouldRefuseEachBadShapeOverRestWith400BadCommandAndWriteNothing() {
        String token = AgentTokens.atendente("ana", EMPRESA_A);
        List<String> bodies = new ArrayList<>(badCommands().stream().map(Json.MAPPER::writeValueAsString).toList());
        badReactionsAndDeletions().stream().map(Json.MAPPER::writeValueAsString).forEach(bodies::add);
        bodies.addAll(List.of("", "not json", "[]", "\"transfer\"", "{\"commandId\":"));

        for (String body : bodies) {
            HttpResponse<String> answer = post(token, body);

            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(json(answer).path("error").asString()).isEqualTo("bad_command");
            assertThat(json(answer).path("reason").asString()).isNotBlank();
        }
        HttpResponse<String> tooLarge = post(token, "{\"text\":\"" + "a".repeat(70_000) + "\"}");
        HttpResponse<String> noToken = http(HttpRequest.newBuilder(URI.create(api + "/api/v1/commands"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(assign(id()))))
                .header("Content-Type", "application/json"));
        String sentinel = id();
        assertThat(post(token, Json.MAPPER.writeValueAsString(assign(sentinel))).statusCode()).isEqualTo(202);

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("error").asString()).isEqualTo("too_large");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(json(noToken).path("error").asString()).isEqualTo("unauthorized");
        assertThat(readThrough(sentinel)).extracting(r -> r.value().commandId()).containsExactly(sentinel);
    }

    @Test
    @Order(4)
    void shouldTakeAnotherEmpresasReactionAndDeletionAfterHostileOnesOfThisEmpresa() {
        WebSocketTestClient hostile = connect(AgentTokens.atendente("ana", EMPRESA_A));
        WebSocketTestClient other = connect(AgentTokens.atendente("caio", EMPRESA_B));
        List<ObjectNode> bad = badReactionsAndDeletions();
        String mensagemB = UUID.randomUUID().toString();
        String reactB = id();
        String deleteB = id();

        for (ObjectNode command : bad) {
            hostile.send(Json.MAPPER.writeValueAsString(command.deepCopy().put("type", "command")));
        }
        other.send(Json.MAPPER.writeValueAsString(command(reactB, AgentCommand.REACT).put("conversaId", conversaB)
                .put("mensagemId", mensagemB).put("emoji", "\uD83D\uDC4D").put("type", "command")));
        HttpResponse<String> deleted = post(AgentTokens.atendente("caio", EMPRESA_B), Json.MAPPER.writeValueAsString(
                command(deleteB, AgentCommand.DELETE).put("conversaId", conversaB).put("mensagemId", mensagemB)));

        other.awaitFrame(f -> "command_accepted".equals(f.path("type").asString())
                && reactB.equals(f.path("commandId").asString()), WITHIN);
        assertThat(deleted.statusCode()).isEqualTo(202);
        String sentinel = sendSentinelOverWebSocket(hostile);
        assertThat(hostile.framesOfType("error")).hasSize(bad.size())
                .allMatch(f -> "bad_command".equals(f.path("code").asString()));
        assertThat(other.framesOfType("error")).isEmpty();
        assertThat(readThrough(sentinel)).extracting(r -> r.value().commandId()).containsExactly(sentinel);
    }

    @Test
    @Order(4)
    void shouldLetBrowserOfAllowedOriginPostACommandWithJsonContentType() {
        HttpResponse<String> preflight = http(HttpRequest.newBuilder(URI.create(api + "/api/v1/commands"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://console.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://console.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                .containsIgnoringCase("authorization").containsIgnoringCase("content-type");
    }

    @Test
    @Order(5)
    void shouldRefuseCommandOnAnotherEmpresasOrUnknownConversaLikeAMissingOneAndWriteNothing() {
        String token = AgentTokens.atendente("ana", EMPRESA_A);
        WebSocketTestClient client = connect(token);
        ObjectNode onOther = assign("other-1").put("conversaId", conversaB);
        ObjectNode onUnknown = assign("unknown-1").put("conversaId", UUID.randomUUID().toString());

        client.send(Json.MAPPER.writeValueAsString(onOther.deepCopy().put("type", "command")));
        client.send(Json.MAPPER.writeValueAsString(onUnknown.deepCopy().put("type", "command")));
        HttpResponse<String> otherOverRest = post(token, Json.MAPPER.writeValueAsString(onOther));
        HttpResponse<String> unknownOverRest = post(token, Json.MAPPER.writeValueAsString(onUnknown));
        String sentinel = sendSentinelOverWebSocket(client);

        assertThat(client.framesOfType("error")).extracting(f -> f.path("code").asString() + " " + f.path(
                "commandId").asString()).containsExactly("forbidden other-1", "forbidden unknown-1");
        assertThat(otherOverRest.statusCode()).isEqualTo(404);
        assertThat(json(otherOverRest).path("error").asString()).isEqualTo("not_found");
        assertThat(otherOverRest.body()).isEqualTo(unknownOverRest.body()).doesNotContain(conversaB);
        assertThat(readThrough(sentinel)).extracting(r -> r.value().commandId()).containsExactly(sentinel);
    }

    @Test
    @Order(6)
    void shouldAnswerCommandAcceptedOnlyOnceKafkaHasTheCommand() {
        WebSocketTestClient client = connect(AgentTokens.atendente("ana", EMPRESA_A));
        String token = AgentTokens.atendente("ana", EMPRESA_A);

        for (int i = 0; i < 3; i++) {
            long end = endOffset();
            String overWebSocket = id();
            client.send(Json.MAPPER.writeValueAsString(assign(overWebSocket).put("type", "command")));
            client.awaitFrame(f -> "command_accepted".equals(f.path("type").asString())
                    && overWebSocket.equals(f.path("commandId").asString()), WITHIN);
            // read at once, without waiting: an acknowledgement with acks=all means the record is readable
            assertThat(endOffset()).isGreaterThan(end);

            end = endOffset();
            assertThat(post(token, Json.MAPPER.writeValueAsString(assign(id()))).statusCode()).isEqualTo(202);
            assertThat(endOffset()).isGreaterThan(end);
        }
    }

    @Test
    @Order(7)
    void shouldCountCommandFramesAgainstTheClientFrameRateLimit() {
        WebSocketTestClient client = connect(AgentTokens.atendente("ana", EMPRESA_A));
        int sent = 60;

        for (int i = 0; i < sent; i++) {
            client.send("{\"type\":\"command\",\"commandId\":\"bad id " + i + "\"}");
        }

        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == sent);
        List<String> codes = client.framesOfType("error").stream().map(f -> f.path("code").asString()).toList();
        assertThat(codes).contains("rate_limited").containsOnly("bad_command", "rate_limited");
        assertThat(codes.stream().filter("bad_command"::equals).count()).isLessThan(sent);
    }

    @Test
    @Order(8)
    void shouldAnswerUnavailableWhenKafkaIsAwayAndAcceptTheSameCommandIdOnceItIsBack() {
        WebSocketTestClient client = connect(AgentTokens.atendente("ana", EMPRESA_A));
        String token = AgentTokens.atendente("ana", EMPRESA_A);
        String overWebSocket = id();
        String overRest = id();
        kafka.stopBroker();
        try {
            long asked = System.nanoTime();
            client.send(Json.MAPPER.writeValueAsString(assign(overWebSocket).put("type", "command")));
            HttpResponse<String> refused = post(token, Json.MAPPER.writeValueAsString(assign(overRest)));

            JsonNode error = client.awaitFrame(f -> overWebSocket.equals(f.path("commandId").asString()), WITHIN);
            assertThat(error.path("type").asString()).isEqualTo("error");
            assertThat(error.path("code").asString()).isEqualTo("unavailable");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused).path("error").asString()).isEqualTo("unavailable");
            // both waited for the 2 s ack timeout, one after the other, not for Kafka's own defaults
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(8));
        } finally {
            kafka.startBroker();
        }

        await().atMost(Duration.ofSeconds(60)).until(() ->
                post(token, Json.MAPPER.writeValueAsString(assign(overRest))).statusCode() == 202);
        client.send(Json.MAPPER.writeValueAsString(assign(overWebSocket).put("type", "command")));
        client.awaitFrame(f -> "command_accepted".equals(f.path("type").asString())
                && overWebSocket.equals(f.path("commandId").asString()), Duration.ofSeconds(30));
        assertThat(readThrough(overWebSocket)).extracting(r -> r.value().commandId()).contains(overRest);
    }

    /** One of each type, transfer both to an atendente and back to the queue, send_message at its longest. */
    private static List<ObjectNode> everyCommandType() {
        String quoted = UUID.randomUUID().toString();
        String failed = UUID.randomUUID().toString();
        return List.of(
                command(id(), AgentCommand.TRANSFER).put("targetAtendenteId", "bia"),
                command(id(), AgentCommand.TRANSFER).putNull("targetAtendenteId"),
                assign(id()),
                // fields of other types are ignored, and not forwarded
                command(id(), AgentCommand.CLOSE).put("text", "ignored").put("mensagemId", failed),
                command(id(), AgentCommand.REOPEN),
                command(id(), AgentCommand.SEND_MESSAGE).put("text", "Olá, como posso ajudar?")
                        .put("quotedMensagemId", quoted.toUpperCase()),
                // 4096 characters that are 8192 UTF-16 units: the limit counts what a person sees
                command(id(), AgentCommand.SEND_MESSAGE).put("text", "\uD83D\uDE00".repeat(4096)),
                command(id(), AgentCommand.RESEND).put("mensagemId", failed),
                // a family: seven code points joined into one emoji
                command(id(), AgentCommand.REACT).put("mensagemId", quoted)
                        .put("emoji", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"),
                // empty removes the empresa's reaction
                command(id(), AgentCommand.REACT).put("mensagemId", quoted).put("emoji", "").put("text", "ignored"),
                command(id(), AgentCommand.DELETE).put("mensagemId", quoted).put("emoji", "ignored"));
    }

    /** Malformed commands, each with one fault, in an otherwise valid command. */
    private static List<ObjectNode> badCommands() {
        List<ObjectNode> bad = new ArrayList<>();
        bad.add((ObjectNode) assign("x").without("commandId"));
        bad.add(assign(""));
        bad.add(assign("c".repeat(65)));
        bad.add(assign("has space"));
        bad.add(assign("x").put("commandId", 42));
        bad.add(command(id(), "dance"));
        bad.add((ObjectNode) assign(id()).without("command"));
        bad.add(assign(id()).put("conversaId", "not-a-uuid"));
        bad.add(assign(id()).put("conversaId", "1-1-1-1-1"));
        bad.add((ObjectNode) assign(id()).without("conversaId"));
        bad.add(command(id(), AgentCommand.TRANSFER));
        bad.add(command(id(), AgentCommand.TRANSFER).put("targetAtendenteId", " "));
        bad.add(command(id(), AgentCommand.TRANSFER).put("targetAtendenteId", "ana:x"));
        bad.add(command(id(), AgentCommand.TRANSFER).put("targetAtendenteId", 7));
        bad.add(command(id(), AgentCommand.SEND_MESSAGE));
        bad.add(command(id(), AgentCommand.SEND_MESSAGE).put("text", " \n\t "));
        bad.add(command(id(), AgentCommand.SEND_MESSAGE).put("text", "a".repeat(4097)));
        bad.add(command(id(), AgentCommand.SEND_MESSAGE).put("text", "oi").put("quotedMensagemId", "x"));
        bad.add(command(id(), AgentCommand.RESEND));
        bad.add(command(id(), AgentCommand.RESEND).put("mensagemId", "x"));
        return bad;
    }

    /** Malformed react and delete commands: missing or mistyped fields, an emoji too long or unprintable. */
    private static List<ObjectNode> badReactionsAndDeletions() {
        String mensagemId = UUID.randomUUID().toString();
        return List.of(
                command(id(), AgentCommand.REACT).put("emoji", "\uD83D\uDC4D"),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).putNull("emoji"),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", 128077),
                (ObjectNode) command(id(), AgentCommand.REACT).put("mensagemId", mensagemId)
                        .set("emoji", Json.MAPPER.createArrayNode().add("\uD83D\uDC4D")),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", "\uD83D\uDC4D".repeat(65)),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", "\uD83D\uDC4D".repeat(10_000)),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", "\uD83D\uDC4D\u0000"),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", "\u0000"),
                command(id(), AgentCommand.REACT).put("mensagemId", mensagemId).put("emoji", "\uD83D\uDC4D\n"),
                command(id(), AgentCommand.REACT).put("mensagemId", 42).put("emoji", "\uD83D\uDC4D"),
                command(id(), AgentCommand.REACT).put("mensagemId", "x").put("emoji", "\uD83D\uDC4D"),
                command(id(), AgentCommand.DELETE),
                command(id(), AgentCommand.DELETE).putNull("mensagemId"),
                command(id(), AgentCommand.DELETE).put("mensagemId", true),
                command(id(), AgentCommand.DELETE).put("mensagemId", "1-1-1-1-1"),
                command(id(), AgentCommand.DELETE).put("mensagemId", "x".repeat(10_000)));
    }

    /** What the client cannot decide, sent anyway: the gateway takes it from the token. */
    private static ObjectNode spoofed(ObjectNode command) {
        command.put("userId", "mallory").put("empresaId", EMPRESA_B).put("issuedAt", "2020-01-01T00:00:00Z")
                .putArray("roles").add("admin");
        return command;
    }

    private void assertWritten(List<ConsumerRecord<String, AgentCommand>> records, List<ObjectNode> sent,
                               String userId, List<String> roles, Instant before) {
        assertThat(records).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            ObjectNode expected = sent.get(i);
            ConsumerRecord<String, AgentCommand> record = records.get(i);
            AgentCommand command = record.value();
            String type = expected.path("command").asString();
            assertThat(record.key()).isEqualTo(EMPRESA_A);
            assertThat(command.commandId()).isEqualTo(expected.path("commandId").asString());
            assertThat(command.empresaId()).isEqualTo(EMPRESA_A);
            assertThat(command.userId()).isEqualTo(userId);
            assertThat(command.roles()).isEqualTo(roles);
            assertThat(command.type()).isEqualTo(type);
            assertThat(command.conversaId()).isEqualTo(conversaA);
            assertThat(command.issuedAt()).isBetween(before, Instant.now());
            assertThat(command.targetAtendenteId())
                    .isEqualTo(type.equals(AgentCommand.TRANSFER) ? field(expected, "targetAtendenteId") : null);
            assertThat(command.text())
                    .isEqualTo(type.equals(AgentCommand.SEND_MESSAGE) ? field(expected, "text") : null);
            String quoted = field(expected, "quotedMensagemId");
            assertThat(command.quotedMensagemId()).isEqualTo(type.equals(AgentCommand.SEND_MESSAGE) && quoted != null
                    ? quoted.toLowerCase() : null);
            assertThat(command.mensagemId()).isEqualTo(List.of(AgentCommand.RESEND, AgentCommand.REACT,
                    AgentCommand.DELETE).contains(type) ? field(expected, "mensagemId") : null);
            assertThat(command.emoji()).isEqualTo(type.equals(AgentCommand.REACT) ? field(expected, "emoji") : null);
        }
    }

    /** The string field, or null when absent or null. */
    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.stringValue();
    }

    private static ObjectNode assign(String commandId) {
        return command(commandId, AgentCommand.ASSIGN);
    }

    /** A command on empresa A's conversa; the conversa id in upper case, which the gateway normalizes. */
    private static ObjectNode command(String commandId, String type) {
        return Json.MAPPER.createObjectNode().put("commandId", commandId).put("command", type)
                .put("conversaId", conversaA.toUpperCase());
    }

    private static String id() {
        return "cmd-" + IDS.incrementAndGet() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends a valid command after the ones under test and waits for its acceptance, which follows their answers. */
    private static String sendSentinelOverWebSocket(WebSocketTestClient client) {
        String sentinel = id();
        client.send(Json.MAPPER.writeValueAsString(assign(sentinel).put("type", "command")));
        client.awaitFrame(f -> "command_accepted".equals(f.path("type").asString())
                && sentinel.equals(f.path("commandId").asString()), WITHIN);
        return sentinel;
    }

    /** Every command written since the test began, up to and including the one with {@code commandId}. */
    private List<ConsumerRecord<String, AgentCommand>> readThrough(String commandId) {
        List<ConsumerRecord<String, AgentCommand>> read = new ArrayList<>();
        await().atMost(WITHIN).until(() -> {
            commands.poll(Duration.ofMillis(100)).forEach(read::add);
            return read.stream().anyMatch(r -> commandId.equals(r.value().commandId()));
        });
        return read.subList(0, read.indexOf(read.stream().filter(r -> commandId.equals(r.value().commandId()))
                .findFirst().orElseThrow()) + 1);
    }

    private long endOffset() {
        return commands.endOffsets(List.of(PARTITION_A)).get(PARTITION_A);
    }

    private WebSocketTestClient connect(String token) {
        WebSocketTestClient client = WebSocketTestClient.connect(wsUrl, token);
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    private static HttpResponse<String> post(String token, String body) {
        return http(HttpRequest.newBuilder(URI.create(api + "/api/v1/commands"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(WITHIN).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }
}
