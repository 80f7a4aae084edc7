package dev.chatcentral.service.topic;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

import dev.chatcentral.schemas.topic.TopicCatalog;

/**
 * The deployment's {@link TopicCatalog} (its partition count from {@code KAFKA_TOPIC_PARTITIONS}), provisioned through
 * spring-kafka's {@link KafkaAdmin} ({@link CatalogKafkaAdmin}) in place of the one Spring Boot would make.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(TopicCatalogProperties.class)
public class TopicCatalogAutoConfiguration {

    /** The deployment's catalog, whose partition counts {@link CatalogKafkaAdmin} checks against the brokers. */
    @Bean
    TopicCatalog topicCatalog(TopicCatalogProperties properties) {
        return properties.catalog();
    }

    @Bean
    KafkaAdmin kafkaAdmin(KafkaProperties kafka, TopicCatalog catalog, TopicCatalogProperties properties) {
        return new CatalogKafkaAdmin(kafka.buildAdminProperties(), catalog, properties);
    }
}
