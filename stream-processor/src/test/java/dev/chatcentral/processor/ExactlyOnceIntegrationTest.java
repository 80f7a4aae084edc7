package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Exactly once across the whole processor, on a real broker and database: Evolution's redeliveries mixed into a
 * large run, and an instance replaced by another (same application id, empty state directory) in the middle of
 * one. Each mensagem must become exactly one row and exactly one {@code message_notification}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExactlyOnceIntegrationTest {

    private static final int EMPRESAS = 20;
    private static final int CUSTOMERS_PER_EMPRESA = 25;
    private static final String STREAMS_GROUP = "chat-central-stream-processor";
    private static final String SINK_GROUP = "chat-central-postgres-sink";

    @TempDir
    static Path stateDirs;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static KafkaProducer<String, byte[]> producer;
    private static ProcessorTestApp app;
    private static final Random random = new Random(42);
    private static int uniqueSent;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ProcessorTestApp startInstance(String stateDir) {
        return ProcessorTestApp.start(kafka, database.jdbcUrl(), database.user(), stateDirs.resolve(stateDir),
                "--chatcentral.monitoring.refresh-interval=1s",
                // a stopped instance's stream thread stays a group member until its session times out
                "--spring.kafka.streams.properties[session.timeout.ms]=6000",
                "--spring.kafka.streams.properties[heartbeat.interval.ms]=1000");
    }

    /** Message {@code n}: empresa and customer spread so that every conversa gets the same number of them. */
    private record Message(int n) {
        String empresa() {
            return "emp-" + (n % EMPRESAS);
        }

        byte[] webhook() {
            String customer = "55119" + String.format("%08d", (n / EMPRESAS) % CUSTOMERS_PER_EMPRESA)
                    + "@s.whatsapp.net";
            return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-" + empresa() + "\",\"data\":{\"key\":"
                    + "{\"remoteJid\":\"" + customer + "\",\"fromMe\":false,\"id\":\"EO-" + n + "\"},"
                    + "\"pushName\":\"Cliente " + n + "\",\"message\":{\"conversation\":\"mensagem " + n + "\"},"
                    + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (1761057639 + n) + "},"
                    + "\"sender\":\"5511999990000@s.whatsapp.net\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code count} webhooks: new messages from {@code uniqueSent} on, and redeliveries of any sent before. */
    private static List<Message> run(int count, int redeliveries) {
        List<Message> fresh = new ArrayList<>();
        for (int i = 0; i < count - redeliveries; i++) {
            fresh.add(new Message(uniqueSent + i));
        }
        int sentBefore = uniqueSent;
        uniqueSent += fresh.size();
        List<Message> all = new ArrayList<>(fresh);
        for (int i = 0; i < redeliveries; i++) {
            all.add(new Message(random.nextInt(uniqueSent)));
        }
        Collections.shuffle(all, random);
        assertThat(sentBefore + fresh.size()).isEqualTo(uniqueSent);
        return all;
    }

    private static void send(List<Message> messages) {
        for (Message m : messages) {
            producer.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), m.empresa(), m.webhook()));
        }
        producer.flush();
    }

    private static double handled(ProcessorTestApp instance) {
        return instance.context().getBean(MeterRegistry.class).find("chatcentral.processor.webhooks").counters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    private static void awaitAllRecorded(int mensagens) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(database.queryForLong("SELECT count(*) FROM mensagem")).isGreaterThanOrEqualTo(mensagens);
            assertThat(app.groupCaughtUp(STREAMS_GROUP, Topics.WEBHOOKS)).as("topology caught up").isTrue();
            assertThat(app.groupCaughtUp(SINK_GROUP, Topics.CONVERSAS, Topics.MENSAGENS)).as("sink caught up")
                    .isTrue();
        });
    }

    /** Rows and events exactly as many as the distinct mensagens sent, and no event twice. */
    private static void assertExactlyOnce() {
        int conversas = EMPRESAS * CUSTOMERS_PER_EMPRESA;
        assertThat(database.queryForLong("SELECT count(*) FROM mensagem")).isEqualTo(uniqueSent);
        assertThat(database.queryForLong("SELECT count(DISTINCT key_id) FROM mensagem")).isEqualTo(uniqueSent);
        assertThat(database.queryForLong("SELECT count(*) FROM conversa")).isEqualTo(conversas);
        // each conversa counted each of its mensagens once: version and unread count alike
        assertThat(database.queryForLong("SELECT sum(version) FROM conversa")).isEqualTo(uniqueSent);
        assertThat(database.queryForLong("SELECT sum(unread_count) FROM conversa")).isEqualTo(uniqueSent);
        assertThat(database.queryForLong("SELECT count(*) FROM conversa c WHERE c.version <> "
                + "(SELECT count(*) FROM mensagem m WHERE m.conversa_id = c.id)")).isZero();

        List<RealtimeEvent> events = app.readAll(Topics.EVENTS, 2 * uniqueSent, Duration.ofSeconds(60)).stream()
                .map(r -> Topics.EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
        Set<String> ids = new HashSet<>();
        List<String> repeated = events.stream().map(RealtimeEvent::id).filter(id -> !ids.add(id)).toList();
        assertThat(repeated).isEmpty();
        assertThat(events.stream().filter(e -> EventType.MESSAGE_NOTIFICATION.equals(e.type())).count())
                .isEqualTo(uniqueSent);
    }

    private static String prometheus() {
        return app.management("/actuator/prometheus", null).body();
    }

    @Test
    @Order(1)
    void shouldRecordEachMensagemOnceWhenTenPercentOfWebhooksAreRedeliveries() throws Exception {
        app = startInstance("first");
        send(run(10_000, 1_000));

        awaitAllRecorded(uniqueSent);

        assertExactlyOnce();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(prometheus())
                .contains("chatcentral_queue_size{group=\"" + STREAMS_GROUP + "\",topic=\"chat.webhooks\"} 0.0")
                .contains("chatcentral_queue_size{group=\"" + SINK_GROUP + "\",topic=\"chat.mensagens\"} 0.0")
                .contains("chatcentral_queue_dead_letters_total 0.0")
                .doesNotContain("chatcentral_queue_processed_per_minute{stage=\"streams\"} 0.0")
                .doesNotContain("chatcentral_queue_processed_per_minute{stage=\"sink\"} 0.0"));
        // the same figures reach the gateway's queue page through chat.metrics
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> samples = app.readAll(Topics.METRICS, Integer.MAX_VALUE,
                    Duration.ofSeconds(1));
            assertThat(samples).isNotEmpty();
            ConsumerRecord<String, byte[]> last = samples.get(samples.size() - 1);
            MetricsSample sample = Topics.METRICS.valueSerde().deserializer().deserialize(last.topic(), last.value());
            assertThat(sample.source()).isEqualTo(MetricsSample.PROCESSOR);
            assertThat(sample.gauges()).containsEntry(Gauges.QUEUE_SIZE_OF + Topics.WEBHOOKS.name(), 0.0)
                    .containsEntry(Gauges.DLQ_SIZE, 0.0);
            assertThat(sample.gauge(Gauges.HANDLED_PER_MINUTE)).isPositive();
            assertThat(sample.gauge(Gauges.WRITTEN_PER_MINUTE)).isPositive();
        });
    }

    @Test
    @Order(2)
    void shouldStayExactlyOnceWhenAnotherInstanceTakesOverMidRun() {
        List<Message> messages = run(4_000, 400);
        double handledBefore = handled(app);
        // the webhooks keep arriving while one instance stops and the other starts, as in a rolling deploy
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (List<Message> slice : List.of(messages.subList(0, 2_000), messages.subList(2_000, 4_000))) {
                for (int i = 0; i < slice.size(); i += 100) {
                    send(slice.subList(i, Math.min(slice.size(), i + 100)));
                    sleep(50);
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> handled(app) - handledBefore >= 800);
        app.close();
        app = startInstance("second");

        sending.join();
        awaitAllRecorded(uniqueSent);

        assertExactlyOnce();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
