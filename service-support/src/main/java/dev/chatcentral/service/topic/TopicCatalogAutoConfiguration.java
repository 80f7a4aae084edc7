package dev.chatcentral.service.topic;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

import dev.chatcentral.schemas.topic.TopicProvisioner;

/**
 * Provisions the topic catalog while a service's context starts: singletons are created before any lifecycle bean
 * (Kafka Streams, listener containers, the gateway's consumer) starts, so every client finds its topics.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(TopicCatalogProperties.class)
public class TopicCatalogAutoConfiguration {

    /** Marker bean: depend on it to run after the catalog's topics exist. */
    public static final class TopicCatalogProvisioned implements InitializingBean {

        private final KafkaProperties kafka;
        private final TopicCatalogProperties catalog;

        TopicCatalogProvisioned(KafkaProperties kafka, TopicCatalogProperties catalog) {
            this.kafka = kafka;
            this.catalog = catalog;
        }

        @Override
        public void afterPropertiesSet() {
            TopicProvisioner.ensureCatalog(kafka.buildAdminProperties(), catalog.replicationFactor());
        }
    }

    @Bean
    TopicCatalogProvisioned topicCatalogProvisioned(KafkaProperties kafka, TopicCatalogProperties catalog) {
        return new TopicCatalogProvisioned(kafka, catalog);
    }
}
