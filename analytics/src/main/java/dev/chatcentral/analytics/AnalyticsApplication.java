package dev.chatcentral.analytics;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationListener;

import dev.chatcentral.service.security.RequiredSecrets;

/**
 * The analytics tap: a Kafka Streams application of its own ({@code chat-central-analytics}) that reads only the
 * public topics {@code chat.conversas} and {@code chat.mensagens} and writes each empresa's service figures to
 * {@code chat.service.metrics}, so it can be deployed or dropped without touching the pipeline. Its HTTP port serves
 * nothing; its management port serves health and the per-empresa gauges at {@code /actuator/prometheus}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AnalyticsApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The configuration file is {@code analytics.yml}, so that services sharing one classpath each read their own.
     * Anything that starts this service goes through here.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(AnalyticsApplication.class)
                .properties("spring.config.name=analytics")
                .listeners(new Secrets());
    }

    /** Outside the {@code dev} profile the management port needs its own token and port. */
    static final class Secrets implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            RequiredSecrets.in(event.getEnvironment()).management().verify();
        }
    }
}
