package dev.chatcentral.gateway.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * Each empresa's live service figures, as the {@code analytics} tap keeps them in {@code chat.service.metrics}: this
 * node reads the whole topic from the beginning, keeps the latest record per empresa (the topic is compacted to
 * exactly that, so memory grows with the empresas, one record each), serves it to supervisors over REST and shows
 * each new record as a {@code service_metrics} event on the empresa's {@code empresa:} channel, through the fan-out's
 * ephemeral path: no position, never replayed, since the next record supersedes it within seconds.
 *
 * <p>The topic is written by an application outside the pipeline, so its records are read as hostile: the bytes are
 * parsed here rather than by the consumer, and a record whose key is no empresa id, whose value is not figures of
 * that empresa or holds impossible figures is skipped with a log line and counted ({@value #SKIPPED}, tag
 * {@code reason}); the records after it are read as usual. A tombstone forgets the empresa's figures.
 */
@Component
public class ServiceFigures implements SmartLifecycle {

    public static final String SKIPPED = "chatcentral.gateway.service.metrics.skipped";
    /**
     * The largest figures shown as an event: a frame this large takes half of a client's default send queue
     * (WEBSOCKET_SEND_QUEUE_LIMIT, 1 MB), so larger ones are served over REST only, never closing a supervisor's
     * connection as a slow reader.
     */
    static final int MAX_EVENT_BYTES = 512 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ServiceFigures.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Fanout fanout;
    private final MeterRegistry registry;
    private final int partitions;
    private final AssignedReader<String, byte[]> reader;
    private final Map<String, ServiceMetrics> latest = new ConcurrentHashMap<>();
    private volatile boolean running;

    public ServiceFigures(KafkaProperties kafka, TopicCatalog catalog, GatewayNode node, Fanout fanout,
                          MeterRegistry registry) {
        this.fanout = fanout;
        this.registry = registry;
        this.partitions = catalog.partitions(Topics.SERVICE_METRICS);
        // bytes, parsed in read(): the consumer's own skip of an unreadable value would go uncounted
        this.reader = new AssignedReader<>(CommittedTopic.of(Topics.SERVICE_METRICS.name(),
                Topics.SERVICE_METRICS.keySerde(), Serdes.ByteArray(), kafka.buildConsumerProperties(),
                "gateway-service-metrics-" + node.id()),
                AssignedReader.Start.BEGINNING, POLL_TIMEOUT, CLOSE_TIMEOUT, "chat-service-metrics-reader",
                batch -> batch.records().forEach(this::read));
    }

    /**
     * The empresa's latest figures; when none were read yet (the tap has not written any, or this node is still
     * reading the topic), figures that say so: {@code ts} null, nothing waiting, no windows, no atendentes.
     */
    public ServiceMetrics current(String empresaId) {
        ServiceMetrics figures = latest.get(empresaId);
        return figures != null ? figures : new ServiceMetrics(empresaId, null, 0, 0, List.of(), List.of());
    }

    @Override
    public synchronized void start() {
        running = true;
        reader.start();
        for (int partition = 0; partition < partitions; partition++) {
            reader.assign(partition);
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        reader.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        String empresaId = record.key();
        String badKey = keyRefusal(empresaId);
        if (badKey != null) {
            skip(record, "key", badKey);
            return;
        }
        if (record.value() == null) {
            latest.remove(empresaId);
            return;
        }
        ServiceMetrics figures;
        try {
            figures = Json.MAPPER.readValue(record.value(), ServiceMetrics.class);
        } catch (JacksonException e) {
            // the parser quotes the input: bounded and without control characters in the log
            skip(record, "unreadable", printable(e.getOriginalMessage(), 300));
            return;
        }
        String badValue = valueRefusal(empresaId, figures);
        if (badValue != null) {
            skip(record, "figures", badValue);
            return;
        }
        latest.put(empresaId, figures);
        show(record, figures);
    }

    private void show(ConsumerRecord<String, byte[]> record, ServiceMetrics figures) {
        if (record.serializedValueSize() > MAX_EVENT_BYTES) {
            log.info("service figures of empresa {} at {}-{} offset {} are {} bytes: served over REST, not pushed",
                    figures.empresaId(), record.topic(), record.partition(), record.offset(),
                    record.serializedValueSize());
            registry.counter(SKIPPED, "reason", "too-large-to-push").increment();
            return;
        }
        // the same id on every node: the record it shows
        RealtimeEvent event = new RealtimeEvent("service-metrics-" + record.partition() + "-" + record.offset(),
                figures.empresaId(), EventType.SERVICE_METRICS, List.of(Channel.empresa(figures.empresaId())),
                Json.embed(figures), figures.ts());
        try {
            fanout.deliverEphemeral(event, figures.ts());
        } catch (RuntimeException e) {
            log.error("showing service figures of empresa {} failed", figures.empresaId(), e);
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String reason, String detail) {
        registry.counter(SKIPPED, "reason", reason).increment();
        log.warn("skipping service figures at {}-{} offset {}: {}", record.topic(), record.partition(),
                record.offset(), detail);
    }

    /** Why a key names no empresa, or null: the rules of an {@code empresa:} channel's id. */
    static String keyRefusal(String key) {
        if (key == null || key.isBlank()) {
            return "no key";
        }
        if (key.length() > Channel.MAX_ID_LENGTH) {
            return "key of " + key.length() + " characters";
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return "key with control characters";
        }
        return null;
    }

    /** Why parsed figures cannot be the key's empresa's, or null. */
    static String valueRefusal(String key, ServiceMetrics figures) {
        if (figures == null) {
            return "null figures";
        }
        if (!key.equals(figures.empresaId())) {
            return "figures of empresa " + printable(figures.empresaId(), Channel.MAX_ID_LENGTH) + " keyed by " + key;
        }
        if (figures.ts() == null) {
            return "figures without ts";
        }
        if (figures.waiting() < 0 || figures.longestWaitMs() < 0) {
            return "negative waiting figures";
        }
        // the lists hold no null: the record's constructor copies them with List.copyOf, which refuses one
        for (ServiceMetrics.Window window : figures.windows()) {
            if (window.size() == null || window.empresa() == null || window.start() == null || window.end() == null
                    || window.byAtendente().stream().anyMatch(a -> a.atendenteId() == null || a.figures() == null)) {
                return "incomplete window";
            }
        }
        for (ServiceMetrics.AtendenteLoad load : figures.atendentes()) {
            if (load.atendenteId() == null || load.open() < 0 || load.awaitingReply() < 0
                    || load.longestAwaitingMs() < 0) {
                return "incomplete or negative atendente load";
            }
        }
        return null;
    }

    /** Text from the record, fit for a log line: at most {@code max} characters, control characters replaced. */
    private static String printable(String text, int max) {
        if (text == null) {
            return "null";
        }
        String bounded = text.length() <= max ? text : text.substring(0, max) + "...";
        return bounded.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
