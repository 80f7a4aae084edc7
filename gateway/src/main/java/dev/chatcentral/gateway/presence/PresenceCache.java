package dev.chatcentral.gateway.presence;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.delivery.DeliveryProperties;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.LatestPerEmpresa;

/**
 * The latest {@link PresenceSnapshot} of each empresa this node was asked about, read from the compacted
 * {@code chat.presence} and kept live ({@link LatestPerEmpresa}).
 *
 * <p>{@link #current} answers only once this node has read the partition up to the end it had when asked
 * (read_committed: the last committed transaction). The stream-processor writes a snapshot in the same transaction
 * as its {@code presence_update} event, so the answer includes every change whose event anyone could have read from
 * {@code chat.events} before the call.
 */
@Component
public class PresenceCache implements SmartLifecycle {

    private final LatestPerEmpresa<PresenceSnapshot> latest;

    public PresenceCache(KafkaProperties kafka, DeliveryProperties delivery, PresenceProperties properties,
                         TopicCatalog catalog) {
        this.latest = new LatestPerEmpresa<>(Topics.PRESENCE, catalog.partitions(Topics.PRESENCE),
                kafka.buildConsumerProperties(), "gateway-presence", "chat-presence-consumer",
                delivery.pollTimeout(), properties.snapshotTimeout(), PresenceSnapshot::empresaId,
                snapshot -> snapshot.online() != null);
    }

    /**
     * The empresa's presence as of now: its latest snapshot, or an empty one (version 0, ts null) when presence
     * never wrote one. Completes exceptionally after the snapshot timeout when {@code chat.presence} cannot be read.
     */
    public CompletableFuture<PresenceSnapshot> current(String empresaId) {
        return latest.current(empresaId, PresenceCache::empty);
    }

    private static PresenceSnapshot empty(String empresaId) {
        return new PresenceSnapshot(empresaId, List.of(), 0, 0, null);
    }

    @Override
    public void start() {
        latest.start();
    }

    @Override
    public void stop() {
        latest.stop();
    }

    @Override
    public boolean isRunning() {
        return latest.isRunning();
    }

    /** Ready before the web server takes sessions, stopped after it closed them. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }
}
