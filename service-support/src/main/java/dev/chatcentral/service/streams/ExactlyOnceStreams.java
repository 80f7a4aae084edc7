package dev.chatcentral.service.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.schemas.topic.Topics;

/**
 * What every exactly-once Kafka Streams application of chat-central shares (the stream-processor's two topologies
 * and the analytics tap): its settings, tuned for transactions v2 on a small machine (docs/benchmarks.md), and how its
 * health reads. Each application adds its own exception handlers.
 */
public final class ExactlyOnceStreams {

    private static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    private static final int PRODUCER_RETRY_BACKOFF_MS = 10;
    /** The consumer's internal setting ({@code ConsumerConfig.LEAVE_GROUP_ON_CLOSE_CONFIG}) that Streams turns off. */
    private static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    private ExactlyOnceStreams() {
    }

    /**
     * @param largestRecordBytes the largest {@code max.message.bytes} among the topics the topology writes, its state
     *                           changelogs included
     */
    public static Properties config(KafkaProperties kafka, String applicationId, Path stateDir, int threads,
                                    Duration commitInterval, short replicationFactor, int largestRecordBytes) {
        Properties config = new Properties();
        // Under exactly-once an output is read only once its transaction commits, and the commit flushes the
        // producer: lingering up to the commit interval costs no latency and makes batches many times larger,
        // which is most of the broker's and the producer's work per record.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), commitInterval.toMillis());
        config.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // Those batches are JSON, with changelogs repeating the outputs: lz4 shrinks them several times over for
        // little CPU, and bytes the broker need not copy, index and flush are worth more (docs/benchmarks.md).
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // With transactions v2 the first write to a partition in each transaction is refused (CONCURRENT_TRANSACTIONS,
        // then OUT_OF_ORDER_SEQUENCE for the batches behind it) while the previous commit's markers are written,
        // which takes milliseconds; the default 100 ms backoff made every such retry stall the next commit.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), PRODUCER_RETRY_BACKOFF_MS);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Topics.maxRequestBytes(largestRecordBytes));
        // Kafka Streams closes its consumers without leaving the group (4.1's CloseOptions.leaveGroup removes only
        // static members), so a restarted instance joined a group still holding its old self and every partition
        // waited out the old member's session, 45 s, unprocessed for all empresas. The consumer is told to leave.
        config.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
        config.putAll(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // exactly-once also makes every consumer read_committed: aborted writes upstream are never read
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        return config;
    }

    /**
     * UP while running or rebalancing, DOWN once stopped or failed, with the threads' states and what killed the
     * client, if anything did; OUT_OF_SERVICE before it started.
     *
     * @param streams the client, or null before start and after stop
     * @param fatal   the error that stopped it, or null
     */
    public static Health health(KafkaStreams streams, Throwable fatal) {
        if (streams == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            case CREATED -> Health.unknown();
            default -> Health.down();
        };
        Map<String, String> threads = new TreeMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            threads.put(thread.threadName(), thread.threadState());
        }
        health.withDetail("state", state.name()).withDetail("threads", threads);
        if (fatal != null) {
            health.withDetail("error", fatal.getClass().getName() + ": " + fatal.getMessage());
        }
        return health.build();
    }
}
