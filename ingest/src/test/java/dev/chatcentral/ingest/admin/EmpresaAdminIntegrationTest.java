package dev.chatcentral.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Tenants as an operator manages them through the admin API, and the webhook authentication that follows from
 * it: secrets issued, rotated and revoked, in both of Evolution's forms (Bearer secret and its HS256 JWT).
 */
class EmpresaAdminIntegrationTest {

    private static TestKafka kafka;
    private static TestDatabase database;
    private static IngestTestApp ingest;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        ingest = IngestTestApp.start(kafka, database);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        database.close();
        kafka.close();
    }

    @Test
    void shouldKeepBothSecretsValidDuringRotationAndRefuseTheRevokedOne() {
        String empresa = newEmpresa("loja-rot-01");
        JsonNode first = issueSecret(empresa);
        JsonNode second = issueSecret(empresa);

        assertThat(postWebhook(empresa, "loja-rot-01", "Bearer " + first.path("secret").asString())).isEqualTo(200);
        assertThat(postWebhook(empresa, "loja-rot-01", "Bearer " + second.path("secret").asString())).isEqualTo(200);

        assertThat(ingest.admin("DELETE", "/" + empresa + "/webhook-secrets/" + first.path("secretId").asLong(),
                null).statusCode()).isEqualTo(204);

        assertThat(postWebhook(empresa, "loja-rot-01", "Bearer " + first.path("secret").asString())).isEqualTo(401);
        assertThat(postWebhook(empresa, "loja-rot-01", "Bearer " + second.path("secret").asString())).isEqualTo(200);
        JsonNode described = Json.MAPPER.readTree(ingest.admin("GET", "/" + empresa, null).body());
        assertThat(described.path("instances").get(0).asString()).isEqualTo("loja-rot-01");
        assertThat(described.path("webhookSecrets")).hasSize(1);
        assertThat(described.path("webhookSecrets").get(0).has("secret")).isFalse();
    }

    @Test
    void shouldAcceptTheJwtEvolutionMintsFromJwtKeyAndRefuseForgedExpiredOrReplayedOnes() throws Exception {
        String empresa = newEmpresa("loja-jwt-01");
        String secret = issueSecret(empresa).path("secret").asString();
        Instant now = Instant.now();

        assertThat(postWebhook(empresa, "loja-jwt-01", "Bearer " + evolutionJwt(secret, now, "evolution", "webhook")))
                .isEqualTo(200);
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt(secret, now.minusSeconds(3600), "evolution", "webhook"))).isEqualTo(401);
        // unexpired, but older than a token per webhook can be: captured and replayed
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt(secret, now.minusSeconds(300), "evolution", "webhook"))).isEqualTo(401);
        // within the age and the clock skew, on either side of our clock
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt(secret, now.minusSeconds(140), "evolution", "webhook"))).isEqualTo(200);
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt(secret, now.plusSeconds(20), "evolution", "webhook"))).isEqualTo(200);
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt(secret, now.plusSeconds(120), "evolution", "webhook"))).isEqualTo(401);
        assertThat(postWebhook(empresa, "loja-jwt-01", "Bearer " + evolutionJwt(secret, now, "other", "webhook")))
                .isEqualTo(401);
        assertThat(postWebhook(empresa, "loja-jwt-01",
                "Bearer " + evolutionJwt("whsec_someone-elses-secret-of-enough-length-000", now, "evolution", "webhook")))
                .isEqualTo(401);
    }

    @Test
    void shouldRefuseAdminCallsWithoutTheTokenOrWithBadInput() {
        assertThat(ingest.management("PUT", "/admin/empresas/emp-x", null, "{\"nome\":\"X\"}").statusCode())
                .isEqualTo(401);
        assertThat(ingest.management("PUT", "/admin/empresas/emp-x", "Bearer wrong", "{\"nome\":\"X\"}")
                .statusCode()).isEqualTo(401);
        // the admin API is not on the public port at all
        assertThat(ingest.request("PUT", "/admin/empresas/emp-x", "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN,
                "{\"nome\":\"X\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> badId = ingest.admin("PUT", "/emp:x", "{\"nome\":\"X\"}");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("\"reason\"");
        assertThat(ingest.admin("PUT", "/emp-x", "{\"nome\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(ingest.admin("PUT", "/emp-x", "{not json").statusCode()).isEqualTo(400);
        assertThat(ingest.admin("POST", "/emp-never-created/webhook-secrets", null).statusCode()).isEqualTo(404);
        assertThat(ingest.admin("PUT", "/emp-never-created/instances/loja", null).statusCode()).isEqualTo(404);
        assertThat(ingest.admin("DELETE", "/emp-never-created/webhook-secrets/abc", null).statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseWith409AnInstanceAlreadyAttachedToAnotherEmpresa() {
        String owner = newEmpresa("loja-dona-01");
        String other = newEmpresa("loja-outra-01");

        HttpResponse<String> taken = ingest.admin("PUT", "/" + other + "/instances/loja-dona-01", null);

        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("\"error\":\"instance_taken\"").doesNotContain(owner);
        // attaching it again to its owner changes nothing
        assertThat(ingest.admin("PUT", "/" + owner + "/instances/loja-dona-01", null).statusCode()).isEqualTo(200);
        // detached from its owner, it can move
        assertThat(ingest.admin("DELETE", "/" + owner + "/instances/loja-dona-01", null).statusCode()).isEqualTo(204);
        assertThat(ingest.admin("PUT", "/" + other + "/instances/loja-dona-01", null).statusCode()).isEqualTo(200);
    }

    private static String newEmpresa(String instance) {
        String empresa = "emp-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(ingest.admin("PUT", "/" + empresa, "{\"nome\":\"Loja " + empresa + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(ingest.admin("PUT", "/" + empresa + "/instances/" + instance, null).statusCode()).isEqualTo(200);
        return empresa;
    }

    private static JsonNode issueSecret(String empresa) {
        HttpResponse<String> response = ingest.admin("POST", "/" + empresa + "/webhook-secrets", null);
        assertThat(response.statusCode()).isEqualTo(201);
        return Json.MAPPER.readTree(response.body());
    }

    private static int postWebhook(String empresa, String instance, String authorization) {
        String body = "{\"event\":\"connection.update\",\"instance\":\"" + instance + "\",\"data\":{\"instance\":\""
                + instance + "\",\"state\":\"open\",\"statusReason\":200}}";
        return ingest.post("/webhooks/evolution/" + empresa, authorization, "application/json", body).statusCode();
    }

    /** The token Evolution mints from its jwt_key header setting. */
    private static String evolutionJwt(String key, Instant issuedAt, String app, String action) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(600)))
                .claim("app", app)
                .claim("action", action)
                .build());
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
