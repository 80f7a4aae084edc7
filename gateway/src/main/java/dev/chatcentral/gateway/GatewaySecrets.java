package dev.chatcentral.gateway;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

import dev.chatcentral.service.security.RequiredSecrets;

/**
 * What the gateway refuses to start without outside the {@code dev} profile: a way to check agents' tokens (HS256
 * only when its secret is set on purpose), the issuers and audiences they must name, and the management token.
 */
final class GatewaySecrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final String HS256_SECRET = "chatcentral.gateway.auth.hs256-secret";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        RequiredSecrets secrets = RequiredSecrets.in(event.getEnvironment());
        boolean hs256 = secrets.isSet(HS256_SECRET);
        if (hs256) {
            secrets.token(HS256_SECRET, "AGENT_JWT_SECRET", 32);
        }
        secrets.problem(!hs256 && !secrets.isSet("chatcentral.gateway.auth.jwks-url"),
                        "neither AGENT_JWKS_URL nor AGENT_JWT_SECRET is set: agents' tokens could not be checked")
                .setting("chatcentral.gateway.auth.issuers", "AGENT_JWT_ISSUERS",
                        "the iss a token must have (your identity provider's)")
                .setting("chatcentral.gateway.auth.audiences", "AGENT_JWT_AUDIENCES",
                        "the aud a token must name (this application)")
                .management()
                .verify();
    }
}
