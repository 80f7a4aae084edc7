package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Writes a node's samples to {@code chat.metrics}, from which every gateway builds the queue report. A sample not
 * written within two refresh intervals is worthless, the next one replaces it: the producer waits no longer than
 * that, and a failing write is logged once per outage, not once per sample.
 */
public final class MetricsSampleWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsSampleWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaProducer<String, MetricsSample> producer;
    private final OutageLog outage = new OutageLog(log, "this node's figures on " + Topics.METRICS.name());

    /**
     * @param producerProperties the service's Kafka producer settings
     * @param clientId           the producer's client id, naming the node
     * @param refreshInterval    how often the node writes a sample
     */
    public MetricsSampleWriter(Map<String, Object> producerProperties, String clientId, Duration refreshInterval) {
        Map<String, Object> config = new HashMap<>(producerProperties);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        int timeout = (int) Math.max(1_000, refreshInterval.toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        this.producer = new KafkaProducer<>(config, Topics.METRICS.keySerde().serializer(),
                Topics.METRICS.valueSerde().serializer());
    }

    /** Writes the sample keyed by its node, so the topic keeps each node's samples in order. */
    public void write(MetricsSample sample) {
        Sends.send(producer, new ProducerRecord<>(Topics.METRICS.name(), sample.nodeId(), sample))
                .whenComplete((metadata, e) -> outage.record(e));
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
