package dev.chatcentral.dispatcher;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import dev.chatcentral.service.security.RequiredSecrets;

/** The secrets without which the dispatcher refuses to start outside the {@code dev} profile. */
public final class DispatcherSecrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        RequiredSecrets secrets = RequiredSecrets.in(event.getEnvironment());
        evolutionApikey(secrets, event.getEnvironment()).management().verify();
    }

    /**
     * Evolution's global API key, for a process that runs the dispatcher ({@code chatcentral.dispatcher.enabled},
     * true unless set): this service, or the stream-processor with the dispatcher in it.
     */
    public static RequiredSecrets evolutionApikey(RequiredSecrets secrets, Environment environment) {
        if (environment.getProperty("chatcentral.dispatcher.enabled", Boolean.class, true)) {
            secrets.token("chatcentral.dispatcher.evolution-apikey", "EVOLUTION_API_KEY", 16);
        }
        return secrets;
    }
}
