package dev.chatcentral.service.logging;

import java.util.Map;
import java.util.UUID;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the process a node id ({@code chatcentral.node-id}) before logging starts, so that every log line can name
 * its node: the service's own setting (GATEWAY_NODE_ID, INGEST_NODE_ID) defaults to it, and structured logs carry it
 * as {@code node}. Made up at each start unless set, which is what a restart should look like to the rest of the
 * system.
 */
class NodeIdDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "chatcentral.node-id";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            String service = environment.getProperty("spring.config.name", "chat-central");
            environment.getPropertySources().addLast(new MapPropertySource("chatcentralNodeId",
                    Map.of(PROPERTY, service + "-" + UUID.randomUUID().toString().substring(0, 8))));
        }
    }

    /** After the configuration files are read: the id may be set in one. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
