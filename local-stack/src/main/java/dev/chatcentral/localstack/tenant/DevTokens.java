package dev.chatcentral.localstack.tenant;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.chatcentral.localstack.StackException;

/** Agent JWTs for trying the stack: HS256 with the secret the gateway verifies with, as the product's dev mode. */
public final class DevTokens {

    /** The gateway's default when AGENT_JWT_SECRET is not set; only for local use. */
    public static final String DEFAULT_AGENT_JWT_SECRET = "dev-only-agent-jwt-secret-change-me-0123456789";
    /** The services' management token in the {@code dev} profile when ADMIN_API_TOKEN is not set; only for local use. */
    public static final String DEFAULT_ADMIN_API_TOKEN = "dev-only-admin-token-change-me-0123456789";
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** The {@code iss} and {@code aud} the gateway accepts in its {@code dev} profile. */
    static final String ISSUER = "chat-central-dev";
    static final String AUDIENCE = "chat-central";
    public static final String ROLE = "supervisor";

    private DevTokens() {
    }

    /** The user id of the demo supervisor of an empresa, the token's {@code sub}. */
    public static String supervisorId(DemoEmpresa empresa) {
        return "supervisor-" + empresa.id();
    }

    public static String supervisor(DemoEmpresa empresa, String agentJwtSecret, Instant now) {
        return token(empresa, supervisorId(empresa), "Supervisão " + empresa.nome(), ROLE, agentJwtSecret, now);
    }

    /** A token of the empresa's user {@code userId} with one role, valid for {@link #LIFETIME} from {@code now}. */
    public static String token(DemoEmpresa empresa, String userId, String name, String role, String agentJwtSecret,
                               Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(userId)
                .claim("empresaId", empresa.id())
                .claim("roles", List.of(role))
                .claim("name", name)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new MACSigner(agentJwtSecret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new StackException("cannot sign dev agent tokens with AGENT_JWT_SECRET (HS256 needs at least "
                    + "32 bytes): " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
