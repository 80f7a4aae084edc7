package dev.chatcentral.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.service.security.InsecureConfigurationException;

/** Outside the dev profile the gateway does not start without a way to check tokens of its own. */
class GatewaySecretsTest {

    private static final String TOKEN = "a-management-token-of-more-than-32-bytes";

    private static InsecureConfigurationException refusal(String... args) {
        try {
            GatewayApplication.application().run(args).close();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        throw new AssertionError("the gateway started");
    }

    private static void check(MockEnvironment environment) {
        environment.setActiveProfiles("prod");
        environment.setProperty("management.server.port", "9080");
        new GatewaySecrets().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
                new SpringApplication(), new String[0], environment));
    }

    @Test
    void shouldRefuseToStartWithoutAWayToCheckTokensIssuersAudiencesAndTheManagementToken() {
        assertThat(refusal("--spring.profiles.active=prod").problems()).containsExactly(
                "neither AGENT_JWKS_URL nor AGENT_JWT_SECRET is set: agents' tokens could not be checked",
                "AGENT_JWT_ISSUERS is not set: the iss a token must have (your identity provider's)",
                "AGENT_JWT_AUDIENCES is not set: the aud a token must name (this application)",
                "ADMIN_API_TOKEN is not set");
    }

    @Test
    void shouldRefuseTheDevelopmentHs256SecretEvenBesideAJwksUrl() {
        assertThat(refusal("--spring.profiles.active=prod",
                "--chatcentral.gateway.auth.hs256-secret=" + DevelopmentSecrets.AGENT_JWT_SECRET,
                "--chatcentral.gateway.auth.jwks-url=https://idp.example.com/jwks.json",
                "--chatcentral.gateway.auth.issuers=https://idp.example.com",
                "--chatcentral.gateway.auth.audiences=chat-central",
                "--chatcentral.management.token=" + TOKEN).problems()).containsExactly(
                "AGENT_JWT_SECRET is the development value published in this repository");
    }

    @Test
    void shouldAcceptRs256AloneWithIssuersAudiencesAndAToken() {
        assertThatCode(() -> check(new MockEnvironment()
                .withProperty("chatcentral.gateway.auth.jwks-url", "https://idp.example.com/jwks.json")
                .withProperty("chatcentral.gateway.auth.issuers", "https://idp.example.com")
                .withProperty("chatcentral.gateway.auth.audiences", "chat-central")
                .withProperty("chatcentral.management.token", TOKEN))).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAShortHs256Secret() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("chatcentral.gateway.auth.hs256-secret", "short")
                .withProperty("chatcentral.gateway.auth.issuers", "me")
                .withProperty("chatcentral.gateway.auth.audiences", "chat-central")
                .withProperty("chatcentral.management.token", TOKEN);

        try {
            check(environment);
            throw new AssertionError("accepted");
        } catch (InsecureConfigurationException e) {
            assertThat(e.problems()).containsExactly("AGENT_JWT_SECRET is shorter than 32 bytes");
        }
    }

    @Test
    void shouldKeepEverySecretOfTheDevProfileInTheListOfPublishedOnes() {
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new ClassPathResource("gateway-dev.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> chatcentral = (Map<String, Object>) yaml.getObject().get("chatcentral");
        Object secret = ((Map<?, ?>) ((Map<?, ?>) chatcentral.get("gateway")).get("auth")).get("hs256-secret");
        Object token = ((Map<?, ?>) chatcentral.get("management")).get("token");

        assertThat(DevelopmentSecrets.isDevelopmentValue(defaultOf(secret))).isTrue();
        assertThat(DevelopmentSecrets.isDevelopmentValue(defaultOf(token))).isTrue();
    }

    private static String defaultOf(Object placeholder) {
        String text = placeholder.toString();
        return text.substring(text.indexOf(':') + 1, text.length() - 1);
    }
}
