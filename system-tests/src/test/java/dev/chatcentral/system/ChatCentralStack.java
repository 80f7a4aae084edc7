package dev.chatcentral.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.ingest.IngestApplication;
import dev.chatcentral.processor.StreamProcessorApplication;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The three services of chat-central started as they run in production, each its own Spring context on its own
 * port, sharing one real KRaft broker and one real PostgreSQL database ({@link TestInfrastructure}: embedded and
 * the machine's, or containers). A test class that starts one is marked
 * {@code @ExtendWith(TestInfrastructure.Available.class)}.
 */
final class ChatCentralStack implements AutoCloseable {

    final TestKafka kafka;
    final TestDatabase database;
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConfigurableApplicationContext ingest;
    private final ConfigurableApplicationContext gateway;
    private final Path processorStateDir;
    private final String processorApplicationId = "system-test-" + UUID.randomUUID();
    /** Kept across restarts, as a deployment's is, so the gateway's redrive finds the processor again. */
    private final int processorManagementPort = freePort();
    private ConfigurableApplicationContext processor;

    ChatCentralStack() throws Exception {
        kafka = TestInfrastructure.chosen().startKafka();
        database = TestInfrastructure.chosen().createDatabase();
        processorStateDir = Files.createTempDirectory("chat-central-streams");
        ingest = start(IngestApplication.application());
        startProcessor();
        gateway = startGateway();
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + port(ingest);
    }

    /** Posts a webhook to the ingest as Evolution does: JSON, authenticated with the empresa's secret. */
    HttpResponse<String> postWebhook(String empresaId, String secret, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(ingestUrl() + "/webhooks/evolution/" + empresaId))
                        .header("Authorization", "Bearer " + secret)
                        .header("Content-Type", "application/json")
                        // megabyte bodies on a loaded machine
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The stream processor's management port, which serves its health, readiness, metrics and DLQ redrive (behind
     * {@link DevelopmentSecrets#ADMIN_API_TOKEN}).
     */
    String processorManagementUrl() {
        return "http://127.0.0.1:" + processorManagementPort;
    }

    /** Stops the stream processor as a deploy or a crash would; Kafka keeps what arrives meanwhile. */
    void stopProcessor() {
        stop(processor);
    }

    /**
     * Starts the stream processor (again): the same application id and state directory, so a restarted one resumes
     * from its committed offsets and local state, as a restarted pod does.
     */
    void startProcessor() {
        processor = start(StreamProcessorApplication.application(),
                "--chatcentral.processor.state-dir=" + processorStateDir,
                "--chatcentral.processor.application-id=" + processorApplicationId,
                "--chatcentral.processor.num-stream-threads=1",
                "--management.server.port=" + processorManagementPort);
    }

    String gatewayWsUrl() {
        return wsUrl(gateway);
    }

    /** Another gateway node on the same broker and database, as a second instance behind a load balancer. */
    ConfigurableApplicationContext startGateway() {
        return start(GatewayApplication.application(),
                "--chatcentral.gateway.redrive.processor-url=" + processorManagementUrl());
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + port(gateway);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String wsUrl(ConfigurableApplicationContext gatewayNode) {
        return "ws://127.0.0.1:" + port(gatewayNode) + "/ws";
    }

    /** Stops one service of the stack (a gateway node, say) while the others go on. */
    void stop(ConfigurableApplicationContext service) {
        services.remove(service);
        service.close();
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder application, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password()));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        services.add(context);
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        database.close();
        kafka.close();
    }
}
