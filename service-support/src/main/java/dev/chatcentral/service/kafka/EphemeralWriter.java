package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.Topics;

/**
 * A writer of the fast lane, {@code chat.ephemeral}: one plain idempotent producer (no transactional id, so its
 * records are readable the moment they are replicated, whatever the isolation level of the reader). The processor
 * shares one between the stream threads of both topologies (records of one empresa are handed over by the one task
 * that owns it, in order), a gateway node has one for the typing its clients report; an idempotent producer keeps
 * each caller's order per partition.
 *
 * <p>Tuned for a signal that is worthless late: sent at once (no linger), and a record not acknowledged within
 * {@link #DELIVERY_TIMEOUT} (the typing timeout) is given up. A send waits at most {@link #MAX_BLOCK} for metadata
 * or buffer room; any failure pauses the fast lane for {@link #PAUSE} (typing dropped and counted meanwhile), so a
 * broker that is away, or a missing {@code chat.ephemeral}, costs the stream threads one wait per pause instead of
 * one per typing event, and presence goes on.
 */
public class EphemeralWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EphemeralWriter.class);
    private static final Duration MAX_BLOCK = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PAUSE = Duration.ofSeconds(1);
    /** Kafka's own default since 4.0, written out because the services' producer settings may set another. */
    public static final int LINGER_MS = 5;
    /** One warning per this much time: a broker outage fails every typing event, and they come by the thousand. */
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);

    private final KafkaProducer<String, RealtimeEvent> producer;
    private final Counter sent;
    private final Counter failed;
    private final AtomicLong lastWarned = new AtomicLong();
    /** Wall-clock millis until which nothing is handed to the producer (see {@link #PAUSE}). */
    private volatile long pausedUntil;

    /**
     * @param producerProperties the service's producer settings (a transactional id among them is dropped)
     * @param service            names the client ({@code chat-central-<service>-ephemeral}) and the meters
     *                           ({@code chatcentral.<service>.ephemeral.sent} and {@code .failed})
     */
    public EphemeralWriter(Map<String, Object> producerProperties, String service, MeterRegistry meterRegistry) {
        Map<String, Object> config = new HashMap<>(producerProperties);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a few milliseconds gather a busy node's typing into one request instead of one each: at a thousand a
        // second the requests alone kept the producer's and the broker's threads busy (docs/benchmarks.md)
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.maxRequestBytes(Topics.EPHEMERAL.maxMessageBytes()));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chat-central-" + service + "-ephemeral");
        this.producer = new KafkaProducer<>(config, Topics.EPHEMERAL.keySerde().serializer(),
                Topics.EPHEMERAL.valueSerde().serializer());
        // the first send would otherwise wait for the topic's metadata, and under load more than MAX_BLOCK: that
        // typing event would be dropped and the lane paused, at the start, when a node's first users arrive
        try {
            producer.partitionsFor(Topics.EPHEMERAL.name());
        } catch (KafkaException e) {
            log.warn("fast lane not ready at start, its first typing events may be dropped: {}", e.toString());
        }
        this.sent = Counter.builder("chatcentral." + service + ".ephemeral.sent")
                .description("Typing events written to the fast lane (chat.ephemeral)").register(meterRegistry);
        this.failed = Counter.builder("chatcentral." + service + ".ephemeral.failed")
                .description("Typing events the fast lane dropped because Kafka did not take them")
                .register(meterRegistry);
    }

    /**
     * Hands one {@code typing_start} or {@code typing_stop} event over, keyed by its empresa; never waits for the
     * broker's answer, and drops it (counted) when the lane is paused or the producer refuses it.
     *
     * @param timestamp the record's timestamp, the moment the event's cause happened: gateways drop starts older
     *                  than the typing timeout by it
     */
    public void publish(RealtimeEvent event, long timestamp) {
        if (!EventType.TYPING_START.equals(event.type()) && !EventType.TYPING_STOP.equals(event.type())) {
            throw new IllegalArgumentException("only typing events take the fast lane, not " + event.type());
        }
        if (System.currentTimeMillis() < pausedUntil) {
            failed.increment();
            return;
        }
        try {
            producer.send(new ProducerRecord<>(Topics.EPHEMERAL.name(), null, timestamp, event.empresaId(), event),
                    (metadata, failure) -> {
                        if (failure == null) {
                            sent.increment();
                        } else {
                            dropped(event, failure);
                        }
                    });
        } catch (KafkaException e) {
            dropped(event, e);
        }
    }

    /** Also called back on the sending thread, before send returns, when the wait for metadata timed out. */
    private void dropped(RealtimeEvent event, Exception failure) {
        failed.increment();
        long now = System.currentTimeMillis();
        pausedUntil = now + PAUSE.toMillis();
        long last = lastWarned.get();
        if (now - last >= WARN_EVERY.toMillis() && lastWarned.compareAndSet(last, now)) {
            log.warn("fast lane dropped {} of empresa {} (and may drop more for {} without saying): {}",
                    event.type(), event.empresaId(), WARN_EVERY, failure.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
