package dev.chatcentral.service.topic;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;

/**
 * How every service provisions the catalog's topics at startup (set in {@code dev/chatcentral/service/kafka.yml},
 * which each service imports).
 *
 * @param replicationFactor replication factor of created topics (and of Kafka Streams' internal topics); 1 on a
 *                          single local broker, 3 in production (env KAFKA_REPLICATION_FACTOR)
 * @param createTopics      whether services create the topics they find missing (env KAFKA_CREATE_TOPICS); false
 *                          where a cluster lets only its operators create topics: services then only check that
 *                          the existing ones have the catalog's partition counts
 * @param topicPartitions   partitions of every spread topic (env KAFKA_TOPIC_PARTITIONS), chosen before the first
 *                          start and the same on every service: {@link TopicCatalog}
 */
@ConfigurationProperties("chatcentral.kafka")
public record TopicCatalogProperties(short replicationFactor, boolean createTopics, int topicPartitions) {

    public TopicCatalogProperties {
        TopicCatalog.requireValid(topicPartitions);
    }

    /** The catalog of this deployment. */
    public TopicCatalog catalog() {
        return Topics.catalog(topicPartitions);
    }
}
