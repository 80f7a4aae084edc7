package dev.chatcentral.schemas.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestKafka;

/**
 * The example consumer of docs/consumers.md, against a real broker: it reads what a transactional producer with
 * the catalog's serdes committed, with its {@code schema-version} header and by its topic's schema, and nothing of
 * an aborted transaction.
 */
class TopicConsumerExampleTest {

    private static TestKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS.name(), 2, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldReadOnlyCommittedRecordsWithTheirSchemaVersionWhenATransactionAborted() throws Exception {
        RealtimeEvent committed = event("e-committed", "emp-1");
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "consumer-example-test"),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "emp-2", event("e-aborted", "emp-2"))).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "emp-1", committed));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                TopicConsumerExample.config(kafka.bootstrapServers(), "consumer-example-test"))) {
            consumer.subscribe(List.of(Topics.EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            // a little longer, for an aborted record that read_committed failed to hide
            consumer.poll(Duration.ofMillis(500)).forEach(read::add);
        }

        assertThat(read).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("emp-1");
            assertThat(TopicConsumerExample.describe(record)).contains(" key=emp-1 schema-version=1 value={");
            assertThat(Json.MAPPER.readValue(record.value(), RealtimeEvent.class)).isEqualTo(committed);
            try (InputStream schema = getClass().getResourceAsStream("/contracts/chat.events.value.json")) {
                assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(Json.MAPPER.readTree(schema)).validate(Json.MAPPER.readTree(record.value())))
                        .isEmpty();
            }
        });
    }

    private static RealtimeEvent event(String id, String empresaId) {
        return new RealtimeEvent(id, empresaId, EventType.TYPING_STOP, List.of(Channel.conversa("conv-1")),
                Json.MAPPER.createObjectNode().put("conversaId", "conv-1").put("who", "cliente")
                        .put("jid", "5511988887777@s.whatsapp.net").put("presence", "paused"),
                Instant.parse("2026-11-30T01:02:03Z"));
    }
}
