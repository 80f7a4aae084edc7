package dev.chatcentral.gateway.node;

import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class NodeMetricsConfiguration {

    /** Every meter of the node carries its id, so dashboards compare nodes. */
    @Bean
    MeterRegistryCustomizer<MeterRegistry> nodeTag(GatewayNode node) {
        return registry -> registry.config().commonTags("node", node.id());
    }
}
