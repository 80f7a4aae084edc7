package dev.chatcentral.processor;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

import dev.chatcentral.dispatcher.DispatcherSecrets;
import dev.chatcentral.service.security.RequiredSecrets;

/** The secrets without which the stream-processor refuses to start outside the {@code dev} profile. */
final class ProcessorSecrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        DispatcherSecrets.evolutionApikey(RequiredSecrets.in(event.getEnvironment()), event.getEnvironment())
                .management()
                .verify();
    }
}
