package dev.chatcentral.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.ManagementPortCheck;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.TopicContracts;

/** The analytics application as deployed, on a real broker: public topics in, committed figures out. */
class AnalyticsIntegrationTest {

    private static final String EMPRESA = "emp-analytics-it";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path stateDir;

    private static TestKafka kafka;
    private static ConfigurableApplicationContext app;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        app = AnalyticsApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--chatcentral.kafka.topic-partitions=2",
                "--chatcentral.analytics.state-dir=" + stateDir,
                "--chatcentral.analytics.commit-interval=100ms",
                "--chatcentral.analytics.publish-interval=1s");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldWriteAnEmpresasFiguresFromThePublicTopics() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (!now.minusSeconds(30).truncatedTo(ChronoUnit.HOURS).equals(now.plusSeconds(60)
                .truncatedTo(ChronoUnit.HOURS))) {
            // the hand-computed hour figures need every event in the hour the figures are read in
            Thread.sleep(Duration.between(now, now.plusSeconds(60).truncatedTo(ChronoUnit.HOURS)).toMillis() + 31_000);
            now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        // a malformed record first: it is dropped, and what follows is counted
        send(Topics.CONVERSAS, "c-bad", "{not json".getBytes(StandardCharsets.UTF_8));
        send(Topics.CONVERSAS, "c1", conversa("c1", ConversaStatus.AGUARDANDO, null, 1, now.minusSeconds(30),
                now.minusSeconds(30)));
        send(Topics.CONVERSAS, "c2", conversa("c2", ConversaStatus.AGUARDANDO, null, 1, now.minusSeconds(20),
                now.minusSeconds(20)));
        send(Topics.MENSAGENS, "c2", mensagem("m1", "c2", false, now.minusSeconds(15)));
        send(Topics.CONVERSAS, "c2", conversa("c2", ConversaStatus.EM_ATENDIMENTO, "ana", 2, now.minusSeconds(20),
                now.minusSeconds(10)));
        send(Topics.MENSAGENS, "c2", mensagem("m2", "c2", true, now.minusSeconds(11)));

        AtomicReference<ServiceMetrics> latest = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            latest.set(latestOf(EMPRESA));
            assertThat(latest.get()).isNotNull();
            assertThat(latest.get().window(ServiceMetrics.HOUR).empresa().mensagensOut()).isEqualTo(1);
        });
        ServiceMetrics metrics = latest.get();
        assertThat(metrics.waiting()).isEqualTo(1);
        assertThat(metrics.longestWaitMs()).isGreaterThanOrEqualTo(30_000);
        // c2 waited 10 s for ana; its customer wrote 15 s ago and had a reply 4 s later
        ServiceMetrics.Figures hour = metrics.window(ServiceMetrics.HOUR).empresa();
        assertThat(hour.assigned()).isEqualTo(1);
        assertThat(hour.firstAssignmentMsSum()).isEqualTo(10_000);
        assertThat(hour.firstResponses()).isEqualTo(1);
        assertThat(hour.firstResponseMsSum()).isEqualTo(4_000);
        assertThat(hour.mensagensIn()).isEqualTo(1);
        assertThat(metrics.atendentes()).containsExactly(new ServiceMetrics.AtendenteLoad("ana", 1, 0, 0));

        String prometheus = management("/actuator/prometheus");
        assertThat(prometheus).contains("chatcentral_analytics_waiting{empresa=\"" + EMPRESA + "\"} 1.0")
                .contains("chatcentral_analytics_first_response_average_seconds{empresa=\"" + EMPRESA
                        + "\"} 4.0")
                .contains("chatcentral_analytics_rejected_total{reason=\"unreadable\",topic=\"chat.conversas\"} 1.0");
        assertThat(management("/actuator/health/readiness")).contains("\"status\":\"UP\"");

        // a tap: besides chat.service.metrics it writes only topics of its own application id
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            Set<String> catalog = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());
            assertThat(admin.listTopics().names().get()).allMatch(topic -> catalog.contains(topic)
                    || topic.startsWith("chat-central-analytics-"));
        }
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            if (topic != Topics.SERVICE_METRICS && topic != Topics.CONVERSAS && topic != Topics.MENSAGENS) {
                assertThat(kafka.readCommitted(topic.name())).as(topic.name()).isEmpty();
            }
        }
    }

    @Test
    void shouldGuardItsManagementPortAndServeNothingOnItsPublicOne() {
        ManagementPortCheck.assertGuarded(app.getEnvironment(), DevelopmentSecrets.ADMIN_API_TOKEN);
    }

    /** The latest committed figures of the empresa, each record checked against the topic's contract. */
    private static ServiceMetrics latestOf(String empresaId) {
        ServiceMetrics found = null;
        List<ConsumerRecord<String, byte[]>> records = kafka.readCommitted(Topics.SERVICE_METRICS.name());
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(TopicContracts.keyViolations(Topics.SERVICE_METRICS.name(), record.key())).isEmpty();
            assertThat(TopicContracts.valueViolations(Topics.SERVICE_METRICS.name(), record.value(),
                    record.headers())).isEmpty();
            if (empresaId.equals(record.key())) {
                found = Topics.SERVICE_METRICS.valueSerde().deserializer().deserialize("", record.value());
            }
        }
        return found;
    }

    private static byte[] conversa(String id, ConversaStatus status, String atendenteId, long version,
                                   Instant createdAt, Instant updatedAt) {
        return Topics.CONVERSAS.valueSerde().serializer().serialize("", new Conversa(id, EMPRESA, "inst-1",
                "5511999990000@s.whatsapp.net", null, "Cliente", status, atendenteId, 0, "oi", updatedAt, version,
                createdAt, updatedAt));
    }

    private static byte[] mensagem(String id, String conversaId, boolean fromMe, Instant sentAt) {
        return Topics.MENSAGENS.valueSerde().serializer().serialize("", new Mensagem(id, conversaId, EMPRESA,
                "inst-1", "key-" + id, fromMe, "5511999990000@s.whatsapp.net", "Cliente", "conversation", "oi",
                MensagemStatus.DELIVERY_ACK, sentAt, sentAt, List.of()));
    }

    private static void send(TopicSpec<String, ?> topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }

    private static String management(String path) throws Exception {
        int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.management.port"));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
