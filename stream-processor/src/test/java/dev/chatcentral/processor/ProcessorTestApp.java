package dev.chatcentral.processor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** The stream processor started as the system test starts it, against a test broker and database, plus helpers. */
public final class ProcessorTestApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestKafka kafka;
    private final ConfigurableApplicationContext context;
    private final KafkaProducer<String, byte[]> producer;

    private ProcessorTestApp(TestKafka kafka, ConfigurableApplicationContext context) {
        this.kafka = kafka;
        this.context = context;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    public static ProcessorTestApp start(TestKafka kafka, TestDatabase database, Path stateDir) {
        return start(kafka, database.jdbcUrl(), database.user(), stateDir);
    }

    /** Started on a database reached through {@code jdbcUrl} (a proxy, say), with further arguments that win. */
    public static ProcessorTestApp start(TestKafka kafka, String jdbcUrl, String user, Path stateDir,
                                         String... moreArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + user,
                "--chatcentral.processor.state-dir=" + stateDir,
                "--chatcentral.processor.num-stream-threads=1",
                "--chatcentral.processor.sink.initial-backoff=200ms",
                "--chatcentral.processor.sink.max-backoff=1s",
                "--chatcentral.processor.sink.circuit-open-for=1s"));
        // a repeated option would bind as "first,second", so an override replaces the default instead
        for (String arg : moreArgs) {
            String option = arg.substring(0, arg.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(option));
            args.add(arg);
        }
        ConfigurableApplicationContext context =
                StreamProcessorApplication.application().run(args.toArray(String[]::new));
        return new ProcessorTestApp(kafka, context);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** The partitions of {@code topic} in the deployment this processor was started with. */
    public int partitions(TopicSpec<?, ?> topic) {
        return context.getBean(TopicCatalog.class).partitions(topic);
    }

    /**
     * Calls the management port (health, metrics, DLQ redrive) with the development management token, as an
     * operator would.
     *
     * @param jsonBody null for a GET
     */
    public HttpResponse<String> management(String path, String jsonBody) {
        int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN);
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("management call " + path + " failed", e);
        }
    }

    public <V> void send(TopicSpec<String, V> topic, String key, V value) {
        sendBytes(topic, key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    public void sendBytes(TopicSpec<String, ?> topic, String key, byte[] value) {
        sendBytes(topic, key, value, Map.of());
    }

    /** A record with the given headers, as the ingest writes them. */
    public void sendBytes(TopicSpec<String, ?> topic, String key, byte[] value, Map<String, String> headers) {
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

    /** Whether the consumer group committed up to the end of every partition of the topics. */
    public boolean groupCaughtUp(String groupId, TopicSpec<?, ?>... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> names = Arrays.stream(topics).map(TopicSpec::name).collect(Collectors.toSet());
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicSpec<?, ?> topic : topics) {
                for (int p = 0; p < partitions(topic); p++) {
                    latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                }
            }
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream()
                    .filter(e -> names.contains(e.getKey().topic()))
                    .allMatch(e -> e.getValue().offset() == 0 || (committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every committed record of the topic, read from the beginning until {@code expected} arrived or time ran out. */
    public List<ConsumerRecord<String, byte[]>> readAll(TopicSpec<String, ?> topic, int expected, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < partitions(topic); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        producer.close();
        context.close();
    }
}
