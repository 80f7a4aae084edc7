package dev.chatcentral.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * What the console's supervisor pages call: the queue figures over the real broker (what processors write to
 * {@code chat.metrics}, read by gateway nodes) and the redrive when the stream-processor cannot be reached.
 */
class SupervisorApiIntegrationTest {

    private static final String EMPRESA = "emp-metrics";
    private static final HttpClient http = HttpClient.newHttpClient();

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext first;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        // nothing listens at the processor's address: a redrive must say so, not hang or pretend
        first = TestGateway.start(kafka, database, "--chatcentral.gateway.metrics.refresh-interval=1s",
                "--chatcentral.gateway.redrive.processor-url=http://127.0.0.1:" + closedPort());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        producer.close();
        first.close();
        database.close();
        kafka.close();
    }

    private static void write(String key, byte[] value, Instant at) throws Exception {
        producer.send(new ProducerRecord<>(Topics.METRICS.name(), null, at.toEpochMilli(), key, value)).get();
    }

    private static void write(MetricsSample sample) throws Exception {
        write(sample.nodeId(), Topics.METRICS.valueSerde().serializer().serialize(Topics.METRICS.name(), sample),
                sample.ts());
    }

    private static MetricsSample processor(Instant at, double queue, double handled, double failed) {
        return new MetricsSample(MetricsSample.PROCESSOR, "processor-1", at, Map.of(Gauges.QUEUE_SIZE, queue,
                Gauges.QUEUE_SIZE_OF + "chat.webhooks", queue, Gauges.HANDLED_PER_MINUTE, handled,
                Gauges.FAILED_PER_MINUTE, failed, Gauges.DLQ_SIZE, 7.0));
    }

    private static HttpResponse<String> queue(ConfigurableApplicationContext node, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + TestGateway.port(node) + "/api/v1/metrics/queue"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> redrive(String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + TestGateway.port(first) + "/api/v1/dlq/redrive"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String supervisor() {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", EMPRESA, List.of("supervisor"),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static JsonNode figures(ConfigurableApplicationContext node) throws Exception {
        HttpResponse<String> response = queue(node, supervisor());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void shouldServeTheProcessorsFiguresWithTheirHourAndTheNodesOwnConnectionsToSupervisors() throws Exception {
        Instant now = Instant.now();
        write(processor(now.minus(Duration.ofMinutes(30)), 40, 100, 50));
        write("processor-1", "not a sample".getBytes(StandardCharsets.UTF_8), now.minusSeconds(2));

        // a processor writes every interval: "current" takes only nodes heard from within two
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            write(processor(Instant.now(), 12, 600, 6));
            JsonNode current = figures(first);
            assertThat(current.path("queueSize").asLong()).isEqualTo(12);
            assertThat(current.path("lag").get(0).path("topic").asString()).isEqualTo("chat.webhooks");
            assertThat(current.path("lag").get(0).path("lag").asLong()).isEqualTo(12);
            assertThat(current.path("processingRate").asDouble()).isEqualTo(600);
            assertThat(current.path("errorRate").asDouble()).isEqualTo(1.0);
            assertThat(current.path("dlqSize").asLong()).isEqualTo(7);
            assertThat(current.path("connections").size()).isEqualTo(1);
        });

        // a node started now draws the same hour from the topic
        ConfigurableApplicationContext second = TestGateway.start(kafka, database,
                "--chatcentral.gateway.metrics.refresh-interval=1s");
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode figures = figures(second);
                List<Long> queueSizes = new ArrayList<>();
                figures.path("history").forEach(point -> queueSizes.add(point.path("queueSize").asLong()));
                assertThat(queueSizes).contains(40L, 12L);
                assertThat(figures.path("connections").size()).isEqualTo(2);
            });
        } finally {
            second.close();
        }
    }

    @Test
    void shouldSampleTheEmpresasOnlineAtendentesOnceASupervisorAsks() throws Exception {
        JsonNode firstAnswer = figures(first);
        assertThat(firstAnswer.path("onlineAtendentes").asInt()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Integer> online = new ArrayList<>();
            figures(first).path("history").forEach(point -> {
                if (point.path("onlineAtendentes").isInt()) {
                    online.add(point.path("onlineAtendentes").asInt());
                }
            });
            assertThat(online).isNotEmpty().containsOnly(0);
        });
    }

    @Test
    void shouldAnswerARedriveWith503WhenTheStreamProcessorCannotBeReached() throws Exception {
        HttpResponse<String> response = redrive(supervisor(), "{}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("stream-processor cannot be reached");
    }

    @Test
    void shouldRefuseARedriveThatIsNotAnObjectOfKnownFieldsOrTooLargeBeforeCallingTheProcessor() throws Exception {
        assertThat(redrive(supervisor(), "{\"empresaId\":\"other\"}").body()).contains("unknown field");
        assertThat(redrive(supervisor(), "\"all\"").statusCode()).isEqualTo(400);
        assertThat(redrive(supervisor(), "{\"ids\":[").statusCode()).isEqualTo(400);
        assertThat(redrive(supervisor(), "{\"ids\":[\"" + "9".repeat(70_000) + "\"]}").statusCode())
                .isEqualTo(413);
        assertThat(redrive(AgentTokens.atendente("ana", EMPRESA), "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void shouldRefuseAtendentesAndCallersWithoutAToken() throws Exception {
        HttpResponse<String> atendente = queue(first, AgentTokens.atendente("ana", EMPRESA));
        HttpResponse<String> anonymous = queue(first, null);

        assertThat(atendente.statusCode()).isEqualTo(403);
        assertThat(atendente.body()).contains("\"error\":\"forbidden\"");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
