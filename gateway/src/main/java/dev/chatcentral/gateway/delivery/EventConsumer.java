package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;

/**
 * Reads {@code chat.events} for the empresas of this node's sessions, and hands each event to the {@link Fanout}.
 *
 * <p>No consumer group: the node assigns itself exactly the partitions that hold its sessions' empresas, so any
 * node can serve any tenant and nodes never rebalance each other. A partition is assigned when the first session
 * of one of its empresas arrives, positioned at the end (live delivery), and released when the last one leaves.
 * {@link KafkaConsumer} is single-threaded, so those changes travel to the consumer's own thread through a queue,
 * with {@link KafkaConsumer#wakeup()} to interrupt a poll in progress.
 */
@Component
public class EventConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);
    /** Bounds the wait for a new partition's end offset; sessions give up earlier (websocket ready-timeout). */
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Fanout fanout;
    private final Map<String, Object> consumerConfig;
    private final Duration pollTimeout;

    private final Object demandLock = new Object();
    /** Sessions per partition and the promise that the partition is positioned; guarded by demandLock. */
    private final Map<Integer, Demand> demand = new HashMap<>();
    private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();

    private volatile KafkaConsumer<String, RealtimeEvent> consumer;
    private volatile Set<Integer> assigned = Set.of();
    private volatile boolean running;
    private Thread thread;

    /** Takes the provisioning marker so the catalog's topics exist before the consumer starts. */
    public EventConsumer(Fanout fanout, KafkaProperties kafka, TopicCatalogProvisioned topics,
                         DeliveryProperties delivery) {
        this.fanout = fanout;
        this.consumerConfig = consumerConfig(kafka);
        this.pollTimeout = delivery.pollTimeout();
    }

    private static Map<String, Object> consumerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-events");
        return config;
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
            CompletableFuture<Void> ready = new CompletableFuture<>();
            demand.put(partition, new Demand(current == null ? 1 : current.sessions() + 1, ready));
            submit(new Assign(partition, ready));
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
                submit(new Unassign(partition));
            }
        }
    }

    /** Partitions of {@code chat.events} this node reads right now. */
    public Set<Integer> assignedPartitions() {
        return assigned;
    }

    private static int partitionOf(String empresaId) {
        return EmpresaPartition.of(empresaId, Topics.EVENTS.partitions());
    }

    /** Called with demandLock held, so the queue holds changes in the order the demand changed. */
    private void submit(Change change) {
        changes.add(change);
        KafkaConsumer<String, RealtimeEvent> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, Topics.EVENTS.keySerde().deserializer(),
                Topics.EVENTS.valueSerde().deserializer());
        running = true;
        thread = new Thread(this::run, "chat-events-consumer");
        thread.start();
        log.info("reading {} by manual assignment, read_committed", Topics.EVENTS.name());
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, RealtimeEvent> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Start before the web server accepts sessions, stop after it has closed them. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    private void run() {
        KafkaConsumer<String, RealtimeEvent> kafka = consumer;
        try (kafka) {
            while (running) {
                try {
                    if (assigned.isEmpty()) {
                        // poll() refuses to run without partitions; wait for the first assignment instead
                        Change first = changes.poll(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        if (first != null) {
                            apply(kafka, first);
                        }
                    }
                    applyPending(kafka);
                    if (!assigned.isEmpty()) {
                        for (ConsumerRecord<String, RealtimeEvent> record : kafka.poll(pollTimeout)) {
                            deliver(record);
                        }
                        advance(kafka);
                    }
                } catch (WakeupException e) {
                    // a change is waiting, or the node is stopping: the loop handles both
                } catch (RecordDeserializationException e) {
                    log.warn("skipping unreadable record {} offset {}: {}", e.topicPartition(), e.offset(),
                            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    kafka.seek(e.topicPartition(), e.offset() + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                } catch (KafkaException e) {
                    log.error("reading {} failed, retrying in {}", Topics.EVENTS.name(), ERROR_BACKOFF, e);
                    pause();
                }
            }
        } finally {
            failWaiting();
            assigned = Set.of();
            consumer = null;
            log.info("stopped reading {}", Topics.EVENTS.name());
        }
    }

    private void applyPending(KafkaConsumer<String, RealtimeEvent> kafka) {
        Change change;
        while ((change = changes.poll()) != null) {
            apply(kafka, change);
        }
    }

    private void apply(KafkaConsumer<String, RealtimeEvent> kafka, Change change) {
        if (change instanceof Assign assign) {
            TopicPartition partition = topicPartition(assign.partition());
            if (!assigned.contains(assign.partition())) {
                reassign(kafka, plus(assigned, assign.partition()));
                kafka.seekToEnd(List.of(partition));
            }
            try {
                // seekToEnd is lazy: fetching the position is what pins "from here on" before the session is told
                long position = positionOf(kafka, partition);
                fanout.positioned(assign.partition(), position);
                log.info("reading {} from offset {}", partition, position);
                assign.ready().complete(null);
            } catch (KafkaException e) {
                log.warn("cannot position {}: {}", partition, e.getMessage());
                assign.ready().completeExceptionally(e);
            }
        } else if (change instanceof Unassign unassign && assigned.contains(unassign.partition())) {
            reassign(kafka, minus(assigned, unassign.partition()));
            log.info("released {}", topicPartition(unassign.partition()));
        }
    }

    private long positionOf(KafkaConsumer<String, RealtimeEvent> kafka, TopicPartition partition) {
        while (true) {
            try {
                return kafka.position(partition, POSITION_TIMEOUT);
            } catch (WakeupException e) {
                // the wakeup was meant for poll(); the next change is still in the queue
                if (!running) {
                    throw new KafkaException("stopping", e);
                }
            }
        }
    }

    /**
     * Tells the fan-out how far each partition has been read: the position also moves past records that are
     * never delivered (transaction markers, aborted and unreadable records), which replays must not wait for.
     */
    private void advance(KafkaConsumer<String, RealtimeEvent> kafka) {
        for (int partition : assigned) {
            fanout.advance(partition, kafka.position(topicPartition(partition), POSITION_TIMEOUT));
        }
    }

    private void reassign(KafkaConsumer<String, RealtimeEvent> kafka, Set<Integer> partitions) {
        kafka.assign(partitions.stream().map(EventConsumer::topicPartition).toList());
        assigned = partitions;
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

    private void failWaiting() {
        IllegalStateException stopped = new IllegalStateException(Topics.EVENTS.name() + " consumer stopped");
        synchronized (demandLock) {
            demand.values().forEach(d -> d.ready().completeExceptionally(stopped));
            changes.clear();
        }
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static TopicPartition topicPartition(int partition) {
        return new TopicPartition(Topics.EVENTS.name(), partition);
    }

    private static Set<Integer> plus(Set<Integer> partitions, int partition) {
        Set<Integer> result = new TreeSet<>(partitions);
        result.add(partition);
        return Set.copyOf(result);
    }

    private static Set<Integer> minus(Set<Integer> partitions, int partition) {
        Set<Integer> result = new TreeSet<>(partitions);
        result.remove(partition);
        return Set.copyOf(result);
    }

    private record Demand(int sessions, CompletableFuture<Void> ready) {
    }

    private sealed interface Change permits Assign, Unassign {
    }

    private record Assign(int partition, CompletableFuture<Void> ready) implements Change {
    }

    private record Unassign(int partition) implements Change {
    }
}
