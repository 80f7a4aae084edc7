package dev.chatcentral.analytics.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TopicContracts;

/**
 * The analytics topology in a TopologyTestDriver, as its tests drive it: conversas and mensagens in at their event
 * times, the wall clock moved second by second (the publish interval is one second here), and every record written
 * to {@code chat.service.metrics} checked against its committed contract.
 */
final class AnalyticsDriver implements AutoCloseable {

    /** A whole hour: the minute and hour windows of the tests start here. */
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration GRACE = Duration.ofSeconds(30);
    static final SlaTargets.Targets DEFAULT_TARGETS = new SlaTargets.Targets(Duration.ofMinutes(2),
            Duration.ofMinutes(5));

    final List<String> rejected = new ArrayList<>();
    final List<String> late = new ArrayList<>();
    final List<ServiceMetrics> published = new ArrayList<>();
    final List<String> trimmed = new ArrayList<>();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> conversas;
    private final TestInputTopic<String, byte[]> mensagens;
    private final TestOutputTopic<String, ServiceMetrics> metrics;
    private final Map<String, ServiceMetrics> latest = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, Instant> created = new HashMap<>();
    private Instant now = START;

    AnalyticsDriver(Path stateDir, Map<String, SlaTargets.Targets> overrides) {
        this(stateDir, overrides, AnalyticsTopology.MAX_RECORD_BYTES);
    }

    AnalyticsDriver(Path stateDir, Map<String, SlaTargets.Targets> overrides, int maxRecordBytes) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        AnalyticsListener listener = new AnalyticsListener() {
            @Override
            public void rejected(String topic, String reason) {
                rejected.add(topic + ": " + reason);
            }

            @Override
            public void late(String windowSize) {
                late.add(windowSize);
            }

            @Override
            public void trimmed(String empresaId) {
                trimmed.add(empresaId);
            }

            @Override
            public void published(ServiceMetrics snapshot) {
                published.add(snapshot);
            }
        };
        AnalyticsSettings settings = new AnalyticsSettings(Duration.ofSeconds(1), GRACE, Duration.ofMinutes(1),
                Duration.ofDays(7), new SlaTargets(DEFAULT_TARGETS, overrides), maxRecordBytes, listener);
        driver = new TopologyTestDriver(AnalyticsTopology.build(settings), config, START);
        conversas = driver.createInputTopic(Topics.CONVERSAS.name(), new StringSerializer(),
                new ByteArraySerializer());
        mensagens = driver.createInputTopic(Topics.MENSAGENS.name(), new StringSerializer(),
                new ByteArraySerializer());
        metrics = driver.createOutputTopic(Topics.SERVICE_METRICS.name(),
                TopicContracts.checkedKeys(Topics.SERVICE_METRICS.name(), new StringDeserializer()),
                TopicContracts.checkedValues(Topics.SERVICE_METRICS.name(),
                        Topics.SERVICE_METRICS.valueSerde().deserializer()));
    }

    static Instant at(int minute, int second) {
        return START.plusSeconds(minute * 60L + second);
    }

    Instant now() {
        return now;
    }

    /** Moves the wall clock to {@code to}, a second at a time: the driver punctuates once per advance. */
    void clockTo(Instant to) {
        while (now.isBefore(to)) {
            now = now.plusSeconds(1);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    /** One more second of wall clock, so the latest figures are written. */
    void tick() {
        now = now.plusSeconds(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    /** The next version of a conversa, updated at {@code at} (created at its first version's time). */
    void conversa(String empresaId, String conversaId, ConversaStatus status, String atendenteId, Instant at) {
        long version = versions.merge(conversaId, 1L, Long::sum);
        Instant createdAt = created.computeIfAbsent(conversaId, id -> at);
        conversa(new Conversa(conversaId, empresaId, "inst-1", "5511999990000@s.whatsapp.net", null, "Cliente",
                status, atendenteId, 0, "oi", at, version, createdAt, at), at);
    }

    void conversa(Conversa conversa, Instant timestamp) {
        conversas.pipeInput(conversa.conversaId(), Topics.CONVERSAS.valueSerde().serializer().serialize("",
                conversa), timestamp);
    }

    void conversaBytes(String key, String json) {
        conversas.pipeInput(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), now);
    }

    Mensagem mensagem(String empresaId, String conversaId, String mensagemId, boolean fromMe, Instant sentAt) {
        Mensagem mensagem = new Mensagem(mensagemId, conversaId, empresaId, "inst-1", "key-" + mensagemId, fromMe,
                fromMe ? "5511000000000@s.whatsapp.net" : "5511999990000@s.whatsapp.net", "Cliente", "conversation",
                "texto", fromMe ? MensagemStatus.SERVER_ACK : MensagemStatus.DELIVERY_ACK, sentAt, sentAt, List.of());
        mensagem(mensagem);
        return mensagem;
    }

    void mensagem(Mensagem mensagem) {
        mensagens.pipeInput(mensagem.conversaId(), Topics.MENSAGENS.valueSerde().serializer().serialize("",
                mensagem), now);
    }

    void mensagemBytes(String key, byte[] value) {
        mensagens.pipeInput(key, value, now);
    }

    /** The latest figures written for the empresa, or null when none was. */
    ServiceMetrics latest(String empresaId) {
        for (TestRecord<String, ServiceMetrics> record : metrics.readRecordsToList()) {
            latest.put(record.key(), record.value());
        }
        return latest.get(empresaId);
    }

    static ServiceMetrics.Figures figures(ServiceMetrics metrics, String size) {
        return metrics.window(size).empresa();
    }

    static ServiceMetrics.Figures figuresOf(ServiceMetrics metrics, String size, String atendenteId) {
        return metrics.window(size).byAtendente().stream().filter(a -> a.atendenteId().equals(atendenteId))
                .map(ServiceMetrics.AtendenteFigures::figures).findFirst().orElse(null);
    }

    @Override
    public void close() {
        driver.close();
    }
}
