package dev.chatcentral.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class RequiredSecretsTest {

    private static final String GOOD_TOKEN = "a-production-token-of-more-than-32-bytes";
    private static final String GOOD_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

    private static MockEnvironment production() {
        return new MockEnvironment().withProperty("spring.profiles.active", "prod");
    }

    private static InsecureConfigurationException refusal(MockEnvironment environment) {
        try {
            RequiredSecrets.in(environment).token("app.token", "APP_TOKEN", 32).aesKey("app.key", "APP_KEY").verify();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        return null;
    }

    @Test
    void shouldNameEveryMissingSecretOutsideTheDevProfile() {
        MockEnvironment environment = production();
        environment.setActiveProfiles("prod");

        assertThat(refusal(environment).problems()).containsExactly("APP_TOKEN is not set", "APP_KEY is not set");
    }

    @Test
    void shouldRefuseTheDevelopmentValuesShortTokensAndKeysOfTheWrongSize() {
        MockEnvironment environment = production().withProperty("app.token", "short")
                .withProperty("app.key", DevelopmentSecrets.WEBHOOK_SECRET_ENCRYPTION_KEY);
        environment.setActiveProfiles("prod");
        assertThat(refusal(environment).problems()).containsExactly("APP_TOKEN is shorter than 32 bytes",
                "APP_KEY is the development value published in this repository");

        environment.withProperty("app.token", DevelopmentSecrets.ADMIN_API_TOKEN).withProperty("app.key", "c2hvcnQ=");
        assertThat(refusal(environment).problems()).containsExactly(
                "APP_TOKEN is the development value published in this repository",
                "APP_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)");

        environment.withProperty("app.key", "not base64 at all!");
        assertThat(refusal(environment).problems()).contains("APP_KEY is not base64 (openssl rand -base64 32)");
    }

    @Test
    void shouldAcceptSecretsOfYourOwn() {
        MockEnvironment environment = production().withProperty("app.token", GOOD_TOKEN)
                .withProperty("app.key", GOOD_KEY);
        environment.setActiveProfiles("prod");

        assertThat(refusal(environment)).isNull();
    }

    @Test
    void shouldCheckNothingInTheDevProfile() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(RequiredSecrets.DEV_PROFILE);

        assertThatCode(() -> RequiredSecrets.in(environment).token("app.token", "APP_TOKEN", 32)
                .setting("app.list", "APP_LIST", "needed").problem(true, "a problem").verify())
                .doesNotThrowAnyException();
    }

    @Test
    void shouldReportSettingsAndProblemsOfTheService() {
        MockEnvironment environment = production();
        environment.setActiveProfiles("prod");

        assertThatThrownBy(() -> RequiredSecrets.in(environment).setting("app.issuers", "APP_ISSUERS", "whose tokens")
                .problem(true, "neither A nor B is set").verify())
                .isInstanceOf(InsecureConfigurationException.class)
                .hasMessage("APP_ISSUERS is not set: whose tokens; neither A nor B is set");
    }

    @Test
    void shouldRefuseAManagementPortThatIsThePublicPort() {
        MockEnvironment environment = production().withProperty("chatcentral.management.token", GOOD_TOKEN)
                .withProperty("server.port", "8081").withProperty("management.server.port", "8081");
        environment.setActiveProfiles("prod");

        assertThatThrownBy(() -> RequiredSecrets.in(environment).management().verify())
                .hasMessage("MANAGEMENT_PORT must be a port of its own, not the service's public port (8081)");

        environment.withProperty("management.server.port", "9081");
        assertThatCode(() -> RequiredSecrets.in(environment).management().verify()).doesNotThrowAnyException();
    }
}
