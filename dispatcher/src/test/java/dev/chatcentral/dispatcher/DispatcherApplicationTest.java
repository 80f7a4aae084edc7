package dev.chatcentral.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.service.security.InsecureConfigurationException;

/** The dispatcher's own service: its secrets, its configuration files, and the switch that leaves it out. */
class DispatcherApplicationTest {

    /** Stops a start once its configuration is read, before anything connects anywhere. */
    private static final class EnvironmentRead extends RuntimeException {
    }

    private static InsecureConfigurationException refusal(String... args) {
        try {
            DispatcherApplication.application().run(args).close();
        } catch (InsecureConfigurationException e) {
            return e;
        }
        throw new AssertionError("the dispatcher started");
    }

    private static Environment environment(String... args) {
        AtomicReference<Environment> read = new AtomicReference<>();
        try {
            DispatcherApplication.application()
                    .listeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
                        read.set(event.getEnvironment());
                        throw new EnvironmentRead();
                    })
                    .run(args);
        } catch (EnvironmentRead expected) {
            return read.get();
        }
        throw new AssertionError("the dispatcher started");
    }

    @Test
    void shouldRefuseToStartWithoutItsSecretsOrWithTheDevelopmentOnes() {
        assertThat(refusal("--spring.profiles.active=prod").problems()).containsExactly(
                "EVOLUTION_API_KEY is not set", "ADMIN_API_TOKEN is not set");
        assertThat(refusal("--spring.profiles.active=prod",
                "--chatcentral.dispatcher.evolution-apikey=" + DevelopmentSecrets.EVOLUTION_API_KEY,
                "--chatcentral.management.token=" + DevelopmentSecrets.ADMIN_API_TOKEN).problems()).containsExactly(
                "EVOLUTION_API_KEY is the development value published in this repository",
                "ADMIN_API_TOKEN is the development value published in this repository");
    }

    @Test
    void shouldReadTheSharedSettingsAndTheDevProfileSecretsOverThem() {
        Environment dev = environment("--spring.profiles.active=dev");

        assertThat(dev.getProperty("chatcentral.dispatcher.group-id")).isEqualTo("chat-central-dispatcher");
        assertThat(dev.getProperty("chatcentral.dispatcher.evolution-apikey"))
                .isEqualTo(DevelopmentSecrets.EVOLUTION_API_KEY);
        assertThat(dev.getProperty("chatcentral.management.token")).isEqualTo(DevelopmentSecrets.ADMIN_API_TOKEN);
    }

    @Test
    void shouldLeaveEveryPartOfTheDispatcherOutWhenDisabled() {
        new ApplicationContextRunner()
                .withUserConfiguration(DispatcherConfiguration.class)
                .withPropertyValues("chatcentral.dispatcher.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(OutboundDispatcher.class)
                        .doesNotHaveBean(DispatcherProperties.class));
    }
}
