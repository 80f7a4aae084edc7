package dev.chatcentral.service.topic;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Provisions the topic catalog through spring-kafka's {@link KafkaAdmin} ({@link CatalogKafkaAdmin}), in place of the
 * one Spring Boot would make.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(TopicCatalogProperties.class)
public class TopicCatalogAutoConfiguration {

    @Bean
    KafkaAdmin kafkaAdmin(KafkaProperties kafka, TopicCatalogProperties catalog) {
        return new CatalogKafkaAdmin(kafka.buildAdminProperties(), catalog);
    }
}
