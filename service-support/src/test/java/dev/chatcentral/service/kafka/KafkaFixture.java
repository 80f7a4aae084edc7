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

import dev.chatcentral.testing.TestKafka;

/** A topic of its own per test on the shared broker, and a producer (plain or transactional) to fill it. */
final class KafkaFixture {

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

    private KafkaFixture() {
    }

    static CommittedTopic<String, String> newTopic(TestKafka kafka, int partitions) throws Exception {
        String name = "reader-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
        return CommittedTopic.of(name, Serdes.String(), VALUES,
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), "reader-test");
    }

    static KafkaProducer<String, String> producer(TestKafka kafka, String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer());
        if (transactionalId != null) {
            producer.initTransactions();
        }
        return producer;
    }

    static void write(KafkaProducer<String, String> producer, CommittedTopic<?, ?> topic, int partition,
                      String... values) throws Exception {
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic.name(), partition, "k", value)).get();
        }
    }
}
