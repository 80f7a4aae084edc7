package dev.chatcentral.schemas.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of one chat-central topic in plain kafka-clients, as docs/consumers.md shows it: nothing of
 * chat-central's own code, keys and values as UTF-8 text (the values are JSON by the topic's schema under
 * {@code schemas/src/main/resources/contracts/}), committed records only. It lives among the tests so that it
 * compiles with every build, and {@code TopicConsumerExampleTest} runs it against a real broker.
 *
 * <pre>
 * java -cp kafka-clients.jar:slf4j-api.jar:. TopicConsumerExample localhost:9092 chat.events my-analytics
 * </pre>
 */
public final class TopicConsumerExample {

    private TopicConsumerExample() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: TopicConsumerExample <bootstrap servers> <topic> <consumer group>");
            System.exit(2);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config(args[0], args[2]))) {
            consumer.subscribe(List.of(args[1]));
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    System.out.println(describe(record));
                }
            }
        }
    }

    /** A consumer group's settings for a topic of the pipeline. */
    static Properties config(String bootstrapServers, String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // the stream-processor writes its topics in transactions: without this, a reader also sees the records of
        // aborted ones, which exactly-once processing has redone
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    /**
     * One line per record: where it is, its key, the version of its contract (a tombstone, on the compacted topics,
     * has a null value) and its JSON.
     */
    static String describe(ConsumerRecord<String, String> record) {
        Header version = record.headers().lastHeader("schema-version");
        return record.topic() + "-" + record.partition() + "@" + record.offset()
                + " key=" + record.key()
                + " schema-version=" + (version == null ? null : new String(version.value(), StandardCharsets.UTF_8))
                + " value=" + record.value();
    }
}
