package dev.chatcentral.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.junit.jupiter.api.Test;

import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.schemas.topic.Topics;

/** The conversa topology's nodes, which the split into one processor per input must keep in one task. */
class ConversaTopologyShapeTest {

    /** Their changelog topics are named after them: a renamed store would start empty after an upgrade. */
    private static final String[] STORES = {"conversa-store", "dedupe-store", "mensagem-index-store",
        "jid-alias-store", "parking-store", "conversa-id-store", "reply-key-store", "command-dedupe-store",
        "atendente-store", "pending-send-store", "customer-typing-store", "instance-silence-store",
        "assignment-settings-store", "assignment-online-store", "assignment-queue-store", "assignment-load-store",
        "sla-clock-store", "sla-firing-store"};

    private final TopologyDescription description = ConversaTopology.build(TopologyFixture.settings(TopologyFixture.RETRY, true,
            outcome -> { }, (stage, reason, empresaId) -> { }, new PoisonRecords(), (empresaId, instance, silent) -> { })).describe();

    @Test
    void shouldReadEachInputInAProcessorOfItsOwnThatSharesEveryStoreInOneSubTopology() {
        assertThat(description.subtopologies()).hasSize(1);
        Map<String, String> inputs = new TreeMap<>();
        for (Node node : description.subtopologies().iterator().next().nodes()) {
            if (node instanceof TopologyDescription.Processor processor) {
                assertThat(processor.stores()).containsExactlyInAnyOrder(STORES);
                assertThat(processor.predecessors()).hasSize(1);
                TopologyDescription.Source source = (TopologyDescription.Source) processor.predecessors().iterator()
                        .next();
                assertThat(source.topicSet()).hasSize(1);
                inputs.put(processor.name(), source.topicSet().iterator().next());
            }
        }
        assertThat(inputs).containsExactlyInAnyOrderEntriesOf(Map.of(
                "webhook-processor", Topics.WEBHOOKS.name(),
                "webhooks-retry-processor", Topics.WEBHOOKS_RETRY.name(),
                "commands-processor", Topics.COMMANDS.name(),
                "outbound-results-processor", Topics.OUTBOUND_RESULTS.name(),
                "signals-processor", Topics.SIGNALS.name(),
                "empresa-settings-processor", Topics.EMPRESA_SETTINGS.name(),
                "presence-processor", Topics.PRESENCE.name()));
    }

    /**
     * Kafka Streams runs a punctuator as the processor that scheduled it, and the retry punctuator is scheduled by
     * whichever processor parks a webhook first: each that may park forwards to the retry sink.
     */
    @Test
    void shouldKeepTheSinksAndLetEveryProcessorThatMayParkOrFailWriteRetriesAndDeadLetters() {
        Map<String, String> sinks = new TreeMap<>();
        for (Node node : description.subtopologies().iterator().next().nodes()) {
            if (node instanceof TopologyDescription.Sink sink) {
                sinks.put(sink.name(), sink.topic() + " <- " + sink.predecessors().stream().map(Node::name).sorted()
                        .collect(Collectors.joining(", ")));
            }
        }
        // automatic assignment may hand out conversas after any input
        String emitting = "commands-processor, empresa-settings-processor, outbound-results-processor, "
                + "presence-processor, signals-processor, webhook-processor, webhooks-retry-processor";
        assertThat(sinks).containsExactlyInAnyOrderEntriesOf(Map.of(
                "conversas-sink", Topics.CONVERSAS.name() + " <- " + emitting,
                "mensagens-sink", Topics.MENSAGENS.name() + " <- " + emitting,
                "events-sink", Topics.EVENTS.name() + " <- " + emitting,
                "webhooks-retry-sink", Topics.WEBHOOKS_RETRY.name() + " <- " + emitting,
                "outbound-sink", Topics.OUTBOUND.name() + " <- commands-processor",
                "webhooks-dlq-sink", Topics.DLQ.name() + " <- " + emitting));
    }

    /** bin/replay shadow: production's inputs in, everything the topology writes, its own retry loop too, renamed. */
    @Test
    void shouldWriteAndLoopUnderTheGivenNamesAndReadTheOtherInputsAsTheyAreWhenBuiltForAShadow() {
        TopologyDescription shadow = ConversaTopology.build(TopologyFixture.settings(TopologyFixture.RETRY, true,
                outcome -> { }, (stage, reason, empresaId) -> { }, new PoisonRecords(),
                (empresaId, instance, silent) -> { }), EphemeralEvents.NONE, topic -> "shadow-x." + topic).describe();
        Map<String, String> topics = new TreeMap<>();
        for (Node node : shadow.subtopologies().iterator().next().nodes()) {
            if (node instanceof TopologyDescription.Sink sink) {
                topics.put(sink.name(), sink.topic());
            } else if (node instanceof TopologyDescription.Source source) {
                topics.put(source.name(), String.join(",", source.topicSet()));
            }
        }
        assertThat(topics).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("webhooks-source", Topics.WEBHOOKS.name()),
                Map.entry("commands-source", Topics.COMMANDS.name()),
                Map.entry("outbound-results-source", Topics.OUTBOUND_RESULTS.name()),
                Map.entry("signals-source", Topics.SIGNALS.name()),
                Map.entry("empresa-settings-source", Topics.EMPRESA_SETTINGS.name()),
                Map.entry("presence-source", Topics.PRESENCE.name()),
                Map.entry("webhooks-retry-source", "shadow-x." + Topics.WEBHOOKS_RETRY.name()),
                Map.entry("conversas-sink", "shadow-x." + Topics.CONVERSAS.name()),
                Map.entry("mensagens-sink", "shadow-x." + Topics.MENSAGENS.name()),
                Map.entry("events-sink", "shadow-x." + Topics.EVENTS.name()),
                Map.entry("webhooks-retry-sink", "shadow-x." + Topics.WEBHOOKS_RETRY.name()),
                Map.entry("outbound-sink", "shadow-x." + Topics.OUTBOUND.name()),
                Map.entry("webhooks-dlq-sink", "shadow-x." + Topics.DLQ.name())));
    }
}
