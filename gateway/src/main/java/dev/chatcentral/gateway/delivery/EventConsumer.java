package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
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

import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * Reads {@code chat.events} for the empresas of this node's sessions, and hands each event to the {@link Fanout};
 * and reads the same partitions of the fast lane, {@code chat.ephemeral}, for typing.
 *
 * <p>The fast lane is read from the end whenever a partition is assigned (nothing resumes from it), by a reader of
 * its own so that typing never waits behind a batch of events. Its records are written outside any transaction, so
 * the read_committed isolation every reader here uses costs nothing: with no transaction open on the topic, the
 * last stable offset is the high watermark and a record is read as soon as it is replicated. What it delivers is
 * checked as hostile: only {@code typing_*} events of the key's empresa on {@code conversa:} channels, of a bounded
 * size, and a start older than the typing timeout (a writer that caught up after a pause) is not shown. Its
 * writers are the gateway nodes (the typing their clients report) and the processor (customers' typing, and the stops
 * it decides): an atendente's events are shown in the order of their causes ({@link TypingOrder}).
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

    /**
     * The largest fast-lane record shown: a typing event is a few hundred bytes, so anything this large is not one,
     * and a client's queue is not the place to find out.
     */
    static final int MAX_EPHEMERAL_BYTES = 16 * 1024;

    private final Fanout fanout;
    private final AssignedReader<String, RealtimeEvent> reader;
    private final AssignedReader<String, RealtimeEvent> ephemeral;
    private final Duration typingTimeout;
    private final TypingOrder typingOrder;
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
        CommittedTopic<String, RealtimeEvent> fastLane = CommittedTopic.of(Topics.EPHEMERAL.name(),
                Topics.EPHEMERAL.keySerde(), Topics.EPHEMERAL.valueSerde(), kafka.buildConsumerProperties(),
                "gateway-ephemeral");
        this.ephemeral = new AssignedReader<>(fastLane, AssignedReader.Start.END, delivery.pollTimeout(),
                POSITION_TIMEOUT, "chat-ephemeral-consumer", this::deliverEphemeral);
        this.typingTimeout = delivery.typingTimeout();
        this.typingOrder = new TypingOrder(delivery.typingTimeout().toMillis());
    }

    /**
     * Registers one more session of {@code empresaId}. The future completes once the empresa's partition is
     * assigned and its position known, so any event written after that is delivered; it fails if the consumer
     * could not get there. It also waits for the fast lane's position, but not for its success: typing is best
     * effort, and a session without it still gets every event. Every call must be matched by one {@link #detach}.
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
            CompletableFuture<Void> typing = ephemeral.assign(partition).handle((position, e) -> {
                if (e != null) {
                    log.warn("cannot position the fast lane's partition {}: typing may be missed", partition);
                }
                return null;
            });
            CompletableFuture<Void> ready = reader.assign(partition)
                    .thenAccept(position -> fanout.positioned(partition, position))
                    .thenCompose(positioned -> typing);
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
                // under demandLock, so the readers see assigns and releases in the order the demand changed
                reader.release(partition);
                ephemeral.release(partition);
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
        ephemeral.start();
    }

    @Override
    public void stop() {
        reader.stop();
        ephemeral.stop();
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
        if (EventFrame.isEphemeral(event)) {
            // shown from the fast lane (typing) or chat.service.metrics, never with a position; the batch's
            // position moves past it
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

    /** The fast lane's records, on its reader's thread: checked, then shown at once. */
    private void deliverEphemeral(AssignedReader.Batch<String, RealtimeEvent> batch) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, RealtimeEvent> record : batch.records()) {
            String refused = refusal(record);
            if (refused != null) {
                log.warn("not showing fast-lane record at {}-{} offset {}: {}", record.topic(), record.partition(),
                        record.offset(), refused);
                continue;
            }
            RealtimeEvent event = record.value();
            if (event.type().equals(EventType.TYPING_START) && now - record.timestamp() > typingTimeout.toMillis()) {
                log.debug("not showing typing start {} of {} ms ago", event.id(), now - record.timestamp());
                continue;
            }
            if (!typingOrder.admit(event, now)) {
                log.debug("not showing {} {}: that typist's typing changed after it", event.type(), event.id());
                continue;
            }
            try {
                fanout.deliverEphemeral(event,
                        event.ts() != null ? event.ts() : Instant.ofEpochMilli(record.timestamp()));
            } catch (RuntimeException e) {
                log.error("delivering ephemeral event {} at {}-{} offset {} failed", event.id(), record.topic(),
                        record.partition(), record.offset(), e);
            }
        }
    }

    /** Why a fast-lane record must not be shown, or null: only typing events of the key's empresa, to conversas. */
    private static String refusal(ConsumerRecord<String, RealtimeEvent> record) {
        RealtimeEvent event = record.value();
        if (record.serializedValueSize() > MAX_EPHEMERAL_BYTES) {
            return "too large (" + record.serializedValueSize() + " bytes)";
        }
        if (event == null || event.id() == null || event.empresaId() == null || event.type() == null
                || event.channels() == null) {
            return "incomplete";
        }
        if (!EventFrame.isTyping(event)) {
            return "not a typing event";
        }
        if (!event.empresaId().equals(record.key())) {
            return "keyed by another empresa than its own";
        }
        for (String channel : event.channels()) {
            if (Channel.parse(channel).map(Channel::kind).orElse(null) != Channel.Kind.CONVERSA) {
                return "typing on a channel that is no conversa";
            }
        }
        return null;
    }

    private record Demand(int sessions, CompletableFuture<Void> ready) {
    }
}
