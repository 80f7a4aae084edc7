package dev.chatcentral.processor.sink;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.TransactionException;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.chatcentral.processor.ProcessorProperties;

/**
 * The sink's consumers: batches of committed records only (the topology writes in transactions), offsets committed
 * after the listener returned, that is after PostgreSQL committed; a failed batch is retried with backoff for as
 * long as it takes, so a PostgreSQL outage delays the record but never loses it.
 */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    static final String CONTAINER_FACTORY = "postgresSinkContainerFactory";
    static final String LISTENER_ID = "postgres-sink";
    /** How long without records before {@link IdleOffsetCommitter} moves committed offsets past commit markers. */
    static final Duration IDLE_EVENT_INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(SinkConfiguration.class);

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> postgresSinkContainerFactory(
            KafkaProperties kafkaProperties, ProcessorProperties properties) {
        ProcessorProperties.Sink sink = properties.sink();
        Map<String, Object> config = kafkaProperties.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, sink.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, sink.batchSize());

        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        // values are read by the sink itself, which keeps their bytes for the DLQ when they cannot become rows
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ByteArrayDeserializer()));
        factory.setBatchListener(true);
        factory.setConcurrency(sink.concurrency());
        factory.setAutoStartup(sink.enabled());
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        // the topology writes in transactions: once idle, commit past the last commit marker too, so that a sink
        // that is done shows no lag (the committed offset otherwise stays one short of each partition's end)
        factory.getContainerProperties().setFixTxOffsets(true);
        factory.getContainerProperties().setIdleEventInterval(IDLE_EVENT_INTERVAL.toMillis());

        // the whole batch is retried (the consumer paused meanwhile, so it keeps its partitions), never skipped
        ExponentialBackOff backOff = new ExponentialBackOff(sink.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(sink.maxBackoff().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return factory;
    }

    /**
     * Opens after {@code failuresToOpen} refused batches in a row: then batches fail at once instead of waiting on
     * a dead database, until {@code circuitOpenFor} has passed and the next retry probes PostgreSQL again. Only
     * PostgreSQL's own failures reach it; a record refused for what it holds is dead-lettered inside the call.
     */
    @Bean
    CircuitBreaker postgresSinkCircuitBreaker(ProcessorProperties properties) {
        ProcessorProperties.Sink sink = properties.sink();
        CircuitBreaker breaker = CircuitBreaker.of(LISTENER_ID, CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(sink.failuresToOpen())
                .minimumNumberOfCalls(sink.failuresToOpen())
                .failureRateThreshold(100)
                .waitDurationInOpenState(sink.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(DataAccessException.class, TransactionException.class)
                .build());
        breaker.getEventPublisher().onStateTransition(event ->
                log.warn("PostgreSQL sink circuit {}", event.getStateTransition()));
        return breaker;
    }
}
