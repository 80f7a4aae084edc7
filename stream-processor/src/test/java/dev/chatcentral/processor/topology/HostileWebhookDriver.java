package dev.chatcentral.processor.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.ParameterResolutionContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.ResolveParameterHook;
import net.jqwik.api.lifecycle.Store;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.springframework.util.FileSystemUtils;

import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TopicContracts;

/**
 * The topology in one {@link org.apache.kafka.streams.TopologyTestDriver} for every try of a property (a driver
 * per try would cost a tenth of a second each). A try is one empresa's hostile webhook between two normal
 * messages: one of the same empresa before it, which opens the conversa its receipts, typing and contact names may
 * find, and one of another empresa after it, which must go through whatever the hostile one did. Each try has an
 * empresa of its own, so tries share the driver and nothing else. A property gets it as a parameter, through
 * {@code @AddLifecycleHook(HostileWebhookDriver.PerProperty.class)} on its class.
 */
public final class HostileWebhookDriver implements Store.CloseOnReset {

    /** The other empresa, whose normal message follows every hostile one. */
    public static final String OTHER_EMPRESA = "emp-b";
    public static final String OTHER_TEXT = "Bom dia";
    private static final List<TopicSpec<String, ?>> OUTPUTS = List.of(Topics.CONVERSAS, Topics.MENSAGENS,
            Topics.EVENTS, Topics.OUTBOUND, Topics.WEBHOOKS_RETRY, Topics.DLQ);

    private final Path stateDir;
    private final TopologyFixture fixture;
    /** Raw bytes, so that each record's size can be checked against its topic's limit. */
    private final Map<TopicSpec<String, ?>, TestOutputTopic<String, byte[]>> outputs = new LinkedHashMap<>();
    private int tries;

    public HostileWebhookDriver() {
        try {
            stateDir = Files.createTempDirectory("hostile-webhooks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fixture = new TopologyFixture(stateDir);
        // every record a hostile webhook makes is checked against its topic's contract as it is read, but a retry:
        // it is the webhook byte for byte as it arrived (the property asserts it), so it keeps chat.webhooks'
        // contract exactly when its input did, which a hostile webhook written past the ingest need not
        OUTPUTS.forEach(topic -> outputs.put(topic, fixture.driver.createOutputTopic(topic.name(),
                TopologyFixture.keys(topic), topic == Topics.WEBHOOKS_RETRY ? new ByteArrayDeserializer()
                        : topic == Topics.DLQ
                        ? TopicContracts.checkedForwardedValues(topic.name(), new ByteArrayDeserializer())
                        : TopologyFixture.values(topic, new ByteArrayDeserializer()))));
    }

    /** Gives each property one driver for all its tries, closed by jqwik after the last one. */
    public static final class PerProperty implements ResolveParameterHook {

        /** From the class it is added to, to each of its properties. */
        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS;
        }

        @Override
        public Optional<ParameterSupplier> resolve(ParameterResolutionContext parameter, LifecycleContext context) {
            if (!parameter.typeUsage().isOfType(HostileWebhookDriver.class)) {
                return Optional.empty();
            }
            return Optional.of(anyTry -> Store.getOrCreate(PerProperty.class, Lifespan.PROPERTY,
                    HostileWebhookDriver::new).get());
        }
    }

    /** What one input (or a stretch of wall-clock time) caused. */
    public record Step(List<WebhookOutcome> outcomes, List<String> deadLettered,
                       Map<TopicSpec<String, ?>, List<TestRecord<String, byte[]>>> records) {

        public List<TestRecord<String, byte[]>> records(TopicSpec<String, ?> topic) {
            return records.getOrDefault(topic, List.of());
        }

        public <V> List<V> values(TopicSpec<String, V> topic) {
            return records(topic).stream()
                    .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
        }

        public boolean noOutput() {
            return records.values().stream().allMatch(List::isEmpty);
        }
    }

    /**
     * @param hostileKey the hostile webhook's record key, as piped
     * @param retried    the wall-clock time a parked hostile webhook was given to run out of retries; empty when
     *                   it was not parked
     */
    public record Try(HostileWebhook webhook, String hostileKey, String otherKeyId, Step opening, Step hostile,
                      Step other, Step retried) {

        public List<Step> steps() {
            return List.of(opening, hostile, other, retried);
        }

        /** Every conversa of the try, in the order written: what the sink would be given. */
        public List<Conversa> conversas() {
            return steps().stream().flatMap(step -> step.values(Topics.CONVERSAS).stream()).toList();
        }

        public List<Mensagem> mensagens() {
            return steps().stream().flatMap(step -> step.values(Topics.MENSAGENS).stream()).toList();
        }
    }

    public Try run(HostileWebhook webhook) {
        tries++;
        String empresaId = "emp-a-" + tries;
        String hostileKey = webhook.key().of(empresaId);
        String otherKeyId = "B" + tries;
        Step opening = step(() -> fixture.send(empresaId,
                Webhooks.customerText(HostileWebhooks.OPENING_KEY_ID, "Oi")));
        Step hostile = step(() -> fixture.send(hostileKey, webhook.body()));
        Step other = step(() -> fixture.send(OTHER_EMPRESA, Webhooks.customerText(otherKeyId, OTHER_TEXT)));
        // parked is not the end of a record: its retries run out with time, and it goes to the DLQ
        Step retried = step(() -> {
            if (hostile.outcomes().contains(WebhookOutcome.PARKED)) {
                runOutRetries();
            }
        });
        return new Try(webhook, hostileKey, otherKeyId, opening, hostile, other, retried);
    }

    /**
     * An advance of wall-clock time fires the retry punctuation once, however long it is: one advance per attempt,
     * each as long as the longest wait between attempts.
     */
    private void runOutRetries() {
        RetryPolicy retry = TopologyFixture.RETRY;
        Duration longestWait = Duration.ofMillis(retry.delayMillis(retry.maxRetryAttempts()));
        for (int attempt = 0; attempt <= retry.maxRetryAttempts(); attempt++) {
            fixture.advance(longestWait);
        }
    }

    private Step step(Runnable input) {
        int outcomes = fixture.outcomes.size();
        int deadLettered = fixture.deadLettered.size();
        input.run();
        Map<TopicSpec<String, ?>, List<TestRecord<String, byte[]>>> records = new LinkedHashMap<>();
        outputs.forEach((topic, output) -> records.put(topic, output.readRecordsToList()));
        return new Step(List.copyOf(fixture.outcomes.subList(outcomes, fixture.outcomes.size())),
                List.copyOf(fixture.deadLettered.subList(deadLettered, fixture.deadLettered.size())), records);
    }

    @Override
    public void close() {
        fixture.close();
        FileSystemUtils.deleteRecursively(stateDir.toFile());
    }
}
