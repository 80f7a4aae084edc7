package dev.chatcentral.processor.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.ProcessorTestStack;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The retry topic, the DLQ and the redrive command across processes: the service on a real broker, a receipt that
 * overtakes its mensagem, one whose mensagem comes only after the retries gave up, and its redrive over HTTP.
 */
class RetryAndRedriveIntegrationTest {

    private static final String EMPRESA = "emp-redrive";
    private static final String CUSTOMER = "5511988887777@s.whatsapp.net";

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs(
            "--chatcentral.processor.retry.max-attempts=2", "--chatcentral.processor.retry.backoff-base=200ms",
                    "--chatcentral.processor.retry.backoff-max=400ms",
                            "--chatcentral.processor.retry.punctuate-interval=100ms");

    private static byte[] webhook(String event, String data) {
        return ("{\"event\":\"" + event + "\",\"instance\":\"loja-01\",\"data\":" + data
                + ",\"sender\":\"5511999990000@s.whatsapp.net\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] receipt(String keyId, boolean fromMe, String status) {
        return webhook("messages.update", "{\"keyId\":\"" + keyId + "\",\"remoteJid\":\"" + CUSTOMER
                + "\",\"fromMe\":" + fromMe + ",\"status\":\"" + status + "\"}");
    }

    private static byte[] message(String event, String keyId, boolean fromMe, String text) {
        return webhook(event, "{\"key\":{\"remoteJid\":\"" + CUSTOMER + "\",\"fromMe\":" + fromMe + ",\"id\":\""
                + keyId + "\"},\"pushName\":\"Maria\",\"message\":{\"conversation\":\"" + text + "\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":1761057639}");
    }

    private HttpResponse<String> redrive(String body) {
        return stack.management("/dlq/redrive", body);
    }

    private List<RealtimeEvent> statusEvents() {
        return stack.readAll(Topics.EVENTS, 100, Duration.ofSeconds(2)).stream()
                .map(r -> Topics.EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .filter(e -> e.type().equals(EventType.MESSAGE_STATUS))
                .toList();
    }

    @Test
    void shouldParkRetryDeadLetterAndRedriveAReceiptAcrossTheBroker() throws Exception {
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, receipt("K1", false, "READ"));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, message("messages.upsert", "K1", false, "Oi"));
        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, receipt("S1", true, "DELIVERY_ACK"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(statusEvents()).extracting(e -> e.data().path("keyId").stringValue())
                        .containsExactly("K1"));
        List<ConsumerRecord<String, byte[]>> dead = stack.readAll(Topics.DLQ, 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, byte[]> deadLetter = dead.get(0);
        assertThat(RecordHeaders.get(deadLetter.headers(), RetryHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(RecordHeaders.get(deadLetter.headers(), RecordHeaders.ORIGINAL_TOPIC))
                .isEqualTo(Topics.WEBHOOKS.name());
        assertThat(stack.readAll(Topics.WEBHOOKS_RETRY, 2, Duration.ofSeconds(10))).hasSize(2);

        HttpResponse<String> refused = redrive("{\"all\":true,\"ids\":[\"chat.dlq-0-0\"]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(refused.body()).path("reason").stringValue()).startsWith("give exactly one");
        assertThat(redrive("{\"ids\":[\"chat.webhooks-0-0\"]}").statusCode()).isEqualTo(400);
        assertThat(redrive("{\"from\":\"yesterday\"}").statusCode()).isEqualTo(400);
        assertThat(redrive("not json").statusCode()).isEqualTo(400);

        stack.sendBytes(Topics.WEBHOOKS, EMPRESA, message("send.message", "S1", true, "Sim!"));
        String id = Topics.DLQ.name() + "-" + deadLetter.partition() + "-" + deadLetter.offset();
        HttpResponse<String> response = redrive("{\"ids\":[\"" + id + "\",\"" + Topics.DLQ.name()
                + "-0-999\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("redriven").intValue()).isEqualTo(1);
        assertThat(body.path("ids").get(0).stringValue()).isEqualTo(id);
        assertThat(body.path("notFound").get(0).stringValue()).isEqualTo(Topics.DLQ.name() + "-0-999");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(statusEvents()).extracting(e -> e.data().path("keyId").stringValue())
                        .containsExactly("K1", "S1"));
        ConsumerRecord<String, byte[]> redriven = stack.readAll(Topics.WEBHOOKS, 5, Duration.ofSeconds(10)).get(4);
        assertThat(redriven.value()).isEqualTo(deadLetter.value());
        assertThat(RecordHeaders.get(redriven.headers(), DeadLetterRedriver.REDRIVEN_FROM)).isEqualTo(id);
        assertThat(RecordHeaders.get(redriven.headers(), DeadLetterRedriver.REDRIVEN_AT)).isNotBlank();
        assertThat(redriven.headers().lastHeader(RecordHeaders.ERROR_MESSAGE)).isNull();

        HttpResponse<String> byTime = redrive("{\"from\":\"2000-01-01T00:00:00Z\",\"to\":\"2001-01-01T00:00:00Z\"}");
        assertThat(Json.MAPPER.readTree(byTime.body()).path("redriven").intValue()).isZero();
    }
}
