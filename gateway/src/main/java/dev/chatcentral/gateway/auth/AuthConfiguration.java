package dev.chatcentral.gateway.auth;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    AgentTokenVerifier agentTokenVerifier(AuthProperties properties) {
        Clock clock = Clock.systemUTC();
        TokenRules rules = new TokenRules(properties.issuers(), properties.audiences(), properties.clockSkew());
        AgentTokenVerifier hs256 = properties.hs256Secret() == null || properties.hs256Secret().isBlank()
                ? null : new Hs256AgentTokenVerifier(properties.hs256Secret(), rules, clock);
        AgentTokenVerifier rs256 = properties.jwksUrl() == null
                ? null : new JwksAgentTokenVerifier(properties.jwksUrl(), properties.jwksCacheTtl(),
                        properties.jwksTimeout(), rules, clock);
        if (hs256 == null && rs256 == null) {
            throw new IllegalStateException("no way to check agent tokens: set chatcentral.gateway.auth.hs256-secret"
                    + " (AGENT_JWT_SECRET) or chatcentral.gateway.auth.jwks-url (AGENT_JWKS_URL)");
        }
        return new AlgorithmRoutingVerifier(hs256, rs256);
    }
}
