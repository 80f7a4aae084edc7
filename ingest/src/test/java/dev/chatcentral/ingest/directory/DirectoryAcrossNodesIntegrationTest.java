package dev.chatcentral.ingest.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Two ingest nodes on one broker and one database, as behind a load balancer: what is provisioned through one node,
 * or straight in PostgreSQL, is accepted by the other from the first webhook; what is revoked through one is refused
 * by the other within a second.
 */
class DirectoryAcrossNodesIntegrationTest {

    private static TestKafka kafka;
    private static TestDatabase database;
    private static IngestTestApp node1;
    private static IngestTestApp node2;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        node1 = IngestTestApp.start(kafka, database);
        node2 = IngestTestApp.start(kafka, database);
    }

    @AfterAll
    static void stop() {
        node2.close();
        node1.close();
        database.close();
        kafka.close();
    }

    private static HttpResponse<String> post(IngestTestApp node, String empresaId, String secret, String instance) {
        return node.post("/webhooks/evolution/" + empresaId, "Bearer " + secret, "application/json",
                "{\"event\":\"messages.upsert\",\"instance\":\"" + instance + "\",\"data\":{\"key\":{\"remoteJid\":"
                        + "\"5511988887777@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + UUID.randomUUID()
                        + "\"},\"message\":{\"conversation\":\"Oi\"},\"messageTimestamp\":1761057639}}");
    }

    private static JsonNode admin(IngestTestApp node, String method, String path, String body) {
        HttpResponse<String> response = node.admin(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response.body().isBlank() ? null : Json.MAPPER.readTree(response.body());
    }

    @Test
    void shouldAcceptTheFirstWebhookOnNodeTwoOfAnEmpresaJustCreatedThroughNodeOne() {
        String empresaId = "emp-" + UUID.randomUUID().toString().substring(0, 8);
        admin(node1, "PUT", "/" + empresaId, "{\"nome\":\"Loja Nova\"}");
        admin(node1, "PUT", "/" + empresaId + "/instances/nova-01", null);
        JsonNode issued = admin(node1, "POST", "/" + empresaId + "/webhook-secrets", null);

        HttpResponse<String> first = post(node2, empresaId, issued.path("secret").stringValue(), "nova-01");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(issued.has("announced")).isFalse();
    }

    @Test
    void shouldRefuseOnNodeTwoWithinASecondASecretRevokedThroughNodeOne() {
        String empresaId = "emp-" + UUID.randomUUID().toString().substring(0, 8);
        admin(node1, "PUT", "/" + empresaId, "{\"nome\":\"Loja Rotativa\"}");
        admin(node1, "PUT", "/" + empresaId + "/instances/rot-01", null);
        JsonNode old = admin(node1, "POST", "/" + empresaId + "/webhook-secrets", null);
        JsonNode fresh = admin(node1, "POST", "/" + empresaId + "/webhook-secrets", null);
        String oldSecret = old.path("secret").stringValue();
        assertThat(post(node2, empresaId, oldSecret, "rot-01").statusCode()).isEqualTo(200);

        admin(node1, "DELETE", "/" + empresaId + "/webhook-secrets/" + old.path("secretId").asLong(),
                null);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(post(node2, empresaId, oldSecret, "rot-01").statusCode()).isEqualTo(401));
        assertThat(post(node2, empresaId, fresh.path("secret").stringValue(), "rot-01").statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldAcceptTheFirstWebhookOfAnEmpresaAProvisioningScriptWroteStraightToPostgres() {
        String empresaId = "emp-" + UUID.randomUUID().toString().substring(0, 8);
        database.seedEmpresa(empresaId, "script-01", "segredo-do-script");

        assertThat(post(node1, empresaId, "segredo-do-script", "script-01").statusCode()).isEqualTo(200);
        assertThat(post(node2, empresaId, "segredo-do-script", "script-01").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldStillRefuseUnknownEmpresasAndWrongSecretsAtOnce() {
        long started = System.nanoTime();
        HttpResponse<String> unknown = post(node2, "emp-nobody", "whatever", "nada-01");

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
