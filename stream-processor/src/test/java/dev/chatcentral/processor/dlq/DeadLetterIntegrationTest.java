package dev.chatcentral.processor.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.ProcessorTestStack;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Dead letters across processes: an output the broker itself refuses (the last line of defence, past the
 * topology's own checks), and the redrive of every stage's dead letters to where they came from, without ever
 * multiplying one that keeps failing.
 */
class DeadLetterIntegrationTest {

    private static final String CUSTOMER = "5511988887777@s.whatsapp.net";

    // batches smaller than the limit the test sets on chat.events: a refused batch is then split down to the one
    // record that is too large alone, as it is with the default settings and the catalog's limits
    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs(
            "--spring.kafka.streams.properties.producer.batch.size=4096");

    private static byte[] customerText(String keyId, String text) {
        return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-01\",\"data\":{\"key\":{\"remoteJid\":\""
                + CUSTOMER + "\",\"fromMe\":false,\"id\":\"" + keyId + "\"},\"pushName\":\"Maria\","
                + "\"message\":{\"conversation\":\"" + text + "\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":1761057639}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(UUID.randomUUID());
        }
        return text.substring(0, length);
    }

    private static void setMaxMessageBytes(String topic, int bytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka().bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                    new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        return stack.readAll(Topics.DLQ, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .filter(r -> key.equals(r.key())).toList();
    }

    private static List<Mensagem> mensagensOf(String empresaId) {
        return stack.readAll(Topics.MENSAGENS, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .map(r -> Topics.MENSAGENS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .filter(m -> empresaId.equals(m.empresaId()))
                .toList();
    }

    private JsonNode redrive(String body) throws Exception {
        HttpResponse<String> response = stack.management("/dlq/redrive", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void shouldDeadLetterTheRecordWhoseOutputTheBrokerRefusesAndGoOnForEveryoneElse() throws Exception {
        // a limit below the catalog's, so the topology's own check lets the output through and the broker refuses it
        setMaxMessageBytes(Topics.EVENTS.name(), 8 * 1024);
        try {
            // random text: lz4 must not shrink it under the limit
            stack.sendBytes(Topics.WEBHOOKS, "emp-big", customerText("BIG", randomText(12_000)));
            stack.sendBytes(Topics.WEBHOOKS, "emp-small", customerText("SMALL", "Oi"));

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(mensagensOf("emp-small")).extracting(Mensagem::keyId).containsExactly("SMALL");
                List<ConsumerRecord<String, byte[]>> dead = deadLetters("emp-big");
                assertThat(dead).hasSize(1);
                assertThat(RecordHeaders.get(dead.get(0).headers(), RecordHeaders.ERROR_REASON))
                        .isEqualTo("production_failed");
                assertThat(RecordHeaders.get(dead.get(0).headers(), RecordHeaders.ORIGINAL_TOPIC))
                        .isEqualTo(Topics.WEBHOOKS.name());
            });
            // the refused record's transaction was aborted whole: no half of it is visible
            assertThat(mensagensOf("emp-big")).isEmpty();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Json.MAPPER.readTree(
                    stack.management("/actuator/health", null).body())
                    .path("components").path("kafkaStreams").path("status").stringValue()).isEqualTo("UP"));
        } finally {
            setMaxMessageBytes(Topics.EVENTS.name(), Topics.EVENTS.maxMessageBytes());
        }
    }

    @Test
    void shouldRedriveEachStagesDeadLettersToTheirTopicAndSendOnlyTheLatestOfOnesThatFailAgain() throws Exception {
        String empresa = "emp-" + UUID.randomUUID();
        String conversaId = UUID.randomUUID().toString();
        // the conversa topology: a command that names no issuer
        stack.sendBytes(Topics.COMMANDS, empresa, ("{\"commandId\":\"c1\",\"empresaId\":\"" + empresa
                + "\",\"type\":\"close\"}").getBytes(StandardCharsets.UTF_8));
        // the sink: a mensagem PostgreSQL refuses, its WhatsApp key already taken by another row
        Mensagem taken = mensagem(UUID.randomUUID().toString(), conversaId, empresa, "KEY-1");
        Mensagem clash = mensagem(UUID.randomUUID().toString(), conversaId, empresa, "KEY-1");
        stack.send(Topics.MENSAGENS, conversaId, taken);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(taken.mensagemId()) == 1);
        stack.send(Topics.MENSAGENS, conversaId, clash);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(empresa).size() == 1
                && deadLetters(conversaId).size() == 1);
        ConsumerRecord<String, byte[]> sinkLetter = deadLetters(conversaId).get(0);
        assertThat(RecordHeaders.get(sinkLetter.headers(), RecordHeaders.DLQ_STAGE)).isEqualTo("sink");
        assertThat(RecordHeaders.get(sinkLetter.headers(), RecordHeaders.ERROR_MESSAGE)).startsWith("SQLSTATE 23505");

        // one stage at a time: only the sink's goes back, to chat.mensagens, and fails again while the key is taken
        // (each redrive narrowed to this test's empresa, so other tests' dead letters stay where they are)
        JsonNode sinkOnly = redrive("{\"all\":true,\"stage\":\"sink\",\"reason\":\"database_refused\","
                + "\"empresaId\":\"" + empresa + "\"}");
        assertThat(sinkOnly.path("ids").get(0).stringValue()).isEqualTo(id(sinkLetter));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(conversaId).size() == 2);
        ConsumerRecord<String, byte[]> again = deadLetters(conversaId).get(1);
        assertThat(RecordHeaders.get(again.headers(), DeadLetterRedriver.REDRIVEN_FROM)).isEqualTo(id(sinkLetter));

        // everything, twice: each failing line sends its newest letter only, so nothing multiplies
        for (int round = 1; round <= 2; round++) {
            int before = deadLetters(conversaId).size();
            JsonNode all = redrive("{\"all\":true,\"empresaId\":\"" + empresa + "\"}");
            assertThat(all.path("redriven").intValue()).isEqualTo(2);
            assertThat(all.path("superseded").valueStream().map(JsonNode::stringValue)).contains(id(sinkLetter));
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(conversaId).size() == before + 1);
        }
        assertThat(deadLetters(empresa)).hasSize(3);
        assertThat(deadLetters(conversaId)).hasSize(4);

        // once the cause is gone, the redrive writes the row
        stack.database().execute("DELETE FROM mensagem WHERE id = ?::uuid", taken.mensagemId());
        JsonNode fixed = redrive("{\"all\":true,\"stage\":\"sink\",\"empresaId\":\"" + empresa + "\"}");
        assertThat(fixed.path("redriven").intValue()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(clash.mensagemId()) == 1);
    }

    @Test
    void shouldRedriveOnlyTheNamedEmpresasDeadLettersAndNotFindAnotherEmpresasById() throws Exception {
        String mine = "emp-" + UUID.randomUUID();
        String theirs = "emp-" + UUID.randomUUID();
        for (String empresa : List.of(mine, theirs)) {
            stack.sendBytes(Topics.COMMANDS, empresa, ("{\"commandId\":\"c1\",\"empresaId\":\"" + empresa
                    + "\",\"type\":\"close\"}").getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(mine).size() == 1
                && deadLetters(theirs).size() == 1);
        String theirLetter = id(deadLetters(theirs).get(0));

        JsonNode scoped = redrive("{\"all\":true,\"empresaId\":\"" + mine + "\"}");
        JsonNode byId = redrive("{\"ids\":[\"" + theirLetter + "\"],\"empresaId\":\"" + mine + "\"}");

        assertThat(scoped.path("ids").valueStream().map(JsonNode::stringValue))
                .containsExactly(id(deadLetters(mine).get(0)));
        assertThat(byId.path("redriven").intValue()).isZero();
        assertThat(byId.path("notFound").valueStream().map(JsonNode::stringValue)).containsExactly(theirLetter);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(mine).size() == 2);
        assertThat(deadLetters(theirs)).hasSize(1);
    }

    @Test
    void shouldRefuseABlankOrOverlongEmpresaIdWithTheReason() {
        for (String empresaId : List.of("", " ", "e".repeat(65))) {
            HttpResponse<String> response = stack.management("/dlq/redrive",
                    "{\"all\":true,\"empresaId\":\"" + empresaId + "\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("empresaId");
        }
    }

    private static long rows(String mensagemId) {
        return stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE id = ?::uuid", mensagemId);
    }

    private static String id(ConsumerRecord<String, byte[]> deadLetter) {
        return new DeadLetterId(deadLetter.partition(), deadLetter.offset()).toString();
    }

    private static Mensagem mensagem(String id, String conversaId, String empresaId, String keyId) {
        return new Mensagem(id, conversaId, empresaId, "loja-01", keyId, false, CUSTOMER, "Maria", "conversation",
                "Oi", MensagemStatus.DELIVERY_ACK, Instant.parse("2025-10-21T14:40:39Z"),
                Instant.parse("2025-10-21T14:40:40Z"), List.of());
    }
}
