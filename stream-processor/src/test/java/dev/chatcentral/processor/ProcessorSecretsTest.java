package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.core.io.ClassPathResource;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.service.security.InsecureConfigurationException;

/** Outside the dev profile the stream-processor does not start without secrets of its own. */
class ProcessorSecretsTest {

    private static InsecureConfigurationException refusal(String... args) {
        try {
            StreamProcessorApplication.application().run(args).close();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        throw new AssertionError("the stream-processor started");
    }

    @Test
    void shouldRefuseToStartWithoutItsSecretsOrWithTheDevelopmentOnes() {
        assertThat(refusal("--spring.profiles.active=prod").problems()).containsExactly(
                "EVOLUTION_API_KEY is not set", "ADMIN_API_TOKEN is not set");
        assertThat(refusal("--spring.profiles.active=prod",
                "--chatcentral.dispatcher.evolution-apikey=" + DevelopmentSecrets.EVOLUTION_API_KEY,
                "--chatcentral.management.token=a-management-token-of-more-than-32-bytes").problems())
                .containsExactly("EVOLUTION_API_KEY is the development value published in this repository");
    }

    @Test
    void shouldNotAskForTheEvolutionKeyWhenTheDispatcherRunsElsewhere() {
        assertThat(refusal("--spring.profiles.active=prod", "--chatcentral.dispatcher.enabled=false").problems())
                .containsExactly("ADMIN_API_TOKEN is not set");
    }

    @Test
    void shouldKeepEverySecretOfTheDevProfileInTheListOfPublishedOnes() {
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new ClassPathResource("stream-processor-dev.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> chatcentral = (Map<String, Object>) yaml.getObject().get("chatcentral");
        Object apikey = ((Map<?, ?>) chatcentral.get("dispatcher")).get("evolution-apikey");
        Object token = ((Map<?, ?>) chatcentral.get("management")).get("token");

        assertThat(DevelopmentSecrets.isDevelopmentValue(defaultOf(apikey))).isTrue();
        assertThat(DevelopmentSecrets.isDevelopmentValue(defaultOf(token))).isTrue();
    }

    private static String defaultOf(Object placeholder) {
        String text = placeholder.toString();
        return text.substring(text.indexOf(':') + 1, text.length() - 1);
    }
}
