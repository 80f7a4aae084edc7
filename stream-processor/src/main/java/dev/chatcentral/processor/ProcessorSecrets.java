package dev.chatcentral.processor;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

import dev.chatcentral.service.security.RequiredSecrets;

/** The secrets without which the stream-processor refuses to start outside the {@code dev} profile. */
final class ProcessorSecrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        RequiredSecrets secrets = RequiredSecrets.in(event.getEnvironment());
        if (event.getEnvironment().getProperty("chatcentral.dispatcher.enabled", Boolean.class, true)) {
            secrets.token("chatcentral.dispatcher.evolution-apikey", "EVOLUTION_API_KEY", 16);
        }
        secrets.management().verify();
    }
}
