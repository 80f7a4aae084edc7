package dev.chatcentral.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Pushes {@code chat.events} to atendentes' browsers over WebSocket, each only what its JWT allows it to see. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /**
     * Tomcat's WebSocket write buffers are allocated per session with a size read once from this system property
     * (8 KiB each by default; three per session: the frame reader's input, the text encoder's output and the frame
     * writer's output); frames to browsers are mostly under 1 KiB, so 1 KiB pieces (a longer message goes out as
     * several frames) cost a little CPU on large frames and save over a third of an idle connection's heap against
     * 2 KiB. An explicit -D setting wins.
     */
    private static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service's configuration file is {@code gateway.yml}, not {@code application.yml}, so that services sharing one
     * classpath (the system tests) each read their own. Anything that starts this service goes through here.
     */
    public static SpringApplicationBuilder application() {
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, "1024");
        }
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway")
                .listeners(new GatewaySecrets());
    }
}
