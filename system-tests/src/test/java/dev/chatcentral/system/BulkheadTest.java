package dev.chatcentral.system;

import static dev.chatcentral.system.Frames.isNotificationFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.testing.AgentTokens;

/**
 * Bulkheads over the real processes (issue 11): empresa A sends every webhook that once stopped or stalled the
 * pipeline for all empresas, and empresa B's next message still reaches its atendente and PostgreSQL within
 * seconds; each of A's accepted webhooks ends as a row or a dead letter, none silently lost; and a processor
 * restarted with A's poison waiting in its input starts, stays up and goes on, instead of dying on it again.
 */
class BulkheadTest extends TwoEmpresasFixture {

    private static final String CUSTOMER_A = "5511988887777";
    /** A's customer with the 600 KB name, alone in its conversa so that the conversa keeps that name. */
    private static final String LONG_NAMED_CUSTOMER_A = "5511955554444";
    private static final String CUSTOMER_B = "5521977776666";
    /** How soon B's message must arrive despite A's poison, generous for this loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** A (re)started processor joins its groups and restores its state before it processes anything. */
    private static final Duration RESTART_WITHIN = Duration.ofSeconds(90);
    private static final int NAME_LIMIT = 256;
    /** Epoch seconds in the year 296,000: a valid Java Instant, beyond PostgreSQL's timestamptz (year 294,276). */
    private static final long BEYOND_POSTGRES_SECONDS = 9_300_000_000_000L;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldKeepProcessingAnotherEmpresaThroughEveryPoisonWebhookAndARestart() throws Exception {
        // B's seconds are counted from a running pipeline, not from a processor still joining its groups
        awaitProcessorRunning();
        // 1. A's poison: each of these stopped or stalled the pipeline for every empresa before issue 11
        String longName = "Cliente " + "😀".repeat(150_000);
        String nameKeyId = EvolutionPayloads.newKeyId();
        String nulKeyId = EvolutionPayloads.newKeyId();
        String surrogateKeyId = EvolutionPayloads.newKeyId();
        String farFutureKeyId = EvolutionPayloads.newKeyId();
        String infinityKeyId = EvolutionPayloads.newKeyId();
        String hugeIntegerKeyId = EvolutionPayloads.newKeyId();
        String longKeyId = "3A" + "F".repeat(298);
        List<String> rowsOfA = List.of(nameKeyId, nulKeyId, surrogateKeyId, farFutureKeyId, infinityKeyId,
                hugeIntegerKeyId);

        assertAccepted(postA(longNamedText("Oi, tudo bem?", longName, nameKeyId)), "600 KB pushName");
        // the escapes are written into the JSON itself, as Evolution sends them: a Java string cannot carry a lone
        // surrogate through UTF-8
        assertAccepted(postA(customerTextA("Maria", "antesNUL_HEREdepois", nulKeyId)
                .replace("NUL_HERE", "\\u0000")), "NUL in the text");
        assertAccepted(postA(customerTextA("Maria", "coração LONE_HERE partido", surrogateKeyId)
                .replace("LONE_HERE", "\\uD83D")), "unpaired surrogate in the text");
        assertAccepted(postA(EvolutionPayloads.customerText(INSTANCE_A, CUSTOMER_A, "Maria", "do futuro",
                farFutureKeyId, BEYOND_POSTGRES_SECONDS).toString()), "timestamp beyond PostgreSQL's range");
        assertAccepted(postA(withTimestamp(customerTextA("Maria", "infinito", infinityKeyId), "1e400")),
                "timestamp 1e400");
        assertAccepted(postA(withTimestamp(customerTextA("Maria", "enorme", hugeIntegerKeyId),
                "123456789012345678901234567890")), "timestamp of 30 digits");
        assertAccepted(postA(EvolutionPayloads.receipt(INSTANCE_A, CUSTOMER_A, longKeyId,
                EvolutionPayloads.STATUS_READ).toString()), "keyId of 300 characters");
        String dataNotAnObject = EvolutionPayloads.envelope(EvolutionEvent.MESSAGES_UPSERT, INSTANCE_A,
                Json.MAPPER.getNodeFactory().stringNode("sem objeto"), Instant.now()).toString();
        assertAccepted(postA(dataNotAnObject), "data that is no object");
        assertRefused(postA("{\"event\": \"messages.upsert\", isto não é JSON"), 400, "invalid_webhook");
        // over chat.webhooks' 1 MiB without media: refused for good at once, not 503 (which Evolution retries forever)
        String tooLargeKeyId = EvolutionPayloads.newKeyId();
        assertRefused(postA(customerTextA("Maria", "x".repeat(1_500_000), tooLargeKeyId)), 413, "too_large");

        // 2. B right after: its atendente and PostgreSQL get its message within seconds
        String keyIdB = postB("Bom dia, meu pedido chegou?");
        clientB.awaitFrame(f -> isNotificationFor(f, keyIdB), WITHIN);
        awaitMensagemRow(keyIdB, WITHIN);

        // 3. where each of A's webhooks went: the cleaned ones are rows, the unreadable ones dead letters
        awaitRows(rowsOfA);
        assertThat(column("char_length(sender_name)", nameKeyId)).isEqualTo(Integer.toString(NAME_LIMIT));
        assertThat(column("sender_name", nameKeyId))
                .startsWith("Cliente 😀😀").endsWith("😀…").doesNotContain("\uFFFD");
        assertThat(sanitized(nameKeyId)).containsExactly("senderName");
        assertThat(conversaColumn("char_length(contact_name)", nameKeyId))
                .isEqualTo(Integer.toString(NAME_LIMIT));
        assertThat(column("text", nulKeyId)).isEqualTo("antesdepois");
        assertThat(sanitized(nulKeyId)).containsExactly("text");
        assertThat(column("text", surrogateKeyId)).isEqualTo("coração \uFFFD partido");
        assertThat(sanitized(surrogateKeyId)).containsExactly("text");
        for (String keyId : List.of(farFutureKeyId, infinityKeyId, hugeIntegerKeyId)) {
            assertThat(sanitized(keyId)).as(keyId).containsExactly("sentAt");
            assertThat(column("sent_at = received_at", keyId)).as(keyId).isEqualTo("true");
        }
        // A's own atendente sees the cut name: the notification that once exceeded the producer's limit
        JsonNode named = clientA.awaitFrame(f -> isNotificationFor(f, nameKeyId), WITHIN);
        assertThat(named.path("data").path("mensagem").path("senderName").asString()).endsWith("…");

        List<ConsumerRecord<String, byte[]>> lettersOfA = awaitDeadLettersOfA(2);
        assertThat(lettersOfA).hasSize(2).allSatisfy(BulkheadTest::assertInvalidWebhookOfA);
        assertThat(lettersOfA).anySatisfy(l -> assertThat(text(l)).contains(longKeyId));
        assertThat(lettersOfA).anySatisfy(l -> assertThat(text(l)).contains("sem objeto"));
        // nothing of A silently gone: every accepted webhook is in chat.webhooks, and each is a row or a letter
        List<ConsumerRecord<String, byte[]>> webhooksOfA = recordsOf(Topics.WEBHOOKS.name(), EMPRESA_A);
        assertThat(webhooksOfA).hasSize(rowsOfA.size() + lettersOfA.size());
        assertThat(webhooksOfA).noneMatch(r -> text(r).contains(tooLargeKeyId));
        assertThat(stack.database.queryForLong("SELECT count(*) FROM mensagem WHERE empresa_id = ?", EMPRESA_A))
                .isEqualTo(rowsOfA.size());
        // counted in memory, so read before the restart
        assertThat(invalidDeadLettersCounted(EMPRESA_A)).isGreaterThanOrEqualTo(lettersOfA.size());

        // 4. a restart with A's poison waiting in the processor's input: it used to die on it at every start
        stack.stopProcessor();
        String nameAgainKeyId = EvolutionPayloads.newKeyId();
        assertAccepted(postA(longNamedText("Sou eu de novo", longName, nameAgainKeyId)), "600 KB pushName again");
        assertAccepted(postA(EvolutionPayloads.receipt(INSTANCE_A, CUSTOMER_A, longKeyId,
                EvolutionPayloads.STATUS_DELIVERY_ACK).toString()), "keyId of 300 characters again");
        String keyIdWhileDown = postB("Alguém aí?");
        stack.startProcessor();

        awaitProcessorRunning();
        clientB.awaitFrame(f -> isNotificationFor(f, keyIdWhileDown), WITHIN);
        awaitMensagemRow(keyIdWhileDown, WITHIN);
        // a crash loop shows as DOWN within seconds of each start: UP must hold, not just be reached
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> "UP".equals(streamsHealth().path("status").asString()));
        JsonNode streams = streamsHealth();
        assertThat(streams.path("details").has("error")).as(streams.toString()).isFalse();
        assertThat(streams.path("details").path("threads").valueStream().map(JsonNode::asString))
                .as(streams.toString()).containsOnly("RUNNING");
        assertThat(Json.MAPPER.readTree(processorGet("/actuator/health/readiness").body()).path("status").asString())
                .isEqualTo("UP");
        assertThat(processorStatus("/actuator/health/liveness")).isEqualTo(200);

