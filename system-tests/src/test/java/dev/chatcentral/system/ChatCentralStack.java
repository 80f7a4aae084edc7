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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.analytics.AnalyticsApplication;
import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.ingest.IngestApplication;
import dev.chatcentral.processor.StreamProcessorApplication;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.simulator.EvolutionSimulatorApplication;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.TopicContracts;

/**
 * The three services of chat-central (and, when a test asks, the analytics tap) started as they run in production,
 * each its own Spring context on its own port, sharing one real KRaft broker and one real PostgreSQL database
 * ({@link TestInfrastructure}: embedded and the machine's, or containers). A test class that starts one is marked
 * {@code @ExtendWith(TestInfrastructure.Available.class)}. {@link #withEvolutionSimulator} adds the Evolution
 * simulator, which the stream-processor's dispatcher sends the replies to and which posts its webhooks to the ingest.
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
    private final ConfigurableApplicationContext simulator;
    /** Settings of the processor's own (its dispatcher's, say), kept for a restart. */
    private final List<String> processorSettings = new ArrayList<>();

    ChatCentralStack() throws Exception {
        this(false, List.of());
    }

    /**
     * The stack with the Evolution simulator on a random port: the processor's in-process dispatcher calls it, and
     * its webhooks go to this stack's ingest for the instances registered with {@link #simulatorUrl()}'s
     * {@code PUT /simulator/instances/{instance}/target}. Demo traffic is off.
     *
     * @param processorSettings more {@code --name=value} arguments of the stream-processor, e.g. the dispatcher's
     *                          timings ({@code --chatcentral.dispatcher.call-timeout=2s})
     */
    static ChatCentralStack withEvolutionSimulator(String... processorSettings) throws Exception {
        return new ChatCentralStack(true, List.of(processorSettings));
    }

    /**
     * The stack without the Evolution simulator, its stream-processor with more settings.
     *
     * @param processorSettings {@code --name=value} arguments of the stream-processor, e.g. presence timings
     */
    static ChatCentralStack withProcessorSettings(String... processorSettings) throws Exception {
        return new ChatCentralStack(false, List.of(processorSettings));
    }

    private ChatCentralStack(boolean withSimulator, List<String> processorSettings) throws Exception {
        kafka = TestInfrastructure.chosen().startKafka();
        database = TestInfrastructure.chosen().createDatabase();
        processorStateDir = Files.createTempDirectory("chat-central-streams");
        ingest = start(IngestApplication.application());
        simulator = withSimulator ? startSimulator() : null;
        if (simulator != null) {
            this.processorSettings.add("--chatcentral.dispatcher.evolution-url=" + simulatorUrl());
        }
        this.processorSettings.addAll(processorSettings);
        startProcessor();
        gateway = startGateway();
    }

    /** The Evolution simulator's base URL: Evolution's API and the simulator's control API. */
    String simulatorUrl() {
        if (simulator == null) {
            throw new IllegalStateException("this stack runs no Evolution simulator: start it withEvolutionSimulator");
        }
        return "http://127.0.0.1:" + port(simulator);
    }

    private ConfigurableApplicationContext startSimulator() {
        // the test class path holds every service's JDBC, Kafka and topic catalog, which the simulator neither has
        // nor needs in its own deployment
        ConfigurableApplicationContext context = EvolutionSimulatorApplication.application().run(
                "--server.port=0",
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration,"
                        + "dev.chatcentral.service.topic.TopicCatalogAutoConfiguration",
                "--chatcentral.simulator.enabled=false",
                "--chatcentral.simulator.ingest-url=" + ingestUrl());
        services.add(context);
        return context;
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
        List<String> args = new ArrayList<>(List.of(
                "--chatcentral.processor.state-dir=" + processorStateDir,
                "--chatcentral.processor.application-id=" + processorApplicationId,
                "--chatcentral.processor.num-stream-threads=1",
                "--management.server.port=" + processorManagementPort));
        args.addAll(processorSettings);
        processor = start(StreamProcessorApplication.application(), args.toArray(String[]::new));
    }

    String gatewayWsUrl() {
        return wsUrl(gateway);
    }

    /** Another gateway node on the same broker and database, as a second instance behind a load balancer. */
    ConfigurableApplicationContext startGateway() {
        return start(GatewayApplication.application(),
                "--chatcentral.gateway.redrive.processor-url=" + processorManagementUrl());
    }

    /**
     * Starts the analytics tap beside the stack (it is no part of the pipeline: a test that needs its figures starts
     * it), publishing every {@code publishInterval}.
     */
    ConfigurableApplicationContext startAnalytics(Duration publishInterval) throws IOException {
        return start(AnalyticsApplication.application(),
                "--chatcentral.analytics.state-dir=" + Files.createTempDirectory("chat-central-analytics"),
                "--chatcentral.analytics.application-id=system-test-analytics-" + UUID.randomUUID(),
                "--chatcentral.analytics.publish-interval=" + publishInterval.toMillis() + "ms",
                "--management.server.port=" + freePort());
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
        try {
            assertEveryRecordKeepsItsContract();
        } finally {
            database.close();
            kafka.close();
        }
    }

    /**
     * Every committed record of every catalog topic, as the services left them, is checked against its topic's
     * committed contract (key, value and {@code schema-version}): whatever a test made the services do, each producer
     * wrote by its contract. Dead letters and parked webhooks keep the headers of the record they carry.
     */
    private void assertEveryRecordKeepsItsContract() {
        List<String> violations = new ArrayList<>();
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            boolean forwarded = topic == Topics.DLQ || topic == Topics.WEBHOOKS_RETRY;
            for (ConsumerRecord<String, byte[]> record : kafka.readCommitted(topic.name())) {
                List<String> wrong = new ArrayList<>(TopicContracts.keyViolations(topic.name(), record.key()));
                wrong.addAll(TopicContracts.valueViolations(topic.name(), record.value(), record.headers(),
                        !forwarded));
                if (!wrong.isEmpty()) {
                    violations.add(topic.name() + "-" + record.partition() + "@" + record.offset() + ": " + wrong);
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("records that break their topic's contract: " + violations);
        }
    }
}
