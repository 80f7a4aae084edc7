package dev.chatcentral.gateway.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies agent tokens signed with RS256 by an identity provider that publishes its keys as a JWKS. Keys are
 * cached ({@code jwksCacheTtl}); a token whose {@code kid} is not in the cache makes one (rate-limited) fetch, so a
 * key rotation is picked up at once; a failed fetch is retried once.
 */
public final class JwksAgentTokenVerifier implements AgentTokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final TokenRules rules;
    private final Clock clock;

    public JwksAgentTokenVerifier(URI jwksUrl, Duration cacheTtl, Duration timeout, TokenRules rules, Clock clock) {
        URL url;
        try {
            url = jwksUrl.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("chatcentral.gateway.auth.jwks-url is not a URL: " + jwksUrl, e);
        }
        int millis = (int) timeout.toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(url,
                        new DefaultResourceRetriever(millis, millis, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                .cache(cacheTtl.toMillis(), timeout.toMillis())
                .retrying(true)
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        // exp, nbf, iss, aud and the claims are checked by AgentClaims, the same way for every algorithm
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public Agent verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidAgentTokenException("token is not a signed JWT", e);
        } catch (KeySourceException e) {
            throw new InvalidAgentTokenException("token signing keys cannot be fetched: " + e.getMessage(), e);
        } catch (BadJOSEException e) {
            throw new InvalidAgentTokenException("token signature is invalid: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new InvalidAgentTokenException("token signature cannot be checked: " + e.getMessage(), e);
        }
        return AgentClaims.read(claims, clock.instant(), rules);
    }
}
