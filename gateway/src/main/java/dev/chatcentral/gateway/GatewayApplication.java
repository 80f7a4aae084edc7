package dev.chatcentral.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Pushes {@code chat.events} to atendentes' browsers over WebSocket, each only what its JWT allows it to see. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service's configuration file is {@code gateway.yml}, not {@code application.yml}, so that services sharing one
     * classpath (the system tests) each read their own. Anything that starts this service goes through here.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway");
    }
}