        // B's next message after the restart goes through within seconds, as before it
        String keyIdAfter = postB("Obrigado!");
        clientB.awaitFrame(f -> isNotificationFor(f, keyIdAfter), WITHIN);
        awaitMensagemRow(keyIdAfter, WITHIN);
        // and the restarted processor settled A's waiting poison: a row and a third letter
        awaitRows(List.of(nameAgainKeyId));
        assertThat(sanitized(nameAgainKeyId)).containsExactly("senderName");
        assertThat(awaitDeadLettersOfA(3)).hasSize(3).allSatisfy(BulkheadTest::assertInvalidWebhookOfA);
        assertThat(invalidDeadLettersCounted(EMPRESA_A)).isGreaterThanOrEqualTo(1);

        // none of A's data ever reached B's atendente, whose own events all arrived
        List<String> keyIdsOfA = new ArrayList<>(rowsOfA);
        keyIdsOfA.addAll(List.of(nameAgainKeyId, longKeyId));
        assertThat(clientB.frames()).allMatch(f -> !f.has("data")
                || EMPRESA_B.equals(f.path("data").path("conversa").path("empresaId").asString()));
        assertThat(clientB.frames()).noneMatch(f -> f.toString().contains(EMPRESA_A)
                || keyIdsOfA.stream().anyMatch(keyId -> f.toString().contains(keyId)));

