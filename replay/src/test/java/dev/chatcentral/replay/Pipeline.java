package dev.chatcentral.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import dev.chatcentral.processor.StreamProcessorApplication;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The real pipeline for the replay tests, as a JUnit extension: an embedded KRaft broker, a throwaway PostgreSQL
 * database, and the stream processor (topology and sink) running on them, as the processor's own integration tests
 * start it; webhooks go in as the ingest writes them.
 */
final class Pipeline implements BeforeAllCallback, AfterAllCallback {

    static final int PARTITIONS = 3;

    private TestKafka kafka;
    private TestDatabase database;
    private Path stateDir;
    private ConfigurableApplicationContext processor;
    private KafkaProducer<String, byte[]> producer;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        stateDir = Files.createTempDirectory("chat-central-replay-test");
        processor = StreamProcessorApplication.application().run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.kafka.topic-partitions=" + PARTITIONS,
                "--chatcentral.processor.state-dir=" + stateDir,
                "--chatcentral.processor.num-stream-threads=1",
                "--chatcentral.dispatcher.enabled=false");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (producer != null) {
                producer.close();
            }
            if (processor != null) {
                processor.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    TestKafka kafka() {
        return kafka;
    }

    TestDatabase database() {
        return database;
    }

    void send(TopicSpec<String, ?> topic, String key, byte[] value) {
        send(topic, key, value, Map.of());
    }

    void send(TopicSpec<String, ?> topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, value);
        headers.forEach((name, header) -> RecordHeaders.put(record.headers(), name, header));
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether the group committed up to the end of every partition of the topics. */
    boolean caughtUp(String group, TopicSpec<?, ?>... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicSpec<?, ?> topic : topics) {
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == 0 || (committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A customer's text to an empresa's WhatsApp number, as Evolution posts it and the ingest writes it. */
    static byte[] customerText(String instance, String customerJid, String keyId, String text, long sentAt) {
        return envelope("messages.upsert", instance, "{\"key\":{\"remoteJid\":\"" + customerJid
                + "\",\"fromMe\":false,\"id\":\"" + keyId + "\"},\"pushName\":\"Maria Silva\",\"message\":"
                + "{\"conversation\":\"" + text + "\"},\"messageType\":\"conversation\",\"messageTimestamp\":"
                + sentAt + ",\"source\":\"android\"}");
    }

    /** A delivery receipt ({@code messages.update}, Evolution 2.x's flat form). */
    static byte[] receipt(String instance, String customerJid, String keyId, boolean fromMe, String status) {
        return envelope("messages.update", instance, "{\"keyId\":\"" + keyId + "\",\"remoteJid\":\"" + customerJid
                + "\",\"fromMe\":" + fromMe + ",\"status\":\"" + status + "\"}");
    }

    private static byte[] envelope(String event, String instance, String data) {
        return ("{\"event\":\"" + event + "\",\"instance\":\"" + instance + "\",\"data\":" + data
                + ",\"destination\":\"https://ingest.example.com/webhooks/evolution\""
                + ",\"date_time\":\"2025-10-21T14:40:39.512Z\",\"sender\":\"5511999990000@s.whatsapp.net\""
                + ",\"server_url\":\"https://evo.example.com\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** What one run of the tool printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Replay.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("replay " + String.join(" ", args) + " -> " + status + "\n" + run.out() + run.err());
        return run;
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    /** The numbers of the report's row for {@code name} (a table or a topic). */
    static List<Long> row(String report, String name) {
        return report.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Arrays.stream(l.substring(name.length()).trim().split("\\s+"))
                        .filter(f -> f.matches("\\d+")).map(Long::valueOf).toList())
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + report));
    }
}
