package dev.chatcentral.processor.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * One exactly-once Kafka Streams client of the processor (the conversas' and the presence topology each run one):
 * started and stopped with the context, its metrics bound, and its health derived from its state and from what
 * killed its threads, if anything did.
 */
public final class StreamsClient {

    private static final Logger log = LoggerFactory.getLogger(StreamsClient.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    private static final int PRODUCER_RETRY_BACKOFF_MS = 10;

    private final String name;
    private final Supplier<Topology> topology;
    private final Properties config;
    private final MeterRegistry meterRegistry;
    private final AtomicReference<Throwable> fatalError = new AtomicReference<>();
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics metrics;

    public StreamsClient(String name, Supplier<Topology> topology, Properties config, MeterRegistry meterRegistry) {
        this.name = name;
        this.topology = topology;
        this.config = config;
        this.meterRegistry = meterRegistry;
    }

    /** The settings every topology of the processor runs with: exactly-once, and the catalog's replication. */
    public static Properties exactlyOnceConfig(KafkaProperties kafka, String applicationId, Path stateDir,
                                               int threads, Duration commitInterval, short replicationFactor) {
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
        config.putAll(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        return config;
    }

    public synchronized void start() {
        KafkaStreams created = new KafkaStreams(topology.get(), config);
        created.setUncaughtExceptionHandler(e -> {
            // bad records are handled inside the topologies; what gets here is broken infrastructure, shown by health
            log.error("{} stream thread died; shutting its Kafka Streams client down", name, e);
            fatalError.set(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((newState, oldState) -> log.info("{} Kafka Streams {} -> {}", name, oldState,
                newState));
        metrics = new KafkaStreamsMetrics(created);
        metrics.bindTo(meterRegistry);
        created.start();
        streams = created;
    }

    /**
     * Leaves the consumer group on the way out, so the instance that takes over gets the partitions at once
     * instead of after the session timeout.
     */
    public synchronized void stop() {
        if (streams != null) {
            streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
            metrics.close();
            streams = null;
        }
    }

    public boolean isRunning() {
        return streams != null;
    }

    /** The running client, or null before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** UP while running or rebalancing, DOWN once stopped or failed, with the threads' states and the fatal error. */
    public Health health() {
        KafkaStreams current = streams;
        if (current == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = current.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            case CREATED -> Health.unknown();
            default -> Health.down();
        };
        Map<String, String> threads = new TreeMap<>();
        for (ThreadMetadata thread : current.metadataForLocalThreads()) {
            threads.put(thread.threadName(), thread.threadState());
        }
        health.withDetail("state", state.name()).withDetail("threads", threads);
        Throwable fatal = fatalError.get();
        if (fatal != null) {
            health.withDetail("error", fatal.getClass().getName() + ": " + fatal.getMessage());
        }
        return health.build();
    }
}
