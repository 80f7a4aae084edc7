package dev.chatcentral.processor.sink;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
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

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, Object> postgresSinkContainerFactory(
            KafkaProperties kafkaProperties, ProcessorProperties properties) {
        ProcessorProperties.Sink sink = properties.sink();
        Map<String, Object> config = kafkaProperties.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, sink.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

        ConcurrentKafkaListenerContainerFactory<String, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        // a value that cannot be read arrives as null instead of stopping the consumer on a poison pill
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new CatalogValueDeserializer())));
        factory.setBatchListener(true);
        factory.setConcurrency(sink.concurrency());
        factory.getContainerProperties().setAckMode(AckMode.BATCH);

        ExponentialBackOff backOff = new ExponentialBackOff(sink.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(sink.maxBackoff().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return factory;
    }
}
