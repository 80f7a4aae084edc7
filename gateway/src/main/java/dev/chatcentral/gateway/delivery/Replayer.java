package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;

/**
 * Reads the events a subscription with {@code since} missed, straight from the empresa's partition of
 * {@code chat.events}: any node can resume any client, since everything comes from Kafka. Each turn runs on a
 * consumer of its own (read_committed, manual assignment, like the live one), taken from a small pool so that
 * replays neither wait for each other's reads nor pay a consumer's start-up each time.
 *
 * <p>The few replay threads are shared fairly ({@link ReplayQueue}): a session's resumes wait as one and run in one
 * read, empresas take turns, and a client that stops reading is closed as too slow (4500) after a short stall
 * instead of holding a thread until the replay times out.
 */
@Component
public class Replayer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final Duration timeout;
    private final Duration stallTimeout;
    private final long bufferLimit;
    private final int queuedPerEmpresa;
    private final ReplayQueue queue;
    private final ExecutorService executor;
    private final LinkedBlockingQueue<KafkaConsumer<String, RealtimeEvent>> idle = new LinkedBlockingQueue<>();

    public Replayer(KafkaProperties kafka, TopicCatalogProvisioned topics, DeliveryProperties delivery,
                    SessionProperties sessions) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-replay");
        this.consumerConfig = config;
        this.timeout = delivery.replayTimeout();
        this.stallTimeout = delivery.replayStallTimeout();
        this.bufferLimit = sessions.sendQueueLimit().toBytes();
        this.queuedPerEmpresa = delivery.replayQueuePerEmpresa();
        this.queue = new ReplayQueue(queuedPerEmpresa);
        AtomicInteger threads = new AtomicInteger();
        // one task per place in the ReplayQueue, so this executor's own queue is bounded by it
        this.executor = new ThreadPoolExecutor(delivery.replayConcurrency(), delivery.replayConcurrency(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "chat-events-replay-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Most live-event text held back for one session while its replays run; past it the session is too slow. */
    long bufferLimit() {
        return bufferLimit;
    }

    void replay(Replay replay, Fanout fanout) {
        switch (queue.offer(replay)) {
            case QUEUED -> schedule(fanout);
            case JOINED -> { }
            case REFUSED -> fanout.failReplay(replay, "the most sessions of your empresa (" + queuedPerEmpresa
                    + ") are already waiting to resume on this node: subscribe again shortly");
        }
    }

    private void schedule(Fanout fanout) {
        try {
            executor.execute(() -> turn(fanout));
        } catch (RejectedExecutionException e) {
            log.debug("replay not scheduled, the node is stopping");
        }
    }

    private void turn(Fanout fanout) {
        ReplayQueue.Turn turn = queue.next();
        try {
            if (!turn.replays().isEmpty() && !turn.session().isClosing()) {
                run(turn.replays(), fanout);
            }
        } finally {
            if (queue.finished(turn.session())) {
                schedule(fanout);
            }
        }
    }

    /** Runs replays of one session, so of one partition, in one read from the lowest {@code since} on. */
    private void run(List<Replay> replays, Fanout fanout) {
        KafkaConsumer<String, RealtimeEvent> consumer = idle.poll();
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerConfig, Topics.EVENTS.keySerde().deserializer(),
                    Topics.EVENTS.valueSerde().deserializer());
        }
        TopicPartition partition = new TopicPartition(Topics.EVENTS.name(), replays.get(0).partition);
        List<Replay> open = new ArrayList<>(replays);
        boolean reusable = false;
        try {
            consumer.assign(List.of(partition));
            long start = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            for (Replay replay : replays) {
                // before the log start: deleted by retention; at or past the end: not a position of this log
                boolean recovered = replay.since + 1 >= start && replay.since < end;
                if (!recovered || replay.since + 1 >= replay.liveNext) {
                    open.remove(replay);
                    fanout.completeReplay(replay, recovered);
                }
            }
            if (!open.isEmpty()) {
                read(consumer, partition, open, fanout);
            }
            reusable = true;
        } catch (KafkaException e) {
            log.warn("replay of {} for session {} failed: {}", partition, replays.get(0).session.id(),
                    e.getMessage());
            fail(open, fanout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (reusable) {
                consumer.unsubscribe();
                idle.add(consumer);
            } else {
                consumer.close(Duration.ZERO);
            }
        }
    }

    /**
     * Hands each event to the open replays (each subscription's floor keeps the positions up to its own
     * {@code since} out), and completes a replay once the read reaches its {@code liveNext}. Replays still open
     * when time runs out are failed; when the session is closing, nobody is left to tell.
     */
    private void read(KafkaConsumer<String, RealtimeEvent> consumer, TopicPartition partition, List<Replay> open,
                      Fanout fanout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClientSession session = open.get(0).session;
        consumer.seek(partition, open.stream().mapToLong(replay -> replay.since).min().orElseThrow() + 1);
        while (true) {
            completeBelow(consumer.position(partition, timeout), open, fanout);
            if (open.isEmpty() || session.isClosing()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(open, fanout);
                return;
            }
            try {
                for (ConsumerRecord<String, RealtimeEvent> record : consumer.poll(POLL)) {
                    completeBelow(record.offset(), open, fanout);
                    if (open.isEmpty()) {
                        return;
                    }
                    RealtimeEvent event = record.value();
                    if (event == null || event.id() == null || event.empresaId() == null || event.type() == null
                            || event.channels() == null) {
                        continue;
                    }
                    if (!awaitReader(session, deadline)) {
                        if (!session.isClosing()) {
                            fail(open, fanout);
                        }
                        return;
                    }
                    for (Replay replay : open) {
                        fanout.deliverReplayed(replay, event, record.offset());
                    }
                }
            } catch (RecordDeserializationException e) {
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
    }

    /** Completes the replays that the read has taken to their {@code liveNext}: the live fan-out has the rest. */
    private static void completeBelow(long position, List<Replay> open, Fanout fanout) {
        for (Iterator<Replay> replays = open.iterator(); replays.hasNext(); ) {
            Replay replay = replays.next();
            if (replay.liveNext <= position) {
                replays.remove();
                fanout.completeReplay(replay, true);
            }
        }
    }

    private static void fail(List<Replay> open, Fanout fanout) {
        open.forEach(replay -> fanout.failReplay(replay, "cannot replay the missed events now, subscribe again"));
    }

    /**
     * Waits while the session's queue is more than half full, so a replay never overflows a client that reads at a
     * normal pace. A client that reads nothing for the stall timeout is closed as too slow (4500: it reconnects and
     * resumes) rather than holding this thread, which other clients' resumes need. False when the session is
     * closing or the replay's time ran out.
     */
    private boolean awaitReader(ClientSession session, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (session.awaitCapacity(Duration.ofNanos(Math.max(0, Math.min(left, stallTimeout.toNanos()))))) {
            return true;
        }
        if (left > stallTimeout.toNanos()) {
            session.overflow();
        }
        return false;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        KafkaConsumer<String, RealtimeEvent> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close(Duration.ZERO);
        }
    }
}
