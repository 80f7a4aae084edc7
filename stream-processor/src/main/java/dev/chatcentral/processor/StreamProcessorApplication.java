package dev.chatcentral.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Runs the Kafka Streams topology that turns webhooks into conversas, mensagens and realtime events, and the sink
 * that records conversas and mensagens in PostgreSQL. Its HTTP port serves health, metrics and the DLQ redrive
 * command ({@code POST /dlq/redrive}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StreamProcessorApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service's configuration file is {@code stream-processor.yml}, not {@code application.yml}, so that services sharing one
     * classpath (the system tests) each read their own. Anything that starts this service goes through here.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(StreamProcessorApplication.class)
                .properties("spring.config.name=stream-processor")
                .listeners(new ProcessorSecrets());
    }
}
