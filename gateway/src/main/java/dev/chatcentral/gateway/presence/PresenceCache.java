package dev.chatcentral.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

import dev.chatcentral.gateway.delivery.DeliveryProperties;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;

/**
 * The latest {@link PresenceSnapshot} of each empresa this node was asked about, read from the compacted
 * {@code chat.presence} and kept live. A partition is read from its beginning the first time one of its empresas
 * is asked for, and from then on until the node stops: at most {@link Topics#PRESENCE}'s partitions, each about
 * one record per empresa once compacted.
 *
 * <p>{@link #current} answers only once this node has read the partition up to the end it had when asked
 * (read_committed: the last committed transaction). The stream-processor writes a snapshot in the same transaction
 * as its {@code presence_update} event, so the answer includes every change whose event anyone could have read from
 * {@code chat.events} before the call. One thread owns the consumer; requests reach it through a queue.
 */
@Component
public class PresenceCache implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PresenceCache.class);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> consumerConfig;
    private final Duration pollTimeout;
    private final Duration timeout;
    private final Map<String, PresenceSnapshot> latest = new ConcurrentHashMap<>();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    private volatile KafkaConsumer<String, PresenceSnapshot> consumer;
    private volatile boolean running;
    private Thread thread;

    public PresenceCache(KafkaProperties kafka, TopicCatalogProvisioned topics, DeliveryProperties delivery,
                         PresenceProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-presence");
        this.consumerConfig = config;
        this.pollTimeout = delivery.pollTimeout();
        this.timeout = properties.snapshotTimeout();
    }

    /**
     * The empresa's presence as of now: its latest snapshot, or an empty one (version 0, ts null) when presence
     * never wrote one. Completes exceptionally after the snapshot timeout when {@code chat.presence} cannot be read.
     */
    public CompletableFuture<PresenceSnapshot> current(String empresaId) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        requests.add(new Request(EmpresaPartition.of(empresaId, Topics.PRESENCE.partitions()), caughtUp));
        KafkaConsumer<String, PresenceSnapshot> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        return caughtUp.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(read -> latest.getOrDefault(empresaId, empty(empresaId)));
    }

    private static PresenceSnapshot empty(String empresaId) {
        return new PresenceSnapshot(empresaId, List.of(), 0, 0, null);
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, Topics.PRESENCE.keySerde().deserializer(),
                Topics.PRESENCE.valueSerde().deserializer());
        running = true;
        thread = new Thread(this::run, "chat-presence-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, PresenceSnapshot> current = consumer;
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

    /** Ready before the web server takes sessions, stopped after it closed them. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    private void run() {
        KafkaConsumer<String, PresenceSnapshot> kafka = consumer;
        Set<TopicPartition> assigned = new HashSet<>();
        // requests taken from the queue but not yet turned into waiters, kept across a wakeup
        List<Request> taken = new ArrayList<>();
        List<Waiter> waiters = new ArrayList<>();
        try (kafka) {
            while (running) {
                try {
                    if (assigned.isEmpty() && taken.isEmpty()) {
                        Request first = requests.poll(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        if (first != null) {
                            taken.add(first);
                        }
                    }
                    requests.drainTo(taken);
                    if (!taken.isEmpty()) {
                        accept(kafka, assigned, taken, waiters);
                    }
                    if (!assigned.isEmpty()) {
                        for (ConsumerRecord<String, PresenceSnapshot> record : kafka.poll(pollTimeout)) {
                            apply(record);
                        }
                        release(kafka, waiters);
                    }
                } catch (WakeupException e) {
                    // a request is waiting, or the node is stopping: the loop handles both
                } catch (RecordDeserializationException e) {
                    log.warn("skipping unreadable presence snapshot at {} offset {}: {}", e.topicPartition(),
                            e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    kafka.seek(e.topicPartition(), e.offset() + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                } catch (KafkaException e) {
                    log.error("reading {} failed, retrying in {}", Topics.PRESENCE.name(), ERROR_BACKOFF, e);
                    pause();
                }
            }
        } finally {
            IllegalStateException stopped = new IllegalStateException(Topics.PRESENCE.name() + " reader stopped");
            taken.forEach(request -> request.caughtUp().completeExceptionally(stopped));
            waiters.forEach(waiter -> waiter.caughtUp().completeExceptionally(stopped));
            requests.forEach(request -> request.caughtUp().completeExceptionally(stopped));
            consumer = null;
        }
    }

    /** Assigns the requests' partitions (from the beginning) and notes how far each must be read to answer. */
    private void accept(KafkaConsumer<String, PresenceSnapshot> kafka, Set<TopicPartition> assigned,
                        List<Request> taken, List<Waiter> waiters) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (Request request : taken) {
            wanted.add(partition(request.partition()));
        }
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(assigned);
        if (!added.isEmpty()) {
            assigned.addAll(added);
            kafka.assign(assigned);
            kafka.seekToBeginning(added);
            log.info("reading {} from the beginning", added);
        }
        // read_committed: the end is the last stable offset, so everything committed before now lies below it
        Map<TopicPartition, Long> ends = kafka.endOffsets(wanted, timeout);
        for (Request request : taken) {
            waiters.add(new Waiter(partition(request.partition()), ends.get(partition(request.partition())),
                    request.caughtUp()));
        }
        taken.clear();
        release(kafka, waiters);
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

    private void release(KafkaConsumer<String, PresenceSnapshot> kafka, List<Waiter> waiters) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.caughtUp().isDone()) {
                it.remove();
                continue;
            }
            long position = positions.computeIfAbsent(waiter.partition(), p -> kafka.position(p, timeout));
            if (position >= waiter.end()) {
                it.remove();
                waiter.caughtUp().complete(null);
            }
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

    private static TopicPartition partition(int partition) {
        return new TopicPartition(Topics.PRESENCE.name(), partition);
    }

    private record Request(int partition, CompletableFuture<Void> caughtUp) {
    }

    private record Waiter(TopicPartition partition, long end, CompletableFuture<Void> caughtUp) {
    }
}
