package dev.chatcentral.service.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.chatcentral.testing.TestKafka;

/**
 * The readers' tests: a broker per test class, a topic of its own per test, and producers (plain or
 * transactional) to fill it.
 */
abstract class KafkaFixture {

    static TestKafka kafka;
    static KafkaProducer<String, String> producer;

    /** Values whose text is {@code unreadable} fail to deserialize, as a record of a wrong schema would. */
    static final Serde<String> VALUES = Serdes.serdeFrom(new StringSerializer(), new Deserializer<>() {
        @Override
        public String deserialize(String topic, byte[] data) {
            String text = data == null ? null : new String(data, StandardCharsets.UTF_8);
            if ("unreadable".equals(text)) {
                throw new SerializationException("not a value");
            }
            return text;
        }
    });

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
        producer = producer(null);
    }

    @AfterAll
    static void stopKafka() {
        producer.close();
        kafka.close();
    }

    static CommittedTopic<String, String> newTopic(int partitions) throws Exception {
        String name = "reader-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
        return CommittedTopic.of(name, Serdes.String(), VALUES,
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), "reader-test");
    }

    static KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        KafkaProducer<String, String> created = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer());
        if (transactionalId != null) {
            created.initTransactions();
        }
        return created;
    }

    static void write(CommittedTopic<?, ?> topic, int partition, String... values) throws Exception {
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic.name(), partition, "k", value)).get();
        }
    }
}
