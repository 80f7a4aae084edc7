package dev.chatcentral.gateway.auth;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    AgentTokenVerifier agentTokenVerifier(AuthProperties properties) {
        return new Hs256AgentTokenVerifier(properties.hs256Secret(), Clock.systemUTC());
    }
}
