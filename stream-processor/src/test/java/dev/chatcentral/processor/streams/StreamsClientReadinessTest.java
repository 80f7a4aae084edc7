package dev.chatcentral.processor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.testing.TestKafka;

/**
 * A Kafka Streams client of the processor reports ready only once its tasks were first assigned: before that it
 * cannot process, and a processor that said ready then made everything sent meanwhile wait (issue 15).
 */
class StreamsClientReadinessTest {

    private static final String INPUT = "readiness-test-input";
    private static final String OUTPUT = "readiness-test-output";

    @TempDir
    Path stateDir;

    private static TestKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(OUTPUT, 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldStayOutOfServiceWhileItsFirstAssignmentHasNotHappened() throws Exception {
        StreamsClient client = client(unreachableBroker());
        client.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.streams().state() == KafkaStreams.State.REBALANCING);
            assertThat(client.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(client.health().getDetails()).containsEntry("state", "REBALANCING");
        } finally {
            client.stop();
        }
    }

    @Test
    void shouldBeUpOnceRunning() {
        StreamsClient client = client(kafka.bootstrapServers());
        client.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.health().getStatus().equals(Status.UP));
            assertThat(client.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        } finally {
            client.stop();
        }
        assertThat(client.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    private final PoisonRecords poison = new PoisonRecords();

    private StreamsClient client(String bootstrapServers) {
        KafkaProperties kafkaProperties = new KafkaProperties();
        kafkaProperties.setBootstrapServers(List.of(bootstrapServers));
        String applicationId = "readiness-test-" + UUID.randomUUID();
        return new StreamsClient("readiness", StreamsClientReadinessTest::topology,
                StreamsClient.exactlyOnceConfig(kafkaProperties, applicationId, stateDir, 1, Duration.ofMillis(100),
                        (short) 1, 1024 * 1024, new DeadLetterRouting(DeadLetterStage.CONVERSA, poison, null,
                                (stage, reason, empresaId) -> { })),
                poison, new SimpleMeterRegistry());
    }

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** A port nothing listens on: taken, then given back. */
    private static String unreachableBroker() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}
