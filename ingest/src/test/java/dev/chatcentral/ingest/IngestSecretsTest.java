package dev.chatcentral.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.core.io.ClassPathResource;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.service.security.InsecureConfigurationException;

/** Outside the dev profile the ingest does not start without secrets of its own. */
class IngestSecretsTest {

    private static InsecureConfigurationException refusal(String... args) {
        try {
            IngestApplication.application().run(args).close();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        throw new AssertionError("the ingest started");
    }

    @Test
    void shouldRefuseToStartWithoutItsSecretsNamingEachVariable() {
        assertThat(refusal("--spring.profiles.active=prod").problems()).containsExactly(
                "WEBHOOK_SECRET_ENCRYPTION_KEY is not set", "ADMIN_API_TOKEN is not set");
    }

    @Test
    void shouldRefuseToStartWithTheDevelopmentSecretsOrWeakOnes() {
        assertThat(refusal("--spring.profiles.active=prod",
                "--chatcentral.ingest.secret-encryption-key=" + DevelopmentSecrets.WEBHOOK_SECRET_ENCRYPTION_KEY,
                "--chatcentral.management.token=" + DevelopmentSecrets.ADMIN_API_TOKEN).problems()).containsExactly(
                "WEBHOOK_SECRET_ENCRYPTION_KEY is the development value published in this repository",
                "ADMIN_API_TOKEN is the development value published in this repository");
        assertThatThrownBy(() -> IngestApplication.application().run("--spring.profiles.active=prod",
                "--chatcentral.ingest.secret-encryption-key=c2hvcnQ=", "--chatcentral.management.token=short"))
                .isInstanceOf(InsecureConfigurationException.class)
                .hasMessageContaining("WEBHOOK_SECRET_ENCRYPTION_KEY must be the base64 of 32 random bytes")
                .hasMessageContaining("ADMIN_API_TOKEN is shorter than 32 bytes");
    }

    @Test
    void shouldKeepEverySecretOfTheDevProfileInTheListOfPublishedOnes() {
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new ClassPathResource("ingest-dev.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> chatcentral = (Map<String, Object>) yaml.getObject().get("chatcentral");
        String encryptionKey = defaultOf(((Map<?, ?>) chatcentral.get("ingest")).get("secret-encryption-key"));
        String token = defaultOf(((Map<?, ?>) chatcentral.get("management")).get("token"));

        assertThat(DevelopmentSecrets.isDevelopmentValue(encryptionKey)).isTrue();
        assertThat(DevelopmentSecrets.isDevelopmentValue(token)).isTrue();
    }

    /** The default of a {@code ${VARIABLE:default}} placeholder. */
    static String defaultOf(Object placeholder) {
        String text = placeholder.toString();
        return text.substring(text.indexOf(':') + 1, text.length() - 1);
    }
}
