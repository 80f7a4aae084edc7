package dev.chatcentral.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

import dev.chatcentral.dispatcher.DispatcherConfiguration;

/**
 * Runs the Kafka Streams topology that turns webhooks into conversas, mensagens and realtime events, and the sink
 * that records conversas and mensagens in PostgreSQL. Its HTTP port serves health, metrics and the DLQ redrive
 * command ({@code POST /dlq/redrive}). It also runs the dispatcher, which sends the topology's replies to WhatsApp,
 * unless {@code DISPATCHER_ENABLED=false} leaves that to the dispatcher's own service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(DispatcherConfiguration.class)
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
