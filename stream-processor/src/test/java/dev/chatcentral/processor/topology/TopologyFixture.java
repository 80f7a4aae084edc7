package dev.chatcentral.processor.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import dev.chatcentral.processor.dlq.DeadLetterExceptionHandler;
import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.instance.InstanceSilence;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TopicContracts;

/** The application's topology in a {@link TopologyTestDriver}, with every input and output topic at hand. */
final class TopologyFixture implements AutoCloseable {

    static final String EMPRESA = "emp-1";
    static final Instant START = Instant.parse("2025-10-21T14:40:40Z");
    /** Retries in the tests: 3 after the first attempt, waiting 2 s, 4 s, 8 s; checked every 500 ms. */
    static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1),
            Duration.ofMillis(500));

    /** How long an unconfirmed reply waits for evidence in the tests. */
    static final Duration UNCONFIRMED_WINDOW = Duration.ofMinutes(2);
    /** Silences in the tests: checked every 30 s, ten usual gaps and at least 5 minutes, after 20 webhooks. */
    static final InstanceSilence.Settings SILENCE = new InstanceSilence.Settings(true, Duration.ofSeconds(30), 10,
            Duration.ofMinutes(5), 20);

    final List<WebhookOutcome> outcomes = new ArrayList<>();
    /** Every silence reported ({@code empresa|instance|true}) and ended ({@code ...|false}). */
    final List<String> silences = new ArrayList<>();
    /** Every record given up on, as {@code stage/reason/empresaId}. */
    final List<String> deadLettered = new ArrayList<>();
    final PoisonRecords poison = new PoisonRecords();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> webhooks;
    final TestOutputTopic<String, Conversa> conversas;
    final TestOutputTopic<String, Mensagem> mensagens;
    final TestOutputTopic<String, RealtimeEvent> events;
    final TestOutputTopic<String, byte[]> retries;
    final TestOutputTopic<String, byte[]> dlq;
    final TestInputTopic<String, byte[]> commands;
    final TestInputTopic<String, OutboundResult> results;
    final TestInputTopic<String, Signal> signals;
    final TestInputTopic<String, byte[]> settings;
    final TestInputTopic<String, byte[]> presence;
    final TestOutputTopic<String, OutboundMessage> outbound;
    Instant recordTime = START;
    /** What the topology handed the fast lane ({@code chat.ephemeral}), with each record's timestamp. */
    final List<TestRecord<String, RealtimeEvent>> fastLane = new CopyOnWriteArrayList<>();

    TopologyFixture(Path stateDir) {
        this(stateDir, RETRY, true);
    }

    TopologyFixture(Path stateDir, RetryPolicy retry, boolean dlqEnabled) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        DeadLetterListener listener = (stage, reason, empresaId) -> deadLettered.add(stage.code() + "/"
                + reason.code() + "/" + empresaId);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        config.put(DeadLetterExceptionHandler.ROUTING_CONFIG, new DeadLetterRouting(DeadLetterStage.CONVERSA, poison,
                null, listener));
        driver = new TopologyTestDriver(ConversaTopology.build(settings(retry, dlqEnabled, outcomes::add, listener,
                poison, (empresaId, instance, silent) -> silences.add(empresaId + "|" + instance + "|" + silent)),
                (event, timestamp) -> fastLane.add(new TestRecord<>(event.empresaId(), event,
                        Instant.ofEpochMilli(timestamp)))),
                config, START);
        webhooks = driver.createInputTopic(Topics.WEBHOOKS.name(), new StringSerializer(), new ByteArraySerializer());
        conversas = driver.createOutputTopic(Topics.CONVERSAS.name(), keys(Topics.CONVERSAS),
                values(Topics.CONVERSAS, Topics.CONVERSAS.valueSerde().deserializer()));
        mensagens = driver.createOutputTopic(Topics.MENSAGENS.name(), keys(Topics.MENSAGENS),
                values(Topics.MENSAGENS, Topics.MENSAGENS.valueSerde().deserializer()));
        events = driver.createOutputTopic(Topics.EVENTS.name(), keys(Topics.EVENTS),
                values(Topics.EVENTS, Topics.EVENTS.valueSerde().deserializer()));
        retries = driver.createOutputTopic(Topics.WEBHOOKS_RETRY.name(), keys(Topics.WEBHOOKS_RETRY),
                TopicContracts.checkedForwardedValues(Topics.WEBHOOKS_RETRY.name(), new ByteArrayDeserializer()));
        dlq = driver.createOutputTopic(Topics.DLQ.name(), keys(Topics.DLQ),
                TopicContracts.checkedForwardedValues(Topics.DLQ.name(), new ByteArrayDeserializer()));
        commands = driver.createInputTopic(Topics.COMMANDS.name(), new StringSerializer(), new ByteArraySerializer());
        results = driver.createInputTopic(Topics.OUTBOUND_RESULTS.name(), new StringSerializer(),
                Topics.OUTBOUND_RESULTS.valueSerde().serializer());
        signals = driver.createInputTopic(Topics.SIGNALS.name(), new StringSerializer(),
                Topics.SIGNALS.valueSerde().serializer());
        settings = driver.createInputTopic(Topics.EMPRESA_SETTINGS.name(), new StringSerializer(),
                new ByteArraySerializer());
        presence = driver.createInputTopic(Topics.PRESENCE.name(), new StringSerializer(), new ByteArraySerializer());
        outbound = driver.createOutputTopic(Topics.OUTBOUND.name(), keys(Topics.OUTBOUND),
                values(Topics.OUTBOUND, Topics.OUTBOUND.valueSerde().deserializer()));
    }

    /** Reads the keys of {@code topic}, failing the test on one that breaks its contract. */
    static Deserializer<String> keys(TopicSpec<?, ?> topic) {
        return TopicContracts.checkedKeys(topic.name(), new StringDeserializer());
    }

    /**
     * Reads the values of {@code topic}, failing the test on a record that breaks its contract, so every test of the
     * topology checks every record it reads against the committed JSON Schemas.
     */
    static <T> Deserializer<T> values(TopicSpec<?, ?> topic, Deserializer<T> values) {
        return TopicContracts.checkedValues(topic.name(), values);
    }

    /** The settings of the tests' topology: week-long windows, {@link #RETRY}, {@link #SILENCE}. */
    static TopologySettings settings(RetryPolicy retry, boolean dlqEnabled, Consumer<WebhookOutcome> outcomes,
                                     DeadLetterListener deadLetters, PoisonRecords poison,
                                     InstanceSilence.Listener silences) {
        return new TopologySettings(Duration.ofDays(7), Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(7),
                UNCONFIRMED_WINDOW, retry, dlqEnabled, outcomes, deadLetters, poison, SILENCE, silences);
    }

    /** Pipes a webhook of {@link #EMPRESA}, one second after the previous one. */
    void send(byte[] webhook) {
        send(EMPRESA, webhook);
    }

    void send(String empresaId, byte[] webhook) {
        recordTime = recordTime.plusSeconds(1);
        webhooks.pipeInput(new TestRecord<>(empresaId, webhook, recordTime));
    }

    /** Pipes an atendente's command, keyed by its empresa, one second after the previous record. */
    void command(AgentCommand command) {
        commandBytes(command.empresaId(), Topics.COMMANDS.valueSerde().serializer().serialize("", command));
    }

    void commandBytes(String empresaId, byte[] command) {
        recordTime = recordTime.plusSeconds(1);
        commands.pipeInput(new TestRecord<>(empresaId, command, recordTime));
    }

    void result(OutboundResult result) {
        recordTime = recordTime.plusSeconds(1);
        results.pipeInput(new TestRecord<>(result.empresaId(), result, recordTime));
    }

    /** A gateway saw {@code userId} log in to {@code empresaId}. */
    void sessionOpened(String empresaId, String userId, String name) {
        recordTime = recordTime.plusSeconds(1);
        signals.pipeInput(new TestRecord<>(empresaId, new Signal(Signal.SESSION_OPENED, "node-1", 1L,
                "session-" + userId, empresaId, userId, name, null, null, recordTime), recordTime));
    }

    /** Pipes an empresa's settings, or raw bytes under its key, one second after the previous record. */
    void settings(String empresaId, byte[] value) {
        recordTime = recordTime.plusSeconds(1);
        settings.pipeInput(new TestRecord<>(empresaId, value, recordTime));
    }

    void settings(EmpresaSettings value) {
        settings(value.empresaId(), Topics.EMPRESA_SETTINGS.valueSerde().serializer().serialize("", value));
    }

    /** Pipes an empresa's presence snapshot, or raw bytes under its key, one second after the previous record. */
    void presence(String empresaId, byte[] value) {
        recordTime = recordTime.plusSeconds(1);
        presence.pipeInput(new TestRecord<>(empresaId, value, recordTime));
    }

    void presence(PresenceSnapshot value) {
        presence(value.empresaId(), Topics.PRESENCE.valueSerde().serializer().serialize("", value));
    }

    /** Lets wall-clock time pass, which runs the punctuators that are due. */
    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /**
     * Lets wall-clock time pass in steps of the retry punctuation interval, as a running application would see it
     * (one advance fires a punctuator once, however long the jump).
     */
    void advanceInSteps(Duration total) {
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plusMillis(500)) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
        }
    }

    /** Empties every output topic. */
    void drainOutputs() {
        conversas.readRecordsToList();
        mensagens.readRecordsToList();
        events.readRecordsToList();
        retries.readRecordsToList();
        dlq.readRecordsToList();
        outbound.readRecordsToList();
    }

    boolean noOutput() {
        return conversas.isEmpty() && mensagens.isEmpty() && events.isEmpty() && retries.isEmpty() && dlq.isEmpty()
                && outbound.isEmpty();
    }

    @Override
    public void close() {
        driver.close();
    }
}
