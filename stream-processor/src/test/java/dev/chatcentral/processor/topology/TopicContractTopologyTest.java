package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Atendentes.assign;
import static dev.chatcentral.processor.topology.Atendentes.react;
import static dev.chatcentral.processor.topology.Atendentes.reply;
import static dev.chatcentral.processor.topology.Atendentes.sent;
import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.deleted;
import static dev.chatcentral.processor.topology.Webhooks.edited;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.presence;
import static dev.chatcentral.processor.topology.Webhooks.reaction;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TopicContracts;

/**
 * Every record the conversa topology writes, through a conversa's whole life (a customer's mensagens, receipts, an
 * edit, a deletion, typing, a number's state, an atendente's assign, reply, reaction and rejected command, the
 * dispatcher's result), carries the {@code schema-version} header and validates against its topic's committed JSON
 * Schema; and the schemas refuse records that break them.
 */
class TopicContractTopologyTest {

    private static final List<TopicSpec<String, ?>> OUTPUTS = List.of(Topics.CONVERSAS, Topics.MENSAGENS,
            Topics.EVENTS, Topics.OUTBOUND);

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private final List<TopicSpec<String, ?>> topics = new ArrayList<>();
    private final List<TestOutputTopic<String, byte[]>> outputs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new TopologyFixture(stateDir);
        for (TopicSpec<String, ?> topic : OUTPUTS) {
            topics.add(topic);
            outputs.add(fixture.driver.createOutputTopic(topic.name(), TopologyFixture.keys(topic),
                    TopologyFixture.values(topic, new ByteArrayDeserializer())));
        }
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void shouldWriteEveryRecordByItsTopicsContractWhenAConversaLivesItsWholeLife() {
        fixture.send(customerText("K1", "Oi, vocês entregam hoje?"));
        fixture.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        fixture.send(edited("K1", false, "Oi, vocês entregam amanhã?", 1_761_057_700_000L));
        fixture.command(assign("c1"));
        fixture.command(reply("c2", "Entregamos, sim!"));
        List<byte[]> outbound = new ArrayList<>();
        Set<String> eventTypes = new TreeSet<>();
        drain(outbound, eventTypes);
        assertThat(outbound).hasSize(1);
        OutboundMessage message = Topics.OUTBOUND.valueSerde().deserializer().deserialize("", outbound.get(0));
        fixture.result(sent(message, "BAE5F00D"));
        fixture.send(receipt("BAE5F00D", true, "READ"));
        fixture.send(customerText("K2", "Obrigada"));
        fixture.command(react("c3", message.mensagemId(), "👍"));
        fixture.send(reaction("R1", false, "BAE5F00D", true, "❤", 1_761_057_800_000L));
        fixture.send(deleted("K2", false));
        fixture.send(envelope("connection.update", Webhooks.INSTANCE,
                "{\"instance\":\"loja-01\",\"state\":\"close\",\"statusReason\":401}"));
        fixture.command(new AgentCommand("c4", EMPRESA, "bia", Atendentes.ATENDENTE, AgentCommand.CLOSE,
                "no-such-conversa", null, null, null, null, null));
        drain(outbound, eventTypes);

        assertThat(eventTypes).contains(EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED,
                EventType.MESSAGE_EDITED, EventType.MESSAGE_STATUS, EventType.MESSAGE_REACTION,
                EventType.MESSAGE_DELETED, EventType.TYPING_START, EventType.INSTANCE_STATUS,
                EventType.COMMAND_REJECTED);
    }

    /** Reads every output (each record checked as it is read) and asserts each carries the contract's version. */
    private void drain(List<byte[]> outbound, Set<String> eventTypes) {
        for (int i = 0; i < outputs.size(); i++) {
            for (TestRecord<String, byte[]> record : outputs.get(i).readRecordsToList()) {
                assertThat(new String(record.headers().lastHeader(TopicContracts.SCHEMA_VERSION).value(),
                        StandardCharsets.UTF_8)).as(topics.get(i).name()).isEqualTo("1");
                if (topics.get(i) == Topics.OUTBOUND) {
                    outbound.add(record.value());
                } else if (topics.get(i) == Topics.EVENTS) {
                    eventTypes.add(Json.MAPPER.readTree(record.value()).get("type").asString());
                }
            }
        }
    }

    @Test
    void shouldRefuseARecordThatLacksARequiredPropertyOrHasAWrongTypeWhenTheTopologyWroteItRight() {
        fixture.send(customerText("K1", "Oi"));
        ObjectNode conversa = (ObjectNode) Json.MAPPER.readTree(outputs.get(0).readRecord().value());
        ObjectNode mensagem = (ObjectNode) Json.MAPPER.readTree(outputs.get(1).readRecord().value());
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(outputs.get(2).readRecord().value());
        assertThat(TopicContracts.valueViolations(Topics.CONVERSAS.name(), conversa)).isEmpty();

        assertThat(TopicContracts.valueViolations(Topics.CONVERSAS.name(), conversa.deepCopy().without("empresaId")))
                .singleElement().asString().contains("empresaId");
        assertThat(TopicContracts.valueViolations(Topics.CONVERSAS.name(),
                conversa.deepCopy().put("unreadCount", "1"))).isNotEmpty();
        assertThat(TopicContracts.valueViolations(Topics.CONVERSAS.name(),
                conversa.deepCopy().put("status", "EM_ATENDIMENTO"))).isNotEmpty();
        assertThat(TopicContracts.valueViolations(Topics.MENSAGENS.name(),
                mensagem.deepCopy().put("sentAt", 1_761_057_639L))).isNotEmpty();
        assertThat(TopicContracts.valueViolations(Topics.MENSAGENS.name(),
                mensagem.deepCopy().put("status", "DELIVERED"))).isNotEmpty();
        assertThat(TopicContracts.valueViolations(Topics.MENSAGENS.name(),
                mensagem.deepCopy().put("fromMe", "false"))).isNotEmpty();
        // an event of another type than its data
        assertThat(TopicContracts.valueViolations(Topics.EVENTS.name(),
                event.deepCopy().put("type", EventType.PRESENCE_UPDATE))).isNotEmpty();
        assertThat(TopicContracts.valueViolations(Topics.EVENTS.name(),
                event.deepCopy().put("channels", "empresa:" + EMPRESA))).isNotEmpty();
        // a mensagem under an empty key, a conversa without its contract's version
        assertThat(TopicContracts.keyViolations(Topics.MENSAGENS.name(), "")).isNotEmpty();
        Deserializer<byte[]> checked = TopicContracts.checkedValues(Topics.CONVERSAS.name(),
                new ByteArrayDeserializer());
        byte[] bytes = Json.MAPPER.writeValueAsBytes(conversa);
        assertThatThrownBy(() -> checked.deserialize(Topics.CONVERSAS.name(), new RecordHeaders(), bytes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no schema-version header");
        assertThatThrownBy(() -> checked.deserialize(Topics.CONVERSAS.name(), versioned(), new byte[] {0, 1, 2}))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not JSON");
        assertThat(checked.deserialize(Topics.CONVERSAS.name(), versioned(), bytes)).isEqualTo(bytes);
    }

    private static RecordHeaders versioned() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TopicContracts.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
