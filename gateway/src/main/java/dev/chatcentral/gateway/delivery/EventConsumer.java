package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * Reads {@code chat.events} for the empresas of this node's sessions, and hands each event to the {@link Fanout}.
 *
 * <p>No consumer group: the node assigns itself exactly the partitions that hold its sessions' empresas, so any
 * node can serve any tenant and nodes never rebalance each other. A partition is assigned when the first session
 * of one of its empresas arrives, positioned at the end (live delivery), and released when the last one leaves.
 * The {@link AssignedReader} owns the consumer and its thread; this class counts the sessions per partition.
 */
@Component
public class EventConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);
    /** Bounds the wait for a new partition's end offset; sessions give up earlier (websocket ready-timeout). */
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(10);

    private final Fanout fanout;
    private final AssignedReader<String, RealtimeEvent> reader;
    /** Partitions of {@code chat.events}, as the catalog checked against the brokers at startup. */
    private final int partitions;

    private final Object demandLock = new Object();
    /** Sessions per partition and the promise that the partition is positioned; guarded by demandLock. */
    private final Map<Integer, Demand> demand = new HashMap<>();

    public EventConsumer(Fanout fanout, KafkaProperties kafka, DeliveryProperties delivery, TopicCatalog catalog) {
        this.fanout = fanout;
        this.partitions = catalog.partitions(Topics.EVENTS);
        CommittedTopic<String, RealtimeEvent> events = CommittedTopic.of(Topics.EVENTS.name(),
                Topics.EVENTS.keySerde(), Topics.EVENTS.valueSerde(), kafka.buildConsumerProperties(),
                "gateway-events");
        this.reader = new AssignedReader<>(events, AssignedReader.Start.END, delivery.pollTimeout(),
                POSITION_TIMEOUT, "chat-events-consumer", this::deliver);
    }

    /**
     * Registers one more session of {@code empresaId}. The future completes once the empresa's partition is
     * assigned and its position known, so any event written after that is delivered; it fails if the consumer
     * could not get there. Every call must be matched by one {@link #detach}.
     */
    public CompletableFuture<Void> attach(String empresaId) {
        int partition = partitionOf(empresaId);
        synchronized (demandLock) {
            Demand current = demand.get(partition);
            if (current != null && !current.ready().isCompletedExceptionally()) {
                demand.put(partition, new Demand(current.sessions() + 1, current.ready()));
                return current.ready();
            }
            // the fan-out learns the position before the sessions are told they are ready
            CompletableFuture<Void> ready = reader.assign(partition)
                    .thenAccept(position -> fanout.positioned(partition, position));
            demand.put(partition, new Demand(current == null ? 1 : current.sessions() + 1, ready));
            return ready;
        }
    }

    public void detach(String empresaId) {
        int partition = partitionOf(empresaId);
        synchronized (demandLock) {
            Demand current = demand.get(partition);
            if (current == null) {
                return;
            }
            if (current.sessions() > 1) {
                demand.put(partition, new Demand(current.sessions() - 1, current.ready()));
            } else {
                demand.remove(partition);
                // under demandLock, so the reader sees assigns and releases in the order the demand changed
                reader.release(partition);
            }
        }
    }

    /** Partitions of {@code chat.events} this node reads right now. */
    public Set<Integer> assignedPartitions() {
        return reader.assigned();
    }

    private int partitionOf(String empresaId) {
        return EmpresaPartition.of(empresaId, partitions);
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

    /** Start before the web server accepts sessions, stop after it has closed them. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    /**
     * Hands the batch's events to the fan-out, then tells it how far each partition has been read: the position
     * also moves past records that are never delivered (transaction markers, aborted and unreadable records),
     * which replays must not wait for.
     */
    private void deliver(AssignedReader.Batch<String, RealtimeEvent> batch) {
        for (ConsumerRecord<String, RealtimeEvent> record : batch.records()) {
            deliver(record);
        }
        for (int partition : batch.partitions()) {
            fanout.advance(partition, batch.position(partition));
        }
    }

    private void deliver(ConsumerRecord<String, RealtimeEvent> record) {
        RealtimeEvent event = record.value();
        if (event == null || event.id() == null || event.empresaId() == null || event.type() == null
                || event.channels() == null) {
            log.warn("skipping incomplete event at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        try {
            fanout.deliver(record);
        } catch (RuntimeException e) {
            fanout.advance(record.partition(), record.offset() + 1);
            log.error("delivering event {} at {}-{} offset {} failed", event.id(), record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private record Demand(int sessions, CompletableFuture<Void> ready) {
    }
}
