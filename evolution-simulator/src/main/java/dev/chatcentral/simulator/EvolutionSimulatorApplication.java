package dev.chatcentral.simulator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A stand-in for Evolution API: posts realistic WhatsApp webhooks of demo customers to the ingest. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EvolutionSimulatorApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The configuration file is {@code evolution-simulator.yml}, like every service's, so services sharing a classpath read their own. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(EvolutionSimulatorApplication.class).properties("spring.config.name=evolution-simulator");
    }
}
