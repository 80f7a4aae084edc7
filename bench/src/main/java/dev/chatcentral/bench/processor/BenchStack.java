package dev.chatcentral.bench.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.bench.BenchTopics;
import dev.chatcentral.bench.CommittedReader;
import dev.chatcentral.processor.StreamProcessorApplication;
import dev.chatcentral.schemas.topic.TopicProvisioner;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * One benchmark run's world: an in-process KRaft broker (co-located, as the target asks), a throwaway database on
 * the machine's PostgreSQL, and the stream processor started as in production (exactly_once_v2, its yml defaults)
 * except for the arguments given.
 */
final class BenchStack implements AutoCloseable {

    static final String STREAMS_GROUP = "chat-central-stream-processor";
    static final int EMPRESAS = 100;
    static final int CUSTOMERS_PER_EMPRESA = 200;

    private final TestKafka kafka;
    private final TestDatabase database;
    private final Path stateDir;
    private final Admin admin;
    private ConfigurableApplicationContext app;

    private BenchStack(TestKafka kafka, TestDatabase database, Path stateDir) {
        this.kafka = kafka;
        this.database = database;
        this.stateDir = stateDir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** Broker, database and topics; the processor starts with {@link #startProcessor}. */
    static BenchStack start() throws Exception {
        TestKafka kafka = TestKafka.start();
        TopicProvisioner.ensureCatalog(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                BenchTopics.catalog(), (short) 1);
        BenchStack stack = new BenchStack(kafka, TestDatabase.create(), Files.createTempDirectory("bench-streams"));
        stack.awaitLeaders();
        return stack;
    }

    /** Topic creation returns before every partition has its leader; a producer that writes then may fail. */
    private void awaitLeaders() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ready = admin.describeTopics(List.of(Topics.WEBHOOKS.name())).allTopicNames().get()
                    .values().stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
            if (ready) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chat.webhooks has partitions without a leader");
    }

    void startProcessor(String... args) {
        List<String> all = new ArrayList<>(List.of(
                // the development secrets, as bin/stack and the tests run it; a management port of its own
                "--spring.profiles.active=dev",
                "--management.server.port=0",
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.processor.state-dir=" + stateDir,
                "--logging.level.root=WARN"));
        all.addAll(Arrays.asList(args));
        app = StreamProcessorApplication.application().run(all.toArray(String[]::new));
    }

    KafkaProducer<String, byte[]> producer(int lingerMs) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads the committed records of {@code topic} from the beginning, each to {@code each} ({@link CommittedReader}). */
    AssignedReader<String, byte[]> committedReader(TopicSpec<?, ?> topic,
                                                   Consumer<ConsumerRecord<String, byte[]>> each) {
        return CommittedReader.start(kafka.bootstrapServers(), topic, AssignedReader.Start.BEGINNING, each);
    }

    TestDatabase database() {
        return database;
    }

    /** Webhooks the topology handled so far, whatever became of them. */
    double handled() {
        return app.getBean(MeterRegistry.class).find("chatcentral.processor.webhooks").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Whether the topology committed its offsets up to the end of {@code chat.webhooks}. */
    boolean streamsCommittedAll() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(STREAMS_GROUP).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < BenchTopics.catalog().partitions(Topics.WEBHOOKS); p++) {
            latest.put(new TopicPartition(Topics.WEBHOOKS.name(), p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                || (committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() >= e.getValue().offset()));
    }

    /**
     * A customer's text as Evolution posts it ({@code messages.upsert}, reference/evolution-api.md): message {@code n}
     * of empresa {@code n % EMPRESAS}, from one of its customers.
     */
    static byte[] webhook(String prefix, long n) {
        String customer = "55119" + String.format("%08d", (n / EMPRESAS) % CUSTOMERS_PER_EMPRESA) + "@s.whatsapp.net";
        return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-" + (n % EMPRESAS) + "\",\"data\":{\"key\":"
                + "{\"remoteJid\":\"" + customer + "\",\"fromMe\":false,\"id\":\"" + prefix + n + "\"},"
                + "\"pushName\":\"Cliente " + (n % 997) + "\",\"message\":{\"conversation\":\"Oi, queria saber se"
                + " o pedido " + n + " já saiu para entrega\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":" + (1761057639 + n / 1000) + ",\"instanceId\":"
                + "\"0b6e7c2a-1f4d-4a8e-9c3b-5d2f7e8a9b10\",\"source\":\"android\"},"
                + "\"destination\":\"https://ingest.example.com/webhooks/evolution/emp-" + (n % EMPRESAS) + "\","
                + "\"date_time\":\"2025-10-21T14:40:39.512Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"https://evo.example.com\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String empresa(long n) {
        return "emp-" + (n % EMPRESAS);
    }

    static double median(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        admin.close();
        database.close();
        kafka.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
