package dev.chatcentral.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.metrics.ServiceMetrics.AtendenteFigures;
import dev.chatcentral.schemas.metrics.ServiceMetrics.AtendenteLoad;
import dev.chatcentral.schemas.metrics.ServiceMetrics.Figures;
import dev.chatcentral.schemas.metrics.ServiceMetrics.Window;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * The gateway's side of the analytics tap (issue 16), on a real broker: the test writes {@code chat.service.metrics}
 * as the analytics application does, and watches what supervisors get over REST and on their {@code empresa:}
 * channel. Each empresa sees only its own figures; hostile records are skipped, counted, and the next ones go
 * through; the events carry no position and are never replayed.
 */
class ServiceMetricsIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final HttpClient http = HttpClient.newHttpClient();

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, byte[]> producer;
    private final List<WebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = TestGateway.start(kafka, database, "--chatcentral.gateway.node.id=gateway-service-metrics");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebSocketTestClient::close);
    }

    @Test
    void shouldServeOnlyTheCallersEmpresaFigures() throws Exception {
        String a = empresa();
        String b = empresa();
        write(a, figures(a, 3, Instant.now()));
        write(b, figures(b, 7, Instant.now()));

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(service(supervisor(a)).path("waiting").asInt()).isEqualTo(3);
            assertThat(service(supervisor(b)).path("waiting").asInt()).isEqualTo(7);
        });
        JsonNode ofA = service(supervisor(a));
        assertThat(ofA.path("empresaId").asString()).isEqualTo(a);
        assertThat(ofA.path("longestWaitMs").asLong()).isEqualTo(45_000);
        assertThat(ofA.path("windows")).hasSize(2);
        JsonNode minute = ofA.path("windows").get(0);
        assertThat(minute.path("size").asString()).isEqualTo(ServiceMetrics.MINUTE);
        assertThat(minute.path("empresa").path("firstResponseMsSum").asLong()).isEqualTo(90_000);
        assertThat(minute.path("empresa").path("slaBreaches").asLong()).isEqualTo(1);
        assertThat(ofA.path("atendentes").get(0).path("awaitingReply").asInt()).isEqualTo(1);
        assertThat(service(admin(b)).path("empresaId").asString()).isEqualTo(b);
    }

    @Test
    void shouldAnswerEmptyFiguresThatSaySoBeforeAnyWereWritten() throws Exception {
        String none = empresa();

        JsonNode answer = service(supervisor(none));

        assertThat(answer.path("empresaId").asString()).isEqualTo(none);
        assertThat(answer.path("ts").isNull()).isTrue();
        assertThat(answer.path("waiting").asInt()).isZero();
        assertThat(answer.path("longestWaitMs").asLong()).isZero();
        assertThat(answer.path("windows")).isEmpty();
        assertThat(answer.path("atendentes")).isEmpty();
    }

    @Test
    void shouldRefuseAtendentesAndCallersWithoutAToken() throws Exception {
        String a = empresa();
        write(a, figures(a, 3, Instant.now()));

        HttpResponse<String> atendente = get(AgentTokens.atendente("ana", a));
        HttpResponse<String> anonymous = get(null);

        assertThat(atendente.statusCode()).isEqualTo(403);
        assertThat(atendente.body()).contains("\"error\":\"forbidden\"").doesNotContain("waiting");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldShowNewFiguresToTheEmpresasSubscribersOnlyWithoutAPosition() throws Exception {
        String a = empresa();
        String b = empresa();
        WebSocketTestClient chefeA = connect(supervisor(a));
        WebSocketTestClient anaA = connect(AgentTokens.atendente("ana", a));
        WebSocketTestClient chefeB = connect(supervisor(b));
        chefeA.subscribe(Channel.empresa(a));
        anaA.subscribe(Channel.empresa(a));
        chefeB.subscribe(Channel.empresa(b));

        write(a, figures(a, 4, Instant.now()));

        JsonNode shown = chefeA.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);
        assertThat(shown.path("channel").asString()).isEqualTo(Channel.empresa(a));
        assertThat(shown.path("ephemeral").asBoolean()).isTrue();
        assertThat(shown.has("position")).isFalse();
        assertThat(shown.path("ts").asString()).isNotEmpty();
        assertThat(shown.path("data").path("empresaId").asString()).isEqualTo(a);
        assertThat(shown.path("data").path("waiting").asInt()).isEqualTo(4);
        assertThat(shown.path("data").path("windows").get(1).path("size").asString()).isEqualTo(ServiceMetrics.HOUR);
        anaA.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);

        write(b, figures(b, 9, Instant.now()));
        JsonNode ofB = chefeB.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);
        assertThat(ofB.path("data").path("waiting").asInt()).isEqualTo(9);
        Thread.sleep(QUIET.toMillis());
        assertThat(shownWaiting(chefeB)).containsExactly(9);
        assertThat(shownWaiting(chefeA)).containsExactly(4);
    }

    @Test
    void shouldNeverReplayFiguresOnResumeNorShowThemFromChatEvents() throws Exception {
        String a = empresa();
        WebSocketTestClient chefe = connect(supervisor(a));
        chefe.subscribe(Channel.empresa(a));
        write(a, figures(a, 2, Instant.now()));
        chefe.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);
        // figures never travel chat.events: a record there claiming to be some is not shown, live or replayed
        RealtimeEvent forged = new RealtimeEvent(UUID.randomUUID().toString(), a, EventType.SERVICE_METRICS,
                List.of(Channel.empresa(a)), Json.MAPPER.valueToTree(figures(a, 99, Instant.now())), Instant.now());
        RealtimeEvent update = TestGateway.event(a, Channel.empresa(a));
        try (KafkaProducer<String, RealtimeEvent> events = TestGateway.eventsProducer(kafka)) {
            events.send(new ProducerRecord<>(Topics.EVENTS.name(), a, forged)).get(10, TimeUnit.SECONDS);
            events.send(new ProducerRecord<>(Topics.EVENTS.name(), a, update)).get(10, TimeUnit.SECONDS);
        }
        chefe.awaitFrame(f -> update.id().equals(f.path("id").asString()), WITHIN);

        WebSocketTestClient resumed = connect(supervisor(a));
        resumed.send("{\"type\":\"subscribe\",\"channel\":\"" + Channel.empresa(a) + "\",\"since\":-1}");
        resumed.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);

        assertThat(resumed.frames()).anyMatch(f -> update.id().equals(f.path("id").asString()));
        assertThat(resumed.framesOfType(EventType.SERVICE_METRICS)).isEmpty();
        assertThat(shownWaiting(chefe)).containsExactly(2);
    }

    @Test
    void shouldAnswerAWaitingLongPollWithFiguresWithoutMovingItsPosition() throws Exception {
        String a = empresa();
        String token = supervisor(a);
        JsonNode first = poll(token, Channel.empresa(a), null);
        long position = first.path("position").asLong();

        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> poll(token, Channel.empresa(a),
                position));
        Thread.sleep(QUIET.toMillis());
        write(a, figures(a, 8, Instant.now()));

        JsonNode answer = waiting.get(15, TimeUnit.SECONDS);
        assertThat(answer.path("position").asLong()).isEqualTo(position);
        assertThat(answer.path("events")).hasSize(1);
        assertThat(answer.path("events").get(0).path("type").asString()).isEqualTo(EventType.SERVICE_METRICS);
        assertThat(answer.path("events").get(0).path("data").path("waiting").asInt()).isEqualTo(8);
        assertThat(answer.path("events").get(0).has("position")).isFalse();
    }

    @Test
    void shouldSkipAMalformedRecordBetweenTwoGoodOnesAndCountIt() throws Exception {
        String a = empresa();
        String b = empresa();
        WebSocketTestClient chefeA = connect(supervisor(a));
        WebSocketTestClient chefeB = connect(supervisor(b));
        chefeA.subscribe(Channel.empresa(a));
        chefeB.subscribe(Channel.empresa(b));
        double skippedBefore = skipped();
        String good = Json.MAPPER.writeValueAsString(figures(a, 1, Instant.now()));
        String ts = Instant.now().toString();

        write(a, figures(a, 1, Instant.now()));
        List<String> hostile = List.of(
                "not json",
                "",
                "\u0000",
                "[]",
                "42",
                "null",
                "{}",
                // wrongly typed, out of range, incomplete
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":\"many\"}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"yesterday\",\"waiting\":1}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":99999999999}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":-1,\"longestWaitMs\":0}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":1,\"windows\":[null]}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":1,\"windows\":[{\"size\":\"1m\"}]}",
                "{\"empresaId\":\"" + a + "\",\"ts\":\"" + ts + "\",\"waiting\":1,\"atendentes\":[{\"open\":1}]}",
                "{\"empresaId\":\"" + a + "\",\"waiting\":1}",
                // another empresa's figures under this one's key
                good.replace(a, b));
        for (String value : hostile) {
            write(a, value.getBytes(StandardCharsets.UTF_8));
        }
        write(b, figures(b, 5, Instant.now()));
        write(a, figures(a, 2, Instant.now()));

        chefeA.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString())
                && f.path("data").path("waiting").asInt() == 2, WITHIN);
        chefeB.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);
        assertThat(shownWaiting(chefeA)).containsExactly(1, 2);
        assertThat(shownWaiting(chefeB)).containsExactly(5);
        assertThat(service(supervisor(a)).path("waiting").asInt()).isEqualTo(2);
        assertThat(service(supervisor(b)).path("waiting").asInt()).isEqualTo(5);
        assertThat(skipped() - skippedBefore).isGreaterThanOrEqualTo(hostile.size());
        assertThat(chefeA.closeCode()).isNotDone();
    }

    @Test
    void shouldSkipRecordsWhoseKeyIsOversizedNulLadenOrBlank() throws Exception {
        String a = empresa();
        String huge = "e".repeat(Channel.MAX_ID_LENGTH + 1);
        String nul = a + "\u0000";
        double skippedBefore = skipped();

        write(huge, figures(huge, 8, Instant.now()));
        write(nul, figures(nul, 8, Instant.now()));
        write("", figures("", 8, Instant.now()));
        write(" ", figures(" ", 8, Instant.now()));
        write(a, figures(a, 6, Instant.now()));

        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(service(supervisor(a)).path("waiting").asInt()).isEqualTo(6));
        // the broker itself refuses a record without a key on a compacted topic
        assertThat(skipped() - skippedBefore).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldForgetAnEmpresasFiguresOnATombstone() throws Exception {
        String a = empresa();
        write(a, figures(a, 3, Instant.now()));
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(service(supervisor(a)).path("waiting").asInt()).isEqualTo(3));

        write(a, (byte[]) null);

        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(service(supervisor(a)).path("ts").isNull()).isTrue());
    }

    @Test
    void shouldServeFiguresTooLargeToPushOverRestWithoutClosingTheSupervisor() throws Exception {
        String a = empresa();
        WebSocketTestClient chefe = connect(supervisor(a));
        chefe.subscribe(Channel.empresa(a));
        ServiceMetrics base = figures(a, 11, Instant.now());
        List<AtendenteLoad> many = IntStream.range(0, 12_000)
                .mapToObj(i -> new AtendenteLoad("atendente-" + i, 1, 1, 1_000)).toList();
        ServiceMetrics large = new ServiceMetrics(a, base.ts(), 11, 1, base.windows(), many);
        assertThat(Json.MAPPER.writeValueAsBytes(large).length).isGreaterThan(ServiceFigures.MAX_EVENT_BYTES);

        write(a, large);
        write(a, figures(a, 12, Instant.now()));

        chefe.awaitFrame(f -> EventType.SERVICE_METRICS.equals(f.path("type").asString()), WITHIN);
        assertThat(shownWaiting(chefe)).containsExactly(12);
        assertThat(chefe.closeCode()).isNotDone();
        write(a, large);
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(service(supervisor(a)).path("atendentes")).hasSize(12_000));
    }

    // --- helpers ---

    private static String empresa() {
        return "emp-sm-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ServiceMetrics figures(String empresaId, int waiting, Instant ts) {
        Figures figures = new Figures(3, 30_000, 20_000, 2, 90_000, 60_000, 1, 600_000, 600_000, 10, 8, 1);
        Instant minute = ts.truncatedTo(ChronoUnit.MINUTES);
        Instant hour = ts.truncatedTo(ChronoUnit.HOURS);
        return new ServiceMetrics(empresaId, ts, waiting, 45_000, List.of(
                new Window(ServiceMetrics.MINUTE, minute, minute.plus(Duration.ofMinutes(1)), figures,
                        List.of(new AtendenteFigures("ana", figures))),
                new Window(ServiceMetrics.HOUR, hour, hour.plus(Duration.ofHours(1)), figures,
                        List.of(new AtendenteFigures("ana", figures)))),
                List.of(new AtendenteLoad("ana", 3, 1, 12_000)));
    }

    private static void write(String key, ServiceMetrics figures) throws Exception {
        write(key, Topics.SERVICE_METRICS.valueSerde().serializer().serialize(Topics.SERVICE_METRICS.name(), figures));
    }

    private static void write(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SERVICE_METRICS.name(), key, value)).get(10, TimeUnit.SECONDS);
    }

    private static double skipped() {
        return gateway.getBean(MeterRegistry.class).find(ServiceFigures.SKIPPED).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static String supervisor(String empresaId) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", empresaId, List.of("supervisor"),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static String admin(String empresaId) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, "root", empresaId, List.of("admin"),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + TestGateway.port(gateway) + "/api/v1/metrics/service"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode service(String token) throws Exception {
        HttpResponse<String> response = get(token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode poll(String token, String channel, Long since) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestGateway.port(gateway)
                        + "/realtime/poll?channel=" + channel + (since == null ? "" : "&since=" + since)))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private WebSocketTestClient connect(String token) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + TestGateway.port(gateway)
                + "/ws", token);
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    private static List<Integer> shownWaiting(WebSocketTestClient client) {
        return client.framesOfType(EventType.SERVICE_METRICS).stream()
                .map(f -> f.path("data").path("waiting").asInt()).toList();
    }
}
