package dev.chatcentral.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker (KRaft, in-process, random port) for one test class. Configured for exactly-once:
 * with a single broker the transaction state log must accept one replica. Or a broker run elsewhere
 * ({@link #external}), e.g. in a container.
 */
public final class TestKafka implements AutoCloseable {

    /** The embedded broker, or null for an external one. */
    private final EmbeddedKafkaKraftBroker broker;
    private final String bootstrapServers;
    private final AutoCloseable onClose;

    private TestKafka(EmbeddedKafkaKraftBroker broker, String bootstrapServers, AutoCloseable onClose) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.onClose = onClose;
    }

    /**
     * A broker this JVM did not start, at {@code bootstrapServers}, configured for exactly-once as the embedded one
     * is; {@code onClose} stops it (a container, say) when the test class is done.
     */
    public static TestKafka external(String bootstrapServers, AutoCloseable onClose) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("an external broker needs its bootstrap servers");
        }
        return new TestKafka(null, bootstrapServers, onClose);
    }

    public static TestKafka start() {
        return start(new EmbeddedKafkaKraftBroker(1, 1));
    }

    /**
     * A broker on a fixed free port, so that it can be stopped and started again ({@link #stopBroker},
     * {@link #startBroker}) and clients find it where it was: for tests of what happens while Kafka is away.
     */
    public static TestKafka startRestartable() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return start(new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(socket.getLocalPort()));
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the broker", e);
        }
    }

    private static TestKafka start(EmbeddedKafkaKraftBroker broker) {
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return new TestKafka(broker, broker.getBrokersAsString(), () -> { });
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Every committed record of the topic, from its beginning to its end as it is now, as the pipeline's
     * {@code read_committed} consumers see them: records of aborted or still open transactions are left out.
     */
    public List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end of each partition is its last stable offset
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + ends + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Stops the broker (the KRaft controller stays up) and waits until it is down; its data is kept. */
    public void stopBroker() {
        for (BrokerServer server : embedded("stopped").getCluster().brokers().values()) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Starts the broker stopped by {@link #stopBroker} again, on the same port and with the same data. */
    public void startBroker() {
        for (BrokerServer server : embedded("restarted").getCluster().brokers().values()) {
            server.startup();
        }
    }

    private EmbeddedKafkaKraftBroker embedded(String what) {
        if (broker == null) {
            throw new IllegalStateException("only an embedded broker can be " + what + " by a test");
        }
        return broker;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.destroy();
        }
        try {
            onClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the broker at " + bootstrapServers, e);
        }
    }
}
