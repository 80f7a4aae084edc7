package dev.chatcentral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.chatcentral.testing.AgentTokens;

class Hs256AgentTokenVerifierTest {

    private static final Instant NOW = Instant.parse("2025-10-21T12:00:00Z");
    private static final String SECRET = AgentTokens.DEV_SECRET;
    private static final Duration SKEW = Duration.ofSeconds(30);
    static final TokenRules RULES = new TokenRules(List.of(AgentTokens.DEV_ISSUER),
            List.of(AgentTokens.DEV_AUDIENCE), SKEW);

    private final Hs256AgentTokenVerifier verifier = new Hs256AgentTokenVerifier(SECRET, RULES,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldReadAgentFromValidToken() {
        Instant exp = NOW.plusSeconds(600);
        Agent agent = verifier.verify(AgentTokens.mint(SECRET, "user-1", "emp-1", List.of("atendente", "supervisor"),
                exp));

        assertThat(agent.userId()).isEqualTo("user-1");
        assertThat(agent.empresaId()).isEqualTo("emp-1");
        assertThat(agent.roles()).containsExactlyInAnyOrder(Role.ATENDENTE, Role.SUPERVISOR);
        assertThat(agent.name()).isEqualTo("Atendente user-1");
        assertThat(agent.expiresAt()).isEqualTo(exp);
    }

    @Test
    void shouldRejectTokenExpiredLongerAgoThanTheClockSkew() {
        String token = AgentTokens.mint(SECRET, "user-1", "emp-1", List.of("atendente"),
                NOW.minus(SKEW).minusSeconds(1));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidAgentTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void shouldAcceptTokenExpiredWithinTheClockSkew() {
        String token = AgentTokens.mint(SECRET, "user-1", "emp-1", List.of("atendente"),
                NOW.minus(SKEW).plusSeconds(1));

        assertThat(verifier.verify(token).userId()).isEqualTo("user-1");
    }

    @Test
    void shouldHonourNotBeforeWithTheClockSkew() throws JOSEException {
        String soon = sign(claims().notBeforeTime(Date.from(NOW.plus(SKEW).minusSeconds(1))).build());
        String later = sign(claims().notBeforeTime(Date.from(NOW.plus(SKEW).plusSeconds(1))).build());

        assertThat(verifier.verify(soon).userId()).isEqualTo("user-1");
        assertThatThrownBy(() -> verifier.verify(later)).hasMessageContaining("not valid before");
    }

    @Test
    void shouldRejectTokenOfAnotherIssuerOrWithoutOne() throws JOSEException {
        String other = sign(claims().issuer("https://idp.example.com/other-app").build());
        String none = sign(claims().issuer(null).build());

        assertThatThrownBy(() -> verifier.verify(other)).hasMessageContaining("issuer");
        assertThatThrownBy(() -> verifier.verify(none)).hasMessageContaining("no iss");
    }

    @Test
    void shouldRejectTokenMeantForAnotherAudienceOrForNone() throws JOSEException {
        String other = sign(claims().audience(List.of("another-application")).build());
        String none = sign(claims().audience((List<String>) null).build());
        String oneOfSeveral = sign(claims().audience(List.of("another-application", AgentTokens.DEV_AUDIENCE))
                .build());

        assertThatThrownBy(() -> verifier.verify(other)).hasMessageContaining("audience");
        assertThatThrownBy(() -> verifier.verify(none)).hasMessageContaining("no aud");
        assertThat(verifier.verify(oneOfSeveral).userId()).isEqualTo("user-1");
    }

    @Test
    void shouldRejectIdsLongerThanAChannelIdCanBe() throws JOSEException {
        String token = sign(claims().subject("u".repeat(129)).build());

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("sub");
    }

    @Test
    void shouldRejectTokenSignedWithAnotherSecret() {
        String token = AgentTokens.mint("another-secret-of-at-least-32-bytes-long!", "user-1", "emp-1",
                List.of("atendente"), NOW.plusSeconds(600));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidAgentTokenException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void shouldRejectUnsignedToken() {
        String token = new PlainJWT(new PlainHeader(), claims().build()).serialize();

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidAgentTokenException.class);
    }

    @Test
    void shouldRejectTokenSignedWithHs512EvenWithTheRightSecret() throws JOSEException {
        String longSecret = SECRET + SECRET;
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims().build());
        jwt.sign(new MACSigner(longSecret.getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> new Hs256AgentTokenVerifier(longSecret, RULES, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(jwt.serialize())).isInstanceOf(InvalidAgentTokenException.class).hasMessageContaining("HS256");
    }

    @Test
    void shouldRejectTokenWithoutExp() throws JOSEException {
        String token = sign(claims().expirationTime(null).build());

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("exp");
    }

    @Test
    void shouldRejectTokenWithoutEmpresaId() throws JOSEException {
        String token = sign(claims().claim("empresaId", null).build());

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("empresaId");
    }

    @Test
    void shouldRejectEmpresaIdThatCannotBeAChannelId() throws JOSEException {
        String token = sign(claims().claim("empresaId", "emp:1").build());

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("empresaId");
    }

    @Test
    void shouldRejectTokenWithoutAnyKnownRole() throws JOSEException {
        String token = sign(claims().claim("roles", List.of("visitante")).build());

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("roles");
    }

    @Test
    void shouldRejectRolesThatAreNotAList() throws JOSEException {
        String token = sign(claims().claim("roles", "admin").build());

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidAgentTokenException.class);
    }

    @Test
    void shouldRejectGarbage() {
        assertThatThrownBy(() -> verifier.verify("not-a-jwt")).isInstanceOf(InvalidAgentTokenException.class)
                .hasMessageContaining("not a signed JWT");
    }

    @Test
    void shouldRefuseSecretShorterThan32Bytes() {
        assertThatThrownBy(() -> new Hs256AgentTokenVerifier("too-short", RULES, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(AgentTokens.DEV_ISSUER)
                .audience(AgentTokens.DEV_AUDIENCE)
                .subject("user-1")
                .claim("empresaId", "emp-1")
                .claim("roles", List.of("atendente"))
                .claim("name", "Ana")
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
