package dev.chatcentral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import dev.chatcentral.testing.AgentTokens;

/** RS256 through a JWKS served over real HTTP by the test, and the routing between HS256 and RS256. */
class JwksAgentTokenVerifierTest {

    private static HttpServer server;
    private static RSAKey first;
    private static RSAKey rotated;
    private static final AtomicReference<JWKSet> published = new AtomicReference<>();
    private static final AtomicInteger fetches = new AtomicInteger();
    private static URI jwksUrl;

    @BeforeAll
    static void serveJwks() throws Exception {
        first = new RSAKeyGenerator(2048).keyID("key-1").generate();
        rotated = new RSAKeyGenerator(2048).keyID("key-2").generate();
        published.set(new JWKSet(first.toPublicJWK()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        jwksUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private final JwksAgentTokenVerifier rs256 = new JwksAgentTokenVerifier(jwksUrl, Duration.ofMinutes(5),
            Duration.ofSeconds(2), Hs256AgentTokenVerifierTest.RULES, Clock.systemUTC());

    @Test
    void shouldReadAgentFromTokenSignedWithPublishedKey() throws Exception {
        Agent agent = rs256.verify(rs256Token(first, "user-1", "emp-1", Instant.now().plusSeconds(600)));

        assertThat(agent.userId()).isEqualTo("user-1");
        assertThat(agent.empresaId()).isEqualTo("emp-1");
        assertThat(agent.roles()).containsExactly(Role.ATENDENTE);
    }

    @Test
    void shouldCacheKeysAndFetchAgainWhenKeyIdIsUnknown() throws Exception {
        String before = rs256Token(first, "user-1", "emp-1", Instant.now().plusSeconds(600));
        rs256.verify(before);
        int afterFirst = fetches.get();
        rs256.verify(before);
        assertThat(fetches.get()).isEqualTo(afterFirst);

        published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK())));
        Agent agent = rs256.verify(rs256Token(rotated, "user-2", "emp-1", Instant.now().plusSeconds(600)));

        assertThat(agent.userId()).isEqualTo("user-2");
        assertThat(fetches.get()).isGreaterThan(afterFirst);
    }

    @Test
    void shouldRejectTokenSignedWithUnpublishedKey() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-1").generate();

        assertThatThrownBy(() -> rs256.verify(rs256Token(stranger, "user-1", "emp-1", Instant.now().plusSeconds(600))))
                .isInstanceOf(InvalidAgentTokenException.class).hasMessageContaining("signature");
    }

    @Test
    void shouldRejectRs256TokenExpiredPastTheClockSkew() {
        assertThatThrownBy(() -> rs256.verify(rs256Token(first, "user-1", "emp-1", Instant.now().minusSeconds(60))))
                .isInstanceOf(InvalidAgentTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void shouldRejectHs256TokenWhenOnlyRs256IsConfigured() {
        AgentTokenVerifier onlyRs256 = new AlgorithmRoutingVerifier(null, rs256);

        assertThatThrownBy(() -> onlyRs256.verify(AgentTokens.atendente("user-1", "emp-1")))
                .isInstanceOf(InvalidAgentTokenException.class).hasMessageContaining("must be signed with RS256");
    }

    @Test
    void shouldRouteEachAlgorithmToItsVerifierWhenBothAreConfigured() throws Exception {
        AgentTokenVerifier both = new AlgorithmRoutingVerifier(
                new Hs256AgentTokenVerifier(AgentTokens.DEV_SECRET, Hs256AgentTokenVerifierTest.RULES,
                        Clock.systemUTC()), rs256);

        assertThat(both.verify(AgentTokens.atendente("user-h", "emp-1")).userId()).isEqualTo("user-h");
        assertThat(both.verify(rs256Token(first, "user-r", "emp-1", Instant.now().plusSeconds(60))).userId())
                .isEqualTo("user-r");
    }

    private static String rs256Token(RSAKey key, String userId, String empresaId, Instant expiresAt)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(AgentTokens.DEV_ISSUER).audience(AgentTokens.DEV_AUDIENCE)
                        .subject(userId).claim("empresaId", empresaId)
                        .claim("roles", List.of("atendente")).issueTime(new Date())
                        .expirationTime(Date.from(expiresAt)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
