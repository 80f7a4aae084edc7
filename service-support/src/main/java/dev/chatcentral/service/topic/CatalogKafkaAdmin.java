package dev.chatcentral.service.topic;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.kafka.core.KafkaAdmin;

import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicProvisioner;

/**
 * spring-kafka's {@link KafkaAdmin}, provisioning the deployment's catalog ({@link TopicCatalog}) by its rules
 * ({@link TopicProvisioner}): it refuses to start against a topic whose partition count differs from the setting
 * (where spring-kafka would add partitions, moving empresas between them), also when another service created it
 * meanwhile with a count of its own, waits until the broker knows the topics it created, and brings
 * {@code max.message.bytes} in line. With topic creation off (clusters whose services may not create topics) it
 * only checks. The counts it checks are the
 * brokers' metadata, so whatever reads a partition by number in this service (the gateway's empresa lookup) agrees
 * with the topics it reads.
 *
 * <p>It runs once every singleton exists and before any lifecycle bean starts (Kafka Streams, the readers, the
 * listener containers), so every client finds its topics.
 */
public class CatalogKafkaAdmin extends KafkaAdmin {

    private final TopicCatalog catalog;
    private final short replicationFactor;
    private final boolean createTopics;

    public CatalogKafkaAdmin(Map<String, Object> config, TopicCatalog catalog, TopicCatalogProperties properties) {
        super(config);
        this.catalog = catalog;
        this.replicationFactor = properties.replicationFactor();
        this.createTopics = properties.createTopics();
    }

    /**
     * Provisions the catalog, or only checks it with topic creation off; a failure stops the start, since a service
     * without its topics cannot work. This replaces spring-kafka's own provisioning, which would add partitions to a
     * topic that another service created with fewer between the check and the creation.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (createTopics) {
            onAdmin(admin -> TopicProvisioner.ensureTopics(admin, catalog, replicationFactor));
        } else {
            onAdmin(admin -> TopicProvisioner.checkPartitions(admin, catalog));
        }
    }

    private interface AdminWork {
        void run(Admin admin) throws InterruptedException, ExecutionException;
    }

    private void onAdmin(AdminWork work) {
        try (Admin admin = createAdmin()) {
            work.run(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topic catalog", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check the topic catalog: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
