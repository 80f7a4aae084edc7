package dev.chatcentral.processor.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.processor.dlq.DeadLetterExceptionHandler;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.service.streams.ExactlyOnceStreams;

/**
 * One exactly-once Kafka Streams client of the processor (the conversas' and the presence topology each run one):
 * started and stopped with the context, its metrics bound, and its health derived from its state and from what
 * killed its threads, if anything did.
 */
public final class StreamsClient {

    private static final Logger log = LoggerFactory.getLogger(StreamsClient.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** More thread deaths than this within {@link #THREAD_DEATH_WINDOW} stop replacing threads: a crash loop. */
    static final int MAX_THREAD_DEATHS = 5;
    static final Duration THREAD_DEATH_WINDOW = Duration.ofMinutes(10);

    private final String name;
    private final Supplier<Topology> topology;
    private final Properties config;
    private final PoisonRecords poison;
    private final MeterRegistry meterRegistry;
    private final AtomicReference<Throwable> fatalError = new AtomicReference<>();
    private final Deque<Long> threadDeaths = new ArrayDeque<>();
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics metrics;
    /** Whether the client reached RUNNING since it started: before that, its tasks were never assigned. */
    private volatile boolean ranOnce;

    /** @param poison the marks the client's exception handlers leave; the same instance its topology reads */
    public StreamsClient(String name, Supplier<Topology> topology, Properties config, PoisonRecords poison,
                         MeterRegistry meterRegistry) {
        this.name = name;
        this.topology = topology;
        this.config = config;
        this.poison = poison;
        this.meterRegistry = meterRegistry;
    }

    /**
     * The settings every topology of the processor runs with: exactly-once, the catalog's replication, producers
     * sized for the largest record they write, and exception handlers that send what fails for good to the DLQ.
     *
     * @param largestRecordBytes the largest {@code max.message.bytes} among the topics the topology writes,
     *                           its state changelogs included
     */
    public static Properties exactlyOnceConfig(KafkaProperties kafka, String applicationId, Path stateDir,
                                               int threads, Duration commitInterval, short replicationFactor,
                                               int largestRecordBytes, DeadLetterRouting deadLetters) {
        Properties config = ExactlyOnceStreams.config(kafka, applicationId, stateDir, threads, commitInterval,
                replicationFactor, largestRecordBytes);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        config.put(DeadLetterExceptionHandler.ROUTING_CONFIG, deadLetters);
        return config;
    }

    public synchronized void start() {
        ranOnce = false;
        KafkaStreams created = new KafkaStreams(topology.get(), config);
        created.setUncaughtExceptionHandler(this::onThreadDeath);
        created.setStateListener((newState, oldState) -> {
            log.info("{} Kafka Streams {} -> {}", name, oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                ranOnce = true;
            }
        });
        metrics = new KafkaStreamsMetrics(created);
        metrics.bindTo(meterRegistry);
        created.start();
        streams = created;
    }

    /**
     * A stream thread died. Bad records are dead-lettered by the topologies themselves; a thread dies for a record
     * Kafka refused an output of, which the exception handlers marked ({@link PoisonRecords}), or for broken
     * infrastructure. The first kind is replaced, and the replacement dead-letters the record, unless threads keep
     * dying. The second stops the client: health says so, and an orchestrator restarts the service.
     */
    private synchronized StreamThreadExceptionResponse onThreadDeath(Throwable e) {
        long now = System.nanoTime();
        threadDeaths.addLast(now);
        while (now - threadDeaths.peekFirst() > THREAD_DEATH_WINDOW.toNanos()) {
            threadDeaths.removeFirst();
        }
        if (poison.isEmpty() || threadDeaths.size() > MAX_THREAD_DEATHS) {
            log.error("{} stream thread died ({} within {}); shutting its Kafka Streams client down", name,
                    threadDeaths.size(), THREAD_DEATH_WINDOW, e);
            fatalError.set(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("{} stream thread died on a record Kafka refused an output of; replacing it, which sends that "
                + "record to the DLQ", name, e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * Leaves the consumer group on the way out (through the consumer's leave-group setting; {@code leaveGroup} covers
     * static members), so the instance that takes over gets the partitions at once instead of after the session
     * timeout.
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

    /**
     * OUT_OF_SERVICE until the client first ran with its tasks assigned, then UP while running or rebalancing, DOWN
     * once stopped or failed, with the threads' states and the fatal error. So the processor reports ready only when
     * it processes: its first rebalance takes seconds to tens of seconds on a loaded machine, and what arrives
     * meanwhile waits, which is the tail a user meets right after a deploy (docs/operations.md).
     */
    public Health health() {
        KafkaStreams current = streams;
        if (current != null && !ranOnce && current.state() != KafkaStreams.State.RUNNING
                && current.state().isRunningOrRebalancing()) {
            return Health.outOfService().withDetail("state", current.state().name())
                    .withDetail("waiting", "for the first assignment of its tasks").build();
        }
        return ExactlyOnceStreams.health(current, fatalError.get());
    }
}
