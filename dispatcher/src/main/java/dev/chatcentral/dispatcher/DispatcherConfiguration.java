package dev.chatcentral.dispatcher;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The dispatcher's consumers: committed records only (the topology writes {@code chat.outbound} in transactions),
 * its own group, batches whose offsets are committed after every reply of the batch is done; a batch that fails
 * (PostgreSQL or Kafka unavailable) is retried with backoff for as long as it takes, never skipped.
 *
 * <p>The whole dispatcher, for the service that imports it: {@link DispatcherApplication}, or the stream-processor,
 * which runs it in-process. {@code chatcentral.dispatcher.enabled=false} ({@code DISPATCHER_ENABLED}) leaves it out,
 * for a process whose replies another one sends.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "chatcentral.dispatcher.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DispatcherProperties.class)
public class DispatcherConfiguration {

    static final String CONTAINER_FACTORY = "outboundDispatcherContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, OutboundMessage> outboundDispatcherContainerFactory(
            KafkaProperties kafkaProperties, DispatcherProperties properties) {
        Map<String, Object> config = kafkaProperties.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.batchSize());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                longestBatch(properties).toMillis()));

        ConcurrentKafkaListenerContainerFactory<String, OutboundMessage> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        // a value that cannot be read arrives as null, is reported and skipped, instead of stopping the consumer
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(Topics.OUTBOUND.valueSerde().deserializer())));
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        // acknowledged once every reply of the poll is done; a stopping dispatcher leaves its poll unacknowledged
        factory.getContainerProperties().setAckMode(AckMode.MANUAL);
        factory.getContainerProperties().setShutdownTimeout(properties.shutdownTimeout().toMillis());

        ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return factory;
    }

    @Bean
    OutboundDispatcher outboundDispatcher(DispatcherProperties properties, JdbcTemplate jdbc,
                                          ResultPublisher resultPublisher, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        EvolutionClient client = new EvolutionClient(http, properties.evolutionUrl(), properties.evolutionApikey(),
                properties.callTimeout());
        ReplySender sender = new ReplySender(client, new InstanceGuards(properties, meters),
                new SentLookup(client, properties.lookup()), properties, meters);
        return new OutboundDispatcher(new OutboundAttempts(jdbc), new InstanceOwners(jdbc), sender, resultPublisher,
                properties, meters);
    }

    @Bean(destroyMethod = "close")
    ResultPublisher resultPublisher(KafkaProperties kafkaProperties) {
        return new ResultPublisher(kafkaProperties.buildProducerProperties());
    }

    /**
     * The longest one batch may take, as the consumer's max.poll.interval: every reply in one lane, each timing out
     * on every attempt with the longest backoffs, waiting one pace period and looking itself up, plus the circuit
     * wait and a margin.
     */
    static Duration longestBatch(DispatcherProperties properties) {
        DispatcherProperties.Retry retry = properties.retry();
        Duration perReply = properties.callTimeout().plus(retry.maxBackoff()).multipliedBy(retry.maxAttempts())
                .plus(properties.rateLimit().period())
                .plus(properties.lookup().delay()).plus(properties.lookup().timeout());
        return perReply.multipliedBy(properties.batchSize()).plus(properties.circuit().maxWait())
                .plus(Duration.ofMinutes(1));
    }
}
