package dev.chatcentral.system;

import static dev.chatcentral.system.Frames.isNotificationFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * The spine end to end: webhook into the ingest, through Kafka and the stream processor, out of the gateway to a
 * browser's WebSocket and into PostgreSQL, with two empresas live at once.
 */
class SpineTest extends TwoEmpresasFixture {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldDeliverWebhookOfEmpresaAToItsAtendenteAndNeverToEmpresaB() throws Exception {
        String keyId = EvolutionPayloads.newKeyId();
        HttpResponse<String> response = stack.postWebhook(EMPRESA_A, SECRET_A,
                EvolutionPayloads.customerText(INSTANCE_A, "5511988887777", "Maria Silva",
                        "Oi, vocês entregam hoje?", keyId, 1761057639L).toString());
        assertThat(response.statusCode()).isEqualTo(200);

        JsonNode frame = clientA.awaitFrame(f -> isNotificationFor(f, keyId), WITHIN);
        assertThat(frame.path("channel").asString()).isEqualTo("empresa:" + EMPRESA_A);
        assertThat(frame.path("position").isIntegralNumber()).isTrue();
        assertThat(frame.path("data").path("mensagem").path("text").asString()).isEqualTo("Oi, vocês entregam hoje?");
        assertThat(frame.path("data").path("conversa").path("empresaId").asString()).isEqualTo(EMPRESA_A);

        // B is live and its own events still reach it, so silence about A's event is not a dead connection
        String keyIdB = EvolutionPayloads.newKeyId();
        stack.postWebhook(EMPRESA_B, SECRET_B, EvolutionPayloads.customerText(INSTANCE_B, "5521977776666", "João",
                "Bom dia", keyIdB, 1761057700L).toString());
        clientB.awaitFrame(f -> isNotificationFor(f, keyIdB), WITHIN);
        assertThat(clientB.frames()).noneMatch(f -> isNotificationFor(f, keyId));
        assertThat(clientB.frames()).allMatch(f -> !f.has("data")
                || EMPRESA_B.equals(f.path("data").path("conversa").path("empresaId").asString()));
    }

    @Test
    void shouldKeepOneMensagemRowAndOneNotificationWhenTheSameWebhookArrivesTwice() throws Exception {
        String keyId = EvolutionPayloads.newKeyId();
        String body = EvolutionPayloads.customerText(INSTANCE_A, "5511977770000", "Carla",
                "Quero trocar um produto", keyId, 1761057800L).toString();
        assertThat(stack.postWebhook(EMPRESA_A, SECRET_A, body).statusCode()).isEqualTo(200);
        assertThat(stack.postWebhook(EMPRESA_A, SECRET_A, body).statusCode()).isEqualTo(200);

        clientA.awaitFrame(f -> isNotificationFor(f, keyId), WITHIN);
        // a later message of the same empresa marks the point by which a duplicate would have been delivered
        String markerKeyId = EvolutionPayloads.newKeyId();
        stack.postWebhook(EMPRESA_A, SECRET_A, EvolutionPayloads.customerText(INSTANCE_A, "5511977770000", "Carla",
                "Obrigada", markerKeyId, 1761057860L).toString());
        clientA.awaitFrame(f -> isNotificationFor(f, markerKeyId), WITHIN);

        assertThat(clientA.frames()).filteredOn(f -> isNotificationFor(f, keyId)).hasSize(1);
        awaitRows("SELECT count(*) FROM mensagem WHERE key_id = ?", keyId, 1);
        awaitRows("SELECT count(*) FROM mensagem WHERE key_id = ?", markerKeyId, 1);
        assertThat(stack.database.queryForLong("SELECT count(*) FROM mensagem WHERE key_id = ?", keyId)).isEqualTo(1);
        assertThat(stack.database.queryForLong(
                "SELECT count(*) FROM conversa WHERE empresa_id = ? AND remote_jid = ?",
                EMPRESA_A, "5511977770000@s.whatsapp.net")).isEqualTo(1);
    }

    @Test
    void shouldAnswer401AndWriteNothingWhenTheSecretIsMissingOrWrong() throws Exception {
        String keyId = EvolutionPayloads.newKeyId();
        String body = EvolutionPayloads.customerText(INSTANCE_A, "5511966660000", "Intrusa", "olá", keyId,
                1761057900L).toString();
        HttpResponse<String> noSecret = http.send(HttpRequest.newBuilder(
                        URI.create(stack.ingestUrl() + "/webhooks/evolution/" + EMPRESA_A))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongSecret = stack.postWebhook(EMPRESA_A, SECRET_B, body);

        assertThat(noSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("\"reason\"");
        assertThat(webhookRecordsOfEmpresa(EMPRESA_A)).noneMatch(text -> text.contains(keyId));
        assertThat(stack.database.queryForLong("SELECT count(*) FROM mensagem WHERE key_id = ?", keyId)).isZero();
        assertThat(clientA.framesOfType(EventType.MESSAGE_NOTIFICATION)).noneMatch(f -> isNotificationFor(f, keyId));
    }

    private static void awaitRows(String sql, String arg, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (stack.database.queryForLong(sql, arg) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " with " + arg + " never counted " + expected);
            }
            Thread.sleep(50);
        }
    }

    /** Every value of the empresa in chat.webhooks, as text (read_committed, from the start). */
    private static List<String> webhookRecordsOfEmpresa(String empresaId) {
        return stack.kafka.readCommitted(Topics.WEBHOOKS.name()).stream()
                .filter(r -> empresaId.equals(r.key()))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }
}
