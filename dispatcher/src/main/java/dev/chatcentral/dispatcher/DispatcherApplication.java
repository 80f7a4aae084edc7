package dev.chatcentral.dispatcher;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The dispatcher as a service of its own: sends the replies of {@code chat.outbound} to WhatsApp and reports each on
 * {@code chat.outbound.results}. Its HTTP port serves nothing; its management port serves health and metrics. Run it
 * apart when the stream-processor runs with {@code DISPATCHER_ENABLED=false}, or the two share the consumer group.
 */
@SpringBootApplication
public class DispatcherApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service's configuration file is {@code dispatcher.yml}, not {@code application.yml}, so that services
     * sharing one classpath (the stream-processor, the system tests) each read their own. Anything that starts this
     * service goes through here.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DispatcherApplication.class)
                .properties("spring.config.name=dispatcher")
                .listeners(new DispatcherSecrets());
    }
}
