package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
 * {@code chat.events}: any node can resume any client, since everything comes from Kafka. Each replay runs on
 * its own consumer (read_committed, manual assignment, like the live one), taken from a small pool so that
 * replays neither wait for each other's reads nor pay a consumer's start-up each time.
 */
@Component
public class Replayer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final Duration timeout;
    private final long bufferLimit;
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
        this.bufferLimit = sessions.sendQueueLimit().toBytes();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(delivery.replayConcurrency(), delivery.replayConcurrency(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "chat-events-replay-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Most live-event text buffered for one session while its replay runs; past it the session is too slow. */
    long bufferLimit() {
        return bufferLimit;
    }

    void replay(Replay replay, Fanout fanout) {
        executor.execute(() -> run(replay, fanout));
    }

    private void run(Replay replay, Fanout fanout) {
        KafkaConsumer<String, RealtimeEvent> consumer = idle.poll();
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerConfig, Topics.EVENTS.keySerde().deserializer(),
                    Topics.EVENTS.valueSerde().deserializer());
        }
        TopicPartition partition = new TopicPartition(Topics.EVENTS.name(), replay.partition);
        boolean reusable = false;
        try {
            consumer.assign(List.of(partition));
            long start = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            // before the log start: deleted by retention; at or past the end: not a position of this log
            boolean recovered = replay.since + 1 >= start && replay.since < end;
            if (recovered && replay.since + 1 < replay.liveNext) {
                if (!read(consumer, partition, replay, fanout)) {
                    fanout.failReplay(replay, "cannot replay the missed events now, subscribe again");
                    return;
                }
            }
            fanout.completeReplay(replay, recovered);
            reusable = true;
        } catch (KafkaException e) {
            log.warn("replay of {} from {} for session {} failed: {}", partition, replay.since, replay.session.id(),
                    e.getMessage());
            fanout.failReplay(replay, "cannot replay the missed events now, subscribe again");
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

    /** Delivers the positions in (since, liveNext); false when the session went away or time ran out. */
    private boolean read(KafkaConsumer<String, RealtimeEvent> consumer, TopicPartition partition, Replay replay,
                         Fanout fanout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.seek(partition, replay.since + 1);
        while (consumer.position(partition, timeout) < replay.liveNext) {
            if (System.nanoTime() > deadline || replay.session.isClosing()) {
                return false;
            }
            try {
                for (ConsumerRecord<String, RealtimeEvent> record : consumer.poll(POLL)) {
                    if (record.offset() >= replay.liveNext) {
                        return true;
                    }
                    RealtimeEvent event = record.value();
                    if (event == null || event.id() == null || event.empresaId() == null || event.type() == null
                            || event.channels() == null) {
                        continue;
                    }
                    if (!replay.session.awaitCapacity(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                        return false;
                    }
                    fanout.deliverReplayed(replay, event, record.offset());
                }
            } catch (RecordDeserializationException e) {
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
        return true;
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
