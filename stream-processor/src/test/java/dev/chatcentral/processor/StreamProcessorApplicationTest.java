package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.ManagementPortCheck;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/** The whole service on a real broker and database: webhook in, rows, events and dead letters out. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamProcessorApplicationTest {

    private static final String EMPRESA = "emp-e2e";
    private static final String CUSTOMER = "5511988887777@s.whatsapp.net";

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs();

    private static byte[] customerText(String keyId, String text) {
        return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-01\",\"data\":{\"key\":{\"remoteJid\":\""
                + CUSTOMER + "\",\"fromMe\":false,\"id\":\"" + keyId + "\"},\"pushName\":\"Maria Silva\","
                + "\"message\":{\"conversation\":\"" + text + "\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":1761057639},\"sender\":\"5511999990000@s.whatsapp.net\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode getJson(String path) {
        return Json.MAPPER.readTree(stack.management(path, null).body());
    }

    private String getText(String path) {
        return stack.management(path, null).body();
    }

    @Test
    @Order(1)
    void shouldTurnWebhooksIntoRowsEventsAndDeadLettersExactlyOnce() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = getJson("/actuator/health");
            assertThat(health.path("components").path("kafkaStreams").path("status").stringValue())
                    .isEqualTo("UP");
            assertThat(health.path("status").stringValue()).isEqualTo("UP");
        });

        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, customerText("E2E-1", "Oi"));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, customerText("E2E-1", "Oi"));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, "definitely not json".getBytes(StandardCharsets.UTF_8));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, customerText("E2E-2", "Tem entrega?"));

        String conversaId = DeterministicIds.conversaId(EMPRESA, "loja-01", CUSTOMER);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem WHERE conversa_id = ?::uuid",
                    conversaId)).isEqualTo(2);
            assertThat(stack.database().queryForLong("SELECT version FROM conversa WHERE id = ?::uuid", conversaId))
                    .isEqualTo(2);
        });
        assertThat(stack.database().queryForLong("SELECT unread_count FROM conversa WHERE id = ?::uuid", conversaId))
                .isEqualTo(2);

        List<RealtimeEvent> events = stack.readAll(Topics.EVENTS, 4, Duration.ofSeconds(30)).stream()
                .map(r -> Topics.EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
        assertThat(events).extracting(RealtimeEvent::type).containsExactly(
                EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED,
                EventType.MESSAGE_NOTIFICATION, EventType.CONVERSATION_UPDATED);
        assertThat(events).extracting(RealtimeEvent::empresaId).containsOnly(EMPRESA);

        List<ConsumerRecord<String, byte[]>> dead = stack.readAll(Topics.DLQ, 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("definitely not json");
        assertThat(RecordHeaders.get(dead.get(0).headers(), RecordHeaders.ORIGINAL_TOPIC))
                .isEqualTo(Topics.WEBHOOKS.name());
        assertThat(RecordHeaders.get(dead.get(0).headers(), RecordHeaders.ERROR_MESSAGE))
                .startsWith("not a webhook JSON");

        String metrics = getText("/actuator/prometheus");
        assertThat(metrics).contains("chatcentral_processor_webhooks_total{outcome=\"duplicate\"} 1.0");
        assertThat(metrics).contains("chatcentral_processor_webhooks_total{outcome=\"dead_lettered\"} 1.0");
        assertThat(metrics).contains("chatcentral_processor_webhooks_total{outcome=\"processed\"} 2.0");
    }

    /** Runs last: it kills the stream threads for good. */
    @Test
    @Order(2)
    void shouldReportDownWhenStreamThreadsDie() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka().bootstrapServers()))) {
            admin.deleteTopics(List.of(Topics.WEBHOOKS.name())).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode streams = getJson("/actuator/health").path("components").path("kafkaStreams");
            assertThat(streams.path("status").stringValue()).isEqualTo("DOWN");
            assertThat(streams.path("details").path("state").stringValue()).isEqualTo("ERROR");
            assertThat(streams.path("details").path("error").stringValue()).isNotBlank();
        });
    }

    @Test
    void shouldServeHealthMetricsAndRedriveOnlyOnTheManagementPortBehindItsToken() {
        ManagementPortCheck.assertGuarded(stack.context().getEnvironment(), DevelopmentSecrets.ADMIN_API_TOKEN,
                "/dlq/redrive");
    }
}
