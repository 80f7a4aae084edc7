package dev.chatcentral.localstack.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.schemas.serde.Json;

class DevTokensTest {

    private static final DemoEmpresa LOJA = DemoEmpresa.ALL.get(0);

    @Test
    void shouldMintSupervisorTokenThatVerifiesWithTheGatewaySecret() throws Exception {
        Instant now = Instant.parse("2026-01-10T12:00:00Z");

        SignedJWT jwt = SignedJWT.parse(DevTokens.supervisor(LOJA, DevTokens.DEFAULT_AGENT_JWT_SECRET, now));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.verify(new MACVerifier(
                DevTokens.DEFAULT_AGENT_JWT_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("supervisor-emp-demo-1");
        assertThat(claims.getStringClaim("empresaId")).isEqualTo("emp-demo-1");
        assertThat(claims.getStringListClaim("roles")).containsExactly("supervisor");
        assertThat(claims.getStringClaim("name")).isEqualTo("Supervisão Loja Aurora");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofHours(12)));
    }

    @Test
    void shouldNotVerifyWithAnotherSecret() throws Exception {
        SignedJWT jwt = SignedJWT.parse(DevTokens.supervisor(LOJA, DevTokens.DEFAULT_AGENT_JWT_SECRET,
                Instant.now()));

        assertThat(jwt.verify(new MACVerifier(
                "another-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void shouldExplainThatHs256NeedsALongerSecret() {
        assertThatThrownBy(() -> DevTokens.supervisor(LOJA, "short", Instant.now()))
                .isInstanceOf(StackException.class).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void shouldOfferTwoAtendentesAndASupervisorOfEachEmpresaToTheConsole() throws Exception {
        Instant now = Instant.parse("2026-01-10T12:00:00Z");

        JsonNode users = Json.MAPPER.readTree(DemoUsers.consoleJson(DemoUsers.of(DemoEmpresa.ALL),
                DevTokens.DEFAULT_AGENT_JWT_SECRET, now));

        assertThat(users).hasSize(3 * DemoEmpresa.ALL.size());
        JsonNode ana = users.get(0);
        assertThat(ana.path("role").asString()).isEqualTo("atendente");
        assertThat(ana.path("empresaId").asString()).isEqualTo("emp-demo-1");
        JWTClaimsSet claims = SignedJWT.parse(ana.path("token").asString()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(ana.path("userId").asString()).isEqualTo("ana-emp-demo-1");
        assertThat(claims.getStringListClaim("roles")).containsExactly("atendente");
        assertThat(claims.getIssuer()).isEqualTo("chat-central-dev");
        assertThat(claims.getAudience()).containsExactly("chat-central");
        assertThat(users.get(2).path("role").asString()).isEqualTo("supervisor");
    }
}
