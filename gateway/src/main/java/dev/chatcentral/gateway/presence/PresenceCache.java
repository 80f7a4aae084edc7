package dev.chatcentral.gateway.presence;

import java.time.Duration;
import java.util.List;
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
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * The latest {@link PresenceSnapshot} of each empresa this node was asked about, read from the compacted
 * {@code chat.presence} and kept live. A partition is read from its beginning the first time one of its empresas
 * is asked for, and from then on until the node stops: at most {@link Topics#PRESENCE}'s partitions, each about
 * one record per empresa once compacted.
 *
 * <p>{@link #current} answers only once this node has read the partition up to the end it had when asked
 * (read_committed: the last committed transaction). The stream-processor writes a snapshot in the same transaction
 * as its {@code presence_update} event, so the answer includes every change whose event anyone could have read from
 * {@code chat.events} before the call. An {@link AssignedReader} owns the consumer and its thread.
 */
@Component
public class PresenceCache implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PresenceCache.class);

    private final AssignedReader<String, PresenceSnapshot> reader;
    private final Duration timeout;
    private final Map<String, PresenceSnapshot> latest = new ConcurrentHashMap<>();
    /** Partitions of {@code chat.presence}, as the catalog checked against the brokers at startup. */
    private final int partitions;

    public PresenceCache(KafkaProperties kafka, DeliveryProperties delivery, PresenceProperties properties,
                         TopicCatalog catalog) {
        this.partitions = catalog.partitions(Topics.PRESENCE);
        CommittedTopic<String, PresenceSnapshot> presence = CommittedTopic.of(Topics.PRESENCE.name(),
                Topics.PRESENCE.keySerde(), Topics.PRESENCE.valueSerde(), kafka.buildConsumerProperties(),
                "gateway-presence");
        this.timeout = properties.snapshotTimeout();
        this.reader = new AssignedReader<>(presence, AssignedReader.Start.BEGINNING, delivery.pollTimeout(), timeout,
                "chat-presence-consumer", batch -> batch.records().forEach(this::apply));
    }

    /**
     * The empresa's presence as of now: its latest snapshot, or an empty one (version 0, ts null) when presence
     * never wrote one. Completes exceptionally after the snapshot timeout when {@code chat.presence} cannot be read.
     */
    public CompletableFuture<PresenceSnapshot> current(String empresaId) {
        return reader.readToEnd(Set.of(EmpresaPartition.of(empresaId, partitions)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(read -> latest.getOrDefault(empresaId, empty(empresaId)));
    }

    private static PresenceSnapshot empty(String empresaId) {
        return new PresenceSnapshot(empresaId, List.of(), 0, 0, null);
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

    /** Ready before the web server takes sessions, stopped after it closed them. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    private void apply(ConsumerRecord<String, PresenceSnapshot> record) {
        PresenceSnapshot snapshot = record.value();
        if (record.key() == null) {
            log.warn("skipping presence snapshot without key at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
        } else if (snapshot == null) {
            latest.remove(record.key());
        } else if (!record.key().equals(snapshot.empresaId()) || snapshot.online() == null) {
            log.warn("skipping presence snapshot at {}-{} offset {}: key {} but empresaId {}", record.topic(),
                    record.partition(), record.offset(), record.key(), snapshot.empresaId());
        } else {
            // log order is the truth: a snapshot later in the partition replaces the one before
            latest.put(record.key(), snapshot);
        }
    }
}
