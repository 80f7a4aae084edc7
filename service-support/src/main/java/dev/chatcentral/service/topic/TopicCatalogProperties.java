package dev.chatcentral.service.topic;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every service creates the catalog's topics it finds missing at startup.
 *
 * @param replicationFactor replication factor of created topics (and of Kafka Streams' internal topics); 1 on a
 *                          single local broker, 3 in production (env KAFKA_REPLICATION_FACTOR)
 */
@ConfigurationProperties("chatcentral.kafka")
public record TopicCatalogProperties(@DefaultValue("1") short replicationFactor) {
}
