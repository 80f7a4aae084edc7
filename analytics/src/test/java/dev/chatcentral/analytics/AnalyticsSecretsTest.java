package dev.chatcentral.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.core.io.ClassPathResource;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.service.security.InsecureConfigurationException;

/** Outside the dev profile the analytics application does not start without a management token of its own. */
class AnalyticsSecretsTest {

    private static InsecureConfigurationException refusal(String... args) {
        try {
            AnalyticsApplication.application().run(args).close();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        throw new AssertionError("the analytics application started");
    }

    @Test
    void shouldRefuseToStartWithoutItsTokenOrWithTheDevelopmentOne() {
        assertThat(refusal("--spring.profiles.active=prod").problems())
                .containsExactly("ADMIN_API_TOKEN is not set");
        assertThat(refusal("--spring.profiles.active=prod",
                "--chatcentral.management.token=" + DevelopmentSecrets.ADMIN_API_TOKEN).problems())
                .containsExactly("ADMIN_API_TOKEN is the development value published in this repository");
    }

    @Test
    void shouldKeepTheDevProfilesTokenInTheListOfPublishedSecrets() {
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new ClassPathResource("analytics-dev.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> chatcentral = (Map<String, Object>) yaml.getObject().get("chatcentral");
        String token = ((Map<?, ?>) chatcentral.get("management")).get("token").toString();

        assertThat(DevelopmentSecrets.isDevelopmentValue(token.substring(token.indexOf(':') + 1,
                token.length() - 1))).isTrue();
    }
}
