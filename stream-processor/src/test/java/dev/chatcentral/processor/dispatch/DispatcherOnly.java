package dev.chatcentral.processor.dispatch;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * The stream-processor's dispatcher alone (its package, the service's auto-configuration and stream-processor.yml),
 * without the topologies and the sink, so the dispatcher tests can stop and start it cheaply. Deliberately not a
 * {@code @Configuration}: the service's own component scan must not pick it up.
 */
@EnableAutoConfiguration
@ComponentScan(basePackageClasses = OutboundDispatcher.class)
@ConfigurationPropertiesScan(basePackageClasses = DispatcherProperties.class)
final class DispatcherOnly {

    private DispatcherOnly() {
    }

    static ConfigurableApplicationContext start(String bootstrapServers, String jdbcUrl, String user,
                                                String evolutionUrl, String apikey, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.main.web-application-type=none",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + user,
                "--chatcentral.dispatcher.evolution-url=" + evolutionUrl,
                "--chatcentral.dispatcher.evolution-apikey=" + apikey));
        args.addAll(List.of(moreArgs));
        return new SpringApplicationBuilder(DispatcherOnly.class)
                .properties("spring.config.name=stream-processor")
                .run(args.toArray(String[]::new));
    }
}
