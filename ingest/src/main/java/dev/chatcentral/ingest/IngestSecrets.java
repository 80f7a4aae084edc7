package dev.chatcentral.ingest;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

import dev.chatcentral.service.security.RequiredSecrets;

/** The secrets without which the ingest refuses to start outside the {@code dev} profile. */
final class IngestSecrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        RequiredSecrets.in(event.getEnvironment())
                .aesKey("chatcentral.ingest.secret-encryption-key", "WEBHOOK_SECRET_ENCRYPTION_KEY")
                .management()
                .verify();
    }
}
