package dev.chatcentral.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Receives Evolution API webhooks and writes each one to {@code chat.webhooks} before acknowledging it. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class IngestApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service's configuration file is {@code ingest.yml}, not {@code application.yml}, so that services sharing one
     * classpath (the system tests) each read their own. Anything that starts this service goes through here.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(IngestApplication.class).properties("spring.config.name=ingest")
                .listeners(new IngestSecrets());
    }
}
