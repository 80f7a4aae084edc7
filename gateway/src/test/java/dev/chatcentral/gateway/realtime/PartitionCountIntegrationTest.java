package dev.chatcentral.gateway.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.delivery.EventConsumer;
import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.PartitionCountMismatchException;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * A deployment of 3 partitions ({@code KAFKA_TOPIC_PARTITIONS=3}) instead of the default 12: the gateway creates the
 * topics with it, finds each empresa in the partition the producer's partitioner put it in, resumes from a
 * position in it, and a node configured with another count refuses to start against them.
 */
class PartitionCountIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final Duration WITHIN = Duration.ofSeconds(15);

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, RealtimeEvent> producer;
    private final List<WebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = TestGateway.start(kafka, database, "--KAFKA_TOPIC_PARTITIONS=" + PARTITIONS);
        producer = TestGateway.eventsProducer(kafka);
    }

    @AfterAll
    static void stop() {
        producer.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebSocketTestClient::close);
    }

    /**
     * An empresa whose partition among 3 is not the one among 12 (the count would be 12 had any part kept it fixed),
     * numbered {@code n} among such.
     */
    private static String empresaMovedBy12(int n) {
        return IntStream.range(0, 1000).mapToObj(i -> "emp-" + i)
                .filter(e -> EmpresaPartition.of(e, PARTITIONS) != EmpresaPartition.of(e, 12))
                .skip(n).findFirst().orElseThrow();
    }

    private static int partitionsOf(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    private WebSocketTestClient ws(String empresa) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + TestGateway.port(gateway) + "/ws",
                AgentTokens.atendente("user-1", empresa));
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    private static RecordMetadata publish(String empresa, RealtimeEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresa, event)).get();
    }

    @Test
    void shouldCreateTheSpreadTopicsWithTheSettingAndTheWholeReadOnesWithOne() throws Exception {
        assertThat(partitionsOf(Topics.EVENTS.name())).isEqualTo(PARTITIONS);
        assertThat(partitionsOf(Topics.PRESENCE.name())).isEqualTo(PARTITIONS);
        assertThat(partitionsOf(Topics.SIGNALS.name())).isEqualTo(PARTITIONS);
        assertThat(partitionsOf(Topics.METRICS.name())).isEqualTo(1);
    }

    @Test
    void shouldDeliverAnEmpresasEventsFromThePartitionTheyAreInAndResumeFromAPositionInIt() throws Exception {
        String empresa = empresaMovedBy12(0);
        String channel = Channel.empresa(empresa);
        WebSocketTestClient client = ws(empresa);
        client.subscribe(channel);
        client.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(gateway.getBean(EventConsumer.class).assignedPartitions())
                .containsExactly(EmpresaPartition.of(empresa, PARTITIONS));

        RealtimeEvent live = TestGateway.event(empresa, channel);
        RecordMetadata written = publish(empresa, live);

        assertThat(written.partition()).isEqualTo(EmpresaPartition.of(empresa, PARTITIONS));
        JsonNode frame = client.awaitFrame(f -> live.id().equals(f.path("id").asString()), WITHIN);
        assertThat(frame.path("position").asLong()).isEqualTo(written.offset());

        client.close();
        RealtimeEvent missed = TestGateway.event(empresa, channel);
        publish(empresa, missed);
        WebSocketTestClient resumed = ws(empresa);
        resumed.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + written.offset() + "}");

        resumed.awaitFrame(f -> missed.id().equals(f.path("id").asString()), WITHIN);
        JsonNode subscribed = resumed.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(subscribed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.frames()).noneMatch(f -> live.id().equals(f.path("id").asString()));
    }

    @Test
    void shouldRefuseToStartANodeConfiguredWithAnotherCount() throws Exception {
        assertThatThrownBy(() -> TestGateway.start(kafka, database).close())
                .isInstanceOf(PartitionCountMismatchException.class)
                .hasMessageContaining("topic chat.events has 3 partitions but KAFKA_TOPIC_PARTITIONS is 12");

        assertThat(partitionsOf(Topics.EVENTS.name())).isEqualTo(PARTITIONS);
    }
}