        // 5. from the console, each empresa's supervisor redrives its own dead letters only: B's finds none of A's
        assertThat(redrive(EMPRESA_B, "supervisor", "{}").path("redriven").intValue()).isZero();
        int lettersBefore = recordsOf(Topics.DLQ.name(), EMPRESA_A).size();
        JsonNode ofA = redrive(EMPRESA_A, "supervisor", "{\"stage\":\"conversa\"}");
        assertThat(ofA.path("redriven").intValue()).isPositive();
        // A's poison is as invalid as before: it fails again, and is back in the DLQ, once per line
        awaitDeadLettersOfA(lettersBefore + ofA.path("redriven").intValue());
        assertThat(redriveStatus(EMPRESA_A, "atendente", "{}")).isEqualTo(403);
        assertThat(redriveStatus(EMPRESA_A, "supervisor", "{\"empresaId\":\"" + EMPRESA_B + "\"}")).isEqualTo(400);
        assertThat(redriveStatus(EMPRESA_A, "supervisor", "[]")).isEqualTo(400);
        assertThat(redriveStatus(EMPRESA_A, "supervisor", "{\"ids\":\"3-17\"}")).isEqualTo(400);
    }

    private HttpResponse<String> postRedrive(String empresaId, String role, String body) throws Exception {
        String token = AgentTokens.mint(AgentTokens.DEV_SECRET, role + "-" + empresaId, empresaId, List.of(role),
                Instant.now().plus(Duration.ofHours(1)));
        return http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/dlq/redrive"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode redrive(String empresaId, String role, String body) throws Exception {
        HttpResponse<String> response = postRedrive(empresaId, role, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private int redriveStatus(String empresaId, String role, String body) throws Exception {
        return postRedrive(empresaId, role, body).statusCode();
    }

    private String postB(String text) throws Exception {
        String keyId = EvolutionPayloads.newKeyId();
        assertAccepted(stack.postWebhook(EMPRESA_B, SECRET_B, EvolutionPayloads.customerText(INSTANCE_B, CUSTOMER_B, "João", text,
                keyId, Instant.now().getEpochSecond()).toString()), "B's text");
        return keyId;
    }

    private static String customerTextA(String pushName, String text, String keyId) {
        return EvolutionPayloads.customerText(INSTANCE_A, CUSTOMER_A, pushName, text, keyId,
                Instant.now().getEpochSecond()).toString();
    }

    private static String longNamedText(String text, String longName, String keyId) {
        return EvolutionPayloads.customerText(INSTANCE_A, LONG_NAMED_CUSTOMER_A, longName, text, keyId,
                Instant.now().getEpochSecond()).toString();
    }

    /** The webhook with its {@code messageTimestamp} replaced by a JSON number no Java long holds. */
    private static String withTimestamp(String webhook, String number) {
        String replaced = webhook.replaceFirst("\"messageTimestamp\":\\d+", "\"messageTimestamp\":" + number);
        assertThat(replaced).contains(number);
        return replaced;
    }

    private HttpResponse<String> postA(String body) throws Exception {
        return stack.postWebhook(EMPRESA_A, SECRET_A, body);
    }

    private static void assertAccepted(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(200);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("error").asString()).isEqualTo(error);
        assertThat(body.path("reason").asString()).isNotBlank();
    }

    private static void awaitMensagemRow(String keyId, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> stack.database.queryForLong(
                "SELECT count(*) FROM mensagem WHERE key_id = ?", keyId) == 1);
    }

    private static void awaitRows(List<String> keyIds) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> stack.database.queryForLong(
                "SELECT count(*) FROM mensagem WHERE key_id = ANY (?)", (Object) keyIds.toArray(String[]::new))
                == keyIds.size());
    }

    /** One column (or expression) of the mensagem row with this WhatsApp key id, as text. */
    private static String column(String expression, String keyId) {
        return stack.database.queryForString("SELECT (" + expression + ")::text FROM mensagem WHERE key_id = ?",
                keyId);
    }

    /** One column (or expression) of the conversa of the mensagem with this WhatsApp key id, as text. */
    private static String conversaColumn(String expression, String keyId) {
        return stack.database.queryForString("SELECT (" + expression + ")::text FROM conversa"
                + " WHERE id = (SELECT conversa_id FROM mensagem WHERE key_id = ?)", keyId);
    }

    private static List<String> sanitized(String keyId) {
        String joined = column("array_to_string(sanitized, ',')", keyId);
        return joined == null ? List.of() : List.of(joined.split(","));
    }

    private static List<ConsumerRecord<String, byte[]>> awaitDeadLettersOfA(int expected) {
        return await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> recordsOf(Topics.DLQ.name(), EMPRESA_A), letters -> letters.size() >= expected);
    }

    private static List<ConsumerRecord<String, byte[]>> recordsOf(String topic, String empresaId) {
        return stack.kafka.readCommitted(topic).stream().filter(r -> empresaId.equals(r.key())).toList();
    }

    private static void assertInvalidWebhookOfA(ConsumerRecord<String, byte[]> letter) {
        assertThat(RecordHeaders.get(letter.headers(), RecordHeaders.ERROR_REASON)).isEqualTo("invalid");
        assertThat(RecordHeaders.get(letter.headers(), RecordHeaders.DLQ_STAGE)).isEqualTo("conversa");
        assertThat(RecordHeaders.get(letter.headers(), RecordHeaders.ORIGINAL_TOPIC))
                .isEqualTo(Topics.WEBHOOKS.name());
        assertThat(RecordHeaders.get(letter.headers(), RecordHeaders.EMPRESA_ID)).isEqualTo(EMPRESA_A);
        assertThat(RecordHeaders.get(letter.headers(), RecordHeaders.ERROR_MESSAGE)).isNotBlank();
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    /** The conversa topology RUNNING (not merely rebalancing, which health counts as UP) and readiness UP. */
    private void awaitProcessorRunning() {
        await().atMost(RESTART_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> "RUNNING".equals(streamsHealth().path("details").path("state").asString())
                        && processorStatus("/actuator/health/readiness") == 200);
    }

    private JsonNode streamsHealth() throws Exception {
        return Json.MAPPER.readTree(processorGet("/actuator/health").body()).path("components").path("kafkaStreams");
    }

    /** {@code chatcentral_processor_dead_letters_total{stage="conversa",reason="invalid",empresa}} as scraped. */
    private double invalidDeadLettersCounted(String empresaId) throws Exception {
        return processorGet("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith("chatcentral_processor_dead_letters_total{")
                        && line.contains("stage=\"conversa\"") && line.contains("reason=\"invalid\"")
                        && line.contains("empresa=\"" + empresaId + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private int processorStatus(String path) throws Exception {
        return processorGet(path).statusCode();
    }

    private HttpResponse<String> processorGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.processorManagementUrl() + path))
                .header("Authorization", "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
