package dev.chatcentral.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** The ingest started as in production against a test broker and database, with an HTTP client and a reader. */
public final class IngestTestApp implements AutoCloseable {


    private final ConfigurableApplicationContext context;
    private final KafkaConsumer<String, EvolutionWebhook> consumer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    private IngestTestApp(ConfigurableApplicationContext context, TestKafka kafka) {
        this.context = context;
        this.baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.WEBHOOKS.keySerde().deserializer(), Topics.WEBHOOKS.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < context.getBean(TopicCatalog.class).partitions(Topics.WEBHOOKS); p++) {
            partitions.add(new TopicPartition(Topics.WEBHOOKS.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public static IngestTestApp start(TestKafka kafka, TestDatabase database, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user()));
        args.addAll(List.of(extraArgs));
        return new IngestTestApp(IngestApplication.application().run(args.toArray(String[]::new)), kafka);
    }

    /** The running ingest's environment: its ports ({@code local.server.port}, {@code local.management.port}). */
    public Environment environment() {
        return context.getEnvironment();
    }

    /** The port the ingest listens on, for clients that speak HTTP by hand. */
    public int port() {
        return URI.create(baseUrl).getPort();
    }

    public HttpResponse<String> post(String path, String authorization, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    public HttpResponse<String> request(String method, String path, String authorization, String jsonBody) {
        return request(baseUrl, method, path, authorization, jsonBody);
    }

    /** A call to the management port (admin API, health, metrics) with the given Authorization header. */
    public HttpResponse<String> management(String method, String path, String authorization, String jsonBody) {
        return request("http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.management.port"),
                method, path, authorization, jsonBody);
    }

    private HttpResponse<String> request(String base, String method, String path, String authorization,
                                         String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** Calls the admin API, on the management port, with the development management token. */
    public HttpResponse<String> admin(String method, String path, String jsonBody) {
        return management(method, "/admin/empresas" + path, "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN, jsonBody);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request failed", e);
        }
    }

    /** Reads chat.webhooks (continuing where the last read stopped) until the record with that key.id. */
    public List<ConsumerRecord<String, EvolutionWebhook>> readUntilKeyId(String keyId) {
        List<ConsumerRecord<String, EvolutionWebhook>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, EvolutionWebhook> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r);
                if (keyId.equals(keyIdOf(r.value()))) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no record with key.id " + keyId + " in " + Topics.WEBHOOKS.name());
    }

    public static String keyIdOf(EvolutionWebhook webhook) {
        return webhook.data() == null ? null : webhook.data().path("key").path("id").asString(null);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        consumer.close();
        context.close();
    }
}
