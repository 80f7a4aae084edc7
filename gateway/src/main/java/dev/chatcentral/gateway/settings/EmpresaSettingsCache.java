package dev.chatcentral.gateway.settings;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.delivery.DeliveryProperties;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * The latest {@link EmpresaSettings} of each empresa this node was asked about, read from the compacted
 * {@code chat.empresa.settings}: a partition is read from its beginning the first time one of its empresas is asked
 * for, and kept live from then on. {@link #current} answers only once the partition is read up to the end it had
 * when asked, so a change any node acknowledged before the call is in the answer, whichever node wrote it.
 */
@Component
public class EmpresaSettingsCache implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmpresaSettingsCache.class);

    private final AssignedReader<String, EmpresaSettings> reader;
    private final SettingsProperties properties;
    private final Map<String, EmpresaSettings> latest = new ConcurrentHashMap<>();
    private final int partitions;

    public EmpresaSettingsCache(KafkaProperties kafka, DeliveryProperties delivery, SettingsProperties properties,
                                TopicCatalog catalog, GatewayNode node) {
        this.properties = properties;
        this.partitions = catalog.partitions(Topics.EMPRESA_SETTINGS);
        this.reader = new AssignedReader<>(CommittedTopic.of(Topics.EMPRESA_SETTINGS.name(),
                Topics.EMPRESA_SETTINGS.keySerde(), Topics.EMPRESA_SETTINGS.valueSerde(),
                kafka.buildConsumerProperties(), "gateway-settings-" + node.id()),
                AssignedReader.Start.BEGINNING, delivery.pollTimeout(), properties.timeout(),
                "chat-empresa-settings-reader", batch -> batch.records().forEach(this::apply));
    }

    /**
     * The empresa's settings as of now, {@link EmpresaSettings#defaults} when none were written; completes
     * exceptionally after the settings timeout when the topic cannot be read.
     */
    public CompletableFuture<EmpresaSettings> current(String empresaId) {
        return reader.readToEnd(Set.of(EmpresaPartition.of(empresaId, partitions)))
                .orTimeout(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(read -> latest.getOrDefault(empresaId, EmpresaSettings.defaults(empresaId)));
    }

    @Override
    public void start() {
        reader.start();
    }

    @Override
    public void stop() {
        reader.stop();
    }

    @Override
    public boolean isRunning() {
        return reader.isRunning();
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    private void apply(ConsumerRecord<String, EmpresaSettings> record) {
        EmpresaSettings settings = record.value();
        if (record.key() == null) {
            log.warn("skipping settings without key at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
        } else if (settings == null) {
            latest.remove(record.key());
        } else if (!record.key().equals(settings.empresaId())) {
            log.warn("skipping settings at {}-{} offset {}: keyed by another empresa than their own",
                    record.topic(), record.partition(), record.offset());
        } else {
            // writers claim each version in PostgreSQL first, so log order is version order
            latest.put(record.key(), settings);
        }
    }
}
