package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/** What one empresa's hostile input does: it is bounded, cleaned or dead-lettered, and the next record goes through. */
class HostileInputTopologyTest {

    private static final String OTHER_EMPRESA = "emp-2";

    @TempDir
    Path stateDir;

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** A customer's text message with the given push name and text, both written into the JSON as they are. */
    private static byte[] text(String keyId, String pushName, String text) {
        return envelope("messages.upsert", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, keyId)
                + ",\"pushName\":" + Json.MAPPER.writeValueAsString(pushName)
                + ",\"message\":{\"conversation\":" + Json.MAPPER.writeValueAsString(text) + "}"
                + ",\"messageType\":\"conversation\",\"messageTimestamp\":" + SENT_AT + "}");
    }

    private void assertOtherEmpresaStillProcessed() {
        t.drainOutputs();
        t.send(OTHER_EMPRESA, customerText("B1", "Bom dia"));
        Mensagem written = t.mensagens.readValue();
        assertThat(written.empresaId()).isEqualTo(OTHER_EMPRESA);
        assertThat(written.text()).isEqualTo("Bom dia");
    }

    @Test
    void shouldCutHugePushNameAtItsLimitAndFlagIt() {
        t.send(text("K1", "M".repeat(600_000), "Oi"));

        Mensagem mensagem = t.mensagens.readValue();
        assertThat(mensagem.senderName()).hasSize(FieldLimits.NAME).endsWith(Texts.TRUNCATION_MARK);
        assertThat(mensagem.sanitized()).containsExactly(Mensagem.SENDER_NAME);
        assertThat(t.conversas.readValue().contactName()).isEqualTo(mensagem.senderName());
        assertThat(t.dlq.isEmpty()).isTrue();
        assertOtherEmpresaStillProcessed();
    }

    @Test
    void shouldCutHugeTextAtWhatsAppsLimitWithVisibleMark() {
        t.send(text("K1", "Maria", "a".repeat(1_500_000)));

        Mensagem mensagem = t.mensagens.readValue();
        assertThat(mensagem.text()).hasSize(FieldLimits.TEXT).endsWith(Texts.TRUNCATION_MARK);
        assertThat(mensagem.sanitized()).containsExactly(Mensagem.TEXT);
        assertOtherEmpresaStillProcessed();
    }

    @Test
    void shouldKeepWorstCaseEscapedTextUnderEveryTopicsLimit() {
        // every character escaped as \\u0001: six bytes of JSON each
        t.send(text("K1", "\u0001".repeat(FieldLimits.NAME), "\u0001".repeat(FieldLimits.TEXT)));

        assertThat(t.mensagens.readValue().text()).hasSize(FieldLimits.TEXT);
        assertThat(t.events.readValuesToList()).isNotEmpty();
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldCleanNulAndUnpairedSurrogatesFromTextAndName() {
        // as JSON escapes: the only way a lone surrogate survives in UTF-8 bytes
        t.send(envelope("messages.upsert", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, false, "K1")
                + ",\"pushName\":\"Ma\\u0000ria\",\"message\":{\"conversation\":\"O\\u0000i \\uD83D!\"}"
                + ",\"messageType\":\"conversation\",\"messageTimestamp\":" + SENT_AT + "}"));

        Mensagem mensagem = t.mensagens.readValue();
        assertThat(mensagem.text()).isEqualTo("Oi \uFFFD!");
        assertThat(mensagem.senderName()).isEqualTo("Maria");
        assertThat(mensagem.sanitized()).containsExactlyInAnyOrder(Mensagem.TEXT, Mensagem.SENDER_NAME);
        assertOtherEmpresaStillProcessed();
    }

    @Test
    void shouldDeadLetterRecordMarkedPoisonedByTheProductionHandlerInsteadOfProcessingIt() {
        t.poison.mark(Topics.WEBHOOKS.name(), 0, 0, new PoisonRecords.Poison(DeadLetterReason.PRODUCTION_FAILED,
                new IllegalStateException("the broker refused an output: too large")));

        t.send(customerText("K1", "Oi"));

        TestRecord<String, byte[]> dead = t.dlq.readRecord();
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("production_failed");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.ERROR_MESSAGE))
                .isEqualTo("the broker refused an output: too large");
        assertThat(RecordHeaders.get(dead.headers(), RecordHeaders.DLQ_STAGE)).isEqualTo("conversa");
        assertThat(t.mensagens.isEmpty()).isTrue();
        assertThat(t.deadLettered).containsExactly("conversa/production_failed/" + EMPRESA);
        // the mark is used once: the same message redriven later is processed
        t.send(customerText("K1", "Oi"));
        assertThat(t.mensagens.readValue().keyId()).isEqualTo("K1");
    }

    @Test
    void shouldActOnTheSameCommandIdOfTwoUsersAndOfTwoEmpresas() {
        t.send(customerText("K1", "Oi"));
        t.send(OTHER_EMPRESA, customerText("K1", "Oi"));
        List<Conversa> conversas = t.conversas.readValuesToList();
        t.drainOutputs();
        String first = conversas.get(0).conversaId();
        String second = conversas.get(1).conversaId();
        t.command(command(EMPRESA, "ana", AgentCommand.ASSIGN, first, null));

        t.command(command(EMPRESA, "ana", AgentCommand.SEND_MESSAGE, first, "Oi, Maria"));
        t.command(command(EMPRESA, "bia", AgentCommand.SEND_MESSAGE, first, "Oi, aqui é a Bia"));
        t.command(command(OTHER_EMPRESA, "ana", AgentCommand.ASSIGN, second, null));
        t.command(command(OTHER_EMPRESA, "ana", AgentCommand.SEND_MESSAGE, second, "Olá"));

        List<OutboundMessage> outbound = t.outbound.readValuesToList();
        assertThat(outbound).extracting(OutboundMessage::text)
                .containsExactly("Oi, Maria", "Oi, aqui é a Bia", "Olá");
        assertThat(outbound).extracting(OutboundMessage::mensagemId).doesNotHaveDuplicates();
        assertThat(outbound).extracting(OutboundMessage::userId).containsExactly("ana", "bia", "ana");
    }

    /** Every command uses the client-made id {@code same-id}: the id alone names nothing. */
    private static AgentCommand command(String empresaId, String userId, String type, String conversaId,
                                        String text) {
        return new AgentCommand(AgentCommand.ASSIGN.equals(type) ? "assign-" + userId : "same-id", empresaId,
                userId, List.of("supervisor"), type, conversaId, null, text, null, null, null);
    }
}
